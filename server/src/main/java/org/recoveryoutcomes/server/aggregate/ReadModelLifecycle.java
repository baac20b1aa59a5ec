package org.recoveryoutcomes.server.aggregate;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * At start-up (after the content is installed): rebuilds the facts when the secret or zone they were built with
 * changed (or they were never built: a database from before this feature), or only the cube when the reliable-change
 * rules changed; then folds pending cube deltas into the cube at a fixed rate.
 */
@Component
@Order(10)
class ReadModelLifecycle implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ReadModelLifecycle.class);

    private final AggregateSettings settings;
    private final FactStore store;
    private final ScoreFactMapper mapper;
    private final ScoreFactRebuilder rebuilder;
    private final CubeMaintenance cube;
    private final TransactionTemplate tx;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "score-cube-compactor");
        t.setDaemon(true);
        return t;
    });

    ReadModelLifecycle(AggregateSettings settings, FactStore store, ScoreFactMapper mapper,
            ScoreFactRebuilder rebuilder, CubeMaintenance cube, PlatformTransactionManager transactionManager) {
        this.settings = settings;
        this.store = store;
        this.mapper = mapper;
        this.rebuilder = rebuilder;
        this.cube = cube;
        this.tx = new TransactionTemplate(transactionManager);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.rebuildOnStart()) {
            if (!Objects.equals(store.state(ScoreFactRebuilder.FACT_SIGNATURE).orElse(null), mapper.signature())) {
                log.info("Score facts were built with another secret or zone, or never: rebuilding them from the Observations");
                rebuilder.rebuild();
            } else if (!Objects.equals(store.state(CubeMaintenance.CUBE_SIGNATURE).orElse(null), cube.signature())) {
                log.info("Reliable-change rules or the cube format changed: rebuilding the score cube");
                tx.executeWithoutResult(s -> cube.rebuild());
            }
        }
        long every = Math.max(100, settings.compactEvery().toMillis());
        scheduler.scheduleWithFixedDelay(this::compact, every, every, TimeUnit.MILLISECONDS);
    }

    void compact() {
        try {
            Integer folded;
            do {
                folded = tx.execute(s -> cube.compact());
            } while (folded != null && folded > 0 && !scheduler.isShutdown());
        } catch (RuntimeException e) {
            log.warn("Compacting the score cube failed; will retry", e);
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}
