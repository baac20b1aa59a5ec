package org.recoveryoutcomes.server.aggregate;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Benchmark data straight into the read model with JDBC batches (no FHIR resources): people × scores each over
 * three years at a number of organisations, 10 % of the people moving to another organisation half-way; then the cube
 * is built from the facts. Only for measuring $aggregate — the facts have no Observations behind them.
 */
final class ScoreFactLoader {

    record Loaded(int facts, long loadMillis, long cubeMillis) {
    }

    private final FactStore store;
    private final CubeMaintenance cube;
    private final TransactionTemplate tx;

    ScoreFactLoader(FactStore store, CubeMaintenance cube, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.cube = cube;
        this.tx = new TransactionTemplate(transactionManager);
    }

    Loaded load(String code, String orgPrefix, int people, int scoresEach, int organisations, int firstYear, long seed) {
        Random r = new Random(seed);
        ZoneId zone = ZoneId.of("Europe/London");
        long start = LocalDate.of(firstYear, 1, 1).atStartOfDay(zone).toInstant().toEpochMilli();
        long span = LocalDate.of(firstYear + 3, 1, 1).atStartOfDay(zone).toInstant().toEpochMilli() - start;
        byte[] key = new byte[32];
        long t0 = System.currentTimeMillis();
        List<ScoreFact> batch = new ArrayList<>();
        List<FactStore.StoredFact> baselines = new ArrayList<>();
        List<Object[]> persons = new ArrayList<>();
        int facts = 0;
        for (int p = 0; p < people; p++) {
            long personKey = r.nextLong();
            String org = orgPrefix + (p % organisations);
            String movedTo = r.nextInt(10) == 0 ? orgPrefix + ((p + 1) % organisations) : org;
            long[] when = new long[scoresEach];
            for (int i = 0; i < scoresEach; i++) {
                when[i] = start + (long) (r.nextDouble() * span);
            }
            Arrays.sort(when);
            double value = 14 + r.nextInt(57);
            ScoreFact first = null;
            for (int i = 0; i < scoresEach; i++) {
                if (i > 0) {
                    value = Math.max(14, Math.min(70, value + r.nextInt(13) - 5));
                }
                r.nextBytes(key);
                ZonedDateTime z = java.time.Instant.ofEpochMilli(when[i]).atZone(zone);
                ScoreFact f = new ScoreFact(HexFormat.of().formatHex(key), code, personKey, i < scoresEach / 2 ? org : movedTo,
                        when[i], z.getYear() * 12 + z.getMonthValue() - 1, value);
                if (first == null) {
                    first = f;
                }
                batch.add(f);
                baselines.add(new FactStore.StoredFact(f, i == 0, first.value(), first.effective()));
                facts++;
            }
            persons.add(new Object[]{code, personKey});
            if (batch.size() >= 20_000) {
                flush(batch, baselines, persons);
            }
        }
        flush(batch, baselines, persons);
        long loaded = System.currentTimeMillis();
        tx.executeWithoutResult(s -> cube.rebuild());
        return new Loaded(facts, loaded - t0, System.currentTimeMillis() - loaded);
    }

    private void flush(List<ScoreFact> batch, List<FactStore.StoredFact> baselines, List<Object[]> persons) {
        tx.executeWithoutResult(s -> {
            store.insertAll(batch);
            store.updateBaselines(baselines.stream().filter(b -> !b.baseline()).toList());
            store.insertPeopleIfAbsent(persons);
        });
        batch.clear();
        baselines.clear();
        persons.clear();
    }
}
