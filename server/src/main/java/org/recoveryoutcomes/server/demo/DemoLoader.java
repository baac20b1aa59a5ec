package org.recoveryoutcomes.server.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Patient;
import org.recoveryoutcomes.testdata.region.RegionBundle;
import org.recoveryoutcomes.testdata.region.RegionGenerator;
import org.recoveryoutcomes.testdata.region.RegionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Loads a small synthetic region (test-data's generator) into a database that has no Patient yet, so a first start
 * shows data. It runs after the content installer (its responses are checked against the installed Questionnaires),
 * in the background so start-up is not held up, one transaction Bundle at a time through the system DAO, and never
 * touches a database that already holds people.
 */
@Component
@Order(10)
class DemoLoader implements ApplicationRunner, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

    /** Where the start-up load is, for the health check. */
    enum State { NOT_STARTED, OFF, LOADING, LOADED, LEFT_ALONE, STOPPED, FAILED }

    /** What a load did. */
    record Outcome(boolean loaded, int people, long resources, long millis) {

        static Outcome refused() {
            return new Outcome(false, 0, 0, 0);
        }
    }

    private final DemoSettings settings;
    private final FhirContext fhirContext;
    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final DaoRegistry daoRegistry;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-region");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    private volatile State state = State.NOT_STARTED;
    private volatile int peopleLoaded;
    private volatile int peopleToLoad;
    private volatile CompletableFuture<Outcome> started = CompletableFuture.completedFuture(Outcome.refused());

    DemoLoader(DemoSettings settings, FhirContext fhirContext, IFhirSystemDao<Bundle, Meta> systemDao, DaoRegistry daoRegistry) {
        this.settings = settings;
        this.fhirContext = fhirContext;
        this.systemDao = systemDao;
        this.daoRegistry = daoRegistry;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.enabled()) {
            log.info("Demo region is switched off (recovery.demo.enabled=false)");
            state = State.OFF;
            return;
        }
        // ending yesterday, so nothing is dated later than the moment of loading
        RegionSettings region = settings.region(LocalDate.now().minusDays(1));
        // set before the first health probe can see NOT_STARTED as "nothing to wait for"
        state = State.LOADING;
        peopleToLoad = region.patients();
        started = CompletableFuture.supplyAsync(() -> loadIfEmpty(region), background).whenComplete((outcome, failure) -> {
            if (failure != null) {
                state = State.FAILED;
                log.error("Demo region could not be loaded", failure);
            } else {
                state = outcome.loaded() ? State.LOADED : stopping ? State.STOPPED : State.LEFT_ALONE;
            }
        });
    }

    /** The load started at start-up (completed at once when there was none). */
    CompletableFuture<Outcome> started() {
        return started;
    }

    State state() {
        return state;
    }

    int peopleLoaded() {
        return peopleLoaded;
    }

    int peopleToLoad() {
        return peopleToLoad;
    }

    /** Loads {@code region} if the database has no Patient; otherwise leaves it alone. */
    Outcome loadIfEmpty(RegionSettings region) {
        if (hasPatients()) {
            log.info("Demo region not loaded: the database already has Patient resources");
            return Outcome.refused();
        }
        return load(region);
    }

    Outcome load(RegionSettings region) {
        long start = System.nanoTime();
        RegionGenerator generator = new RegionGenerator(fhirContext, region);
        log.info("Loading the demo region: {} synthetic people in {} organisations, {} years to {} (seed {})", region.patients(),
                region.organisations(), region.years(), region.end(), region.seed());
        int people = 0;
        long resources = 0;
        int reported = 0;
        for (int n = 0; n < generator.bundleCount(); n++) {
            if (stopping) {
                log.warn("Demo region load stopped at {} of {} people (server shutting down)", people, region.patients());
                return new Outcome(false, people, resources, elapsedMillis(start));
            }
            RegionBundle bundle = generator.bundle(n);
            systemDao.transaction(new SystemRequestDetails(), bundle.bundle());
            people += bundle.people();
            resources += bundle.resources();
            peopleLoaded = people;
            int percent = region.patients() == 0 ? 100 : people * 100 / region.patients();
            if (percent >= reported + 10 || n == generator.bundleCount() - 1) {
                reported = percent - percent % 10;
                log.info("Demo region: {} of {} people loaded ({} resources, {} resources/s)", people, region.patients(), resources,
                        resources * 1000 / Math.max(1, elapsedMillis(start)));
            }
        }
        Outcome outcome = new Outcome(true, people, resources, elapsedMillis(start));
        log.info("Demo region loaded: {} people, {} resources in {} s", people, resources, outcome.millis() / 1000);
        return outcome;
    }

    private boolean hasPatients() {
        SearchParameterMap any = SearchParameterMap.newSynchronous();
        any.setCount(1);
        any.setLoadSynchronousUpTo(1);
        return !daoRegistry.getResourceDao(Patient.class).search(any, new SystemRequestDetails()).getResources(0, 1).isEmpty();
    }

    /** Lets a bundle in flight finish (the data source is closed after this bean), then stops. */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        background.shutdown();
        if (!background.awaitTermination(60, TimeUnit.SECONDS)) {
            background.shutdownNow();
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
