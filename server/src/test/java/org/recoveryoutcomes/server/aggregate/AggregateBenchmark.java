package org.recoveryoutcomes.server.aggregate;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures $aggregate at a million score facts (100,000 people × 10 scores, 20 organisations, 3 years). Not part of
 * the normal build: runs only with -Drecovery.bench=true (see {@link AggregateBenchmarkOnH2Test} and
 * {@link AggregateBenchmarkOnPostgresTest}); prints p50 / p90 of the HTTP round trip.
 */
abstract class AggregateBenchmark {

    static final String CODE = "wemwbs-total";
    static final String ORG = "bench-org-";

    @LocalServerPort
    int port;

    @Autowired
    FactStore store;

    @Autowired
    CubeMaintenance cube;

    @Autowired
    PlatformTransactionManager transactionManager;

    @BeforeEach
    void port() {
        RestAssured.port = port;
    }

    @Test
    void aggregate_of_a_million_score_facts_by_organisation_and_quarter() {
        String db = store.database().name();
        Integer existing = store.jdbc().queryForObject("SELECT COUNT(*) FROM recovery_score_fact WHERE organization_id LIKE ?",
                Integer.class, ORG + "%");
        if (existing == null || existing < 1_000_000) {
            store.jdbc().update("DELETE FROM recovery_score_fact WHERE organization_id LIKE ?", ORG + "%");
            ScoreFactLoader.Loaded l = new ScoreFactLoader(store, cube, transactionManager).load(CODE, ORG, 100_000, 10, 20, 2021, 42);
            System.out.printf("BENCH %s loaded %d facts in %d ms (JDBC batches), cube built in %d ms%n", db, l.facts(), l.loadMillis(),
                    l.cubeMillis());
        }
        if (store.database() == Database.POSTGRESQL) {
            store.jdbc().execute("ANALYZE");
        }
        Map<String, Consumer<io.restassured.specification.RequestSpecification>> requests = new LinkedHashMap<>();
        requests.put("group-by organization+quarter, all dates", s -> s.queryParam("group-by", "organization", "quarter"));
        requests.put("group-by organization+quarter, ge2021-01&lt2024-01", s -> s.queryParam("group-by", "organization", "quarter")
                .queryParam("date", "ge2021-01", "lt2024-01"));
        requests.put("group-by organization+quarter, eq2022", s -> s.queryParam("group-by", "organization", "quarter")
                .queryParam("date", "2022"));
        requests.put("group-by organization, one organisation, all dates", s -> s.queryParam("group-by", "organization")
                .queryParam("organization", ORG + "3"));
        requests.put("group-by month, all dates", s -> s.queryParam("group-by", "month"));
        requests.put("no group-by, ge2022-04&lt2023-04 (not one cell: general query)", s -> s.queryParam("date", "ge2022-04", "lt2023-04"));
        requests.put("group-by organization+quarter, ge2021-02&lt2023-11 (not quarter-aligned: general query)",
                s -> s.queryParam("group-by", "organization", "quarter").queryParam("date", "ge2021-02", "lt2023-11"));
        for (var e : requests.entrySet()) {
            int runs = e.getKey().contains("general") ? 5 : 25;
            List<Long> ms = new ArrayList<>();
            int bytes = 0;
            for (int i = 0; i < runs + 2; i++) {
                var spec = RestAssured.given().accept("application/fhir+json").queryParam("code", CODE);
                e.getValue().accept(spec);
                long t = System.nanoTime();
                Response r = spec.get("/fhir/Observation/$aggregate");
                long elapsed = (System.nanoTime() - t) / 1_000_000;
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                bytes = r.asByteArray().length;
                if (i >= 2) {
                    ms.add(elapsed);
                }
            }
            Collections.sort(ms);
            System.out.printf("BENCH %s %-95s p50 %5d ms  p90 %5d ms  min %5d ms  (%d runs, %d kB)%n", db, e.getKey(),
                    ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.9) - 1), ms.get(0), ms.size(), bytes / 1024);
        }
        ingestion(db);
    }

    /** What the pre-commit maintenance costs the writers: score Observations in transaction Bundles of 250. */
    void ingestion(String db) {
        List<ScoreData.Score> scores = new ArrayList<>();
        for (int p = 0; p < 1_250; p++) {
            for (int i = 0; i < 4; i++) {
                scores.add(new ScoreData.Score("bench-ingest-" + System.nanoTime() % 100_000 + "-" + p, ORG + (p % 20), CODE,
                        Instant.parse("2023-0" + (i + 1) + "-15T12:00:00Z"), 40 + i));
            }
        }
        long t = System.currentTimeMillis();
        ScoreData.post(scores);
        long ms = System.currentTimeMillis() - t;
        System.out.printf("BENCH %s ingestion: %d score Observations in transaction Bundles of 250: %d ms = %d / s%n", db, scores.size(),
                ms, scores.size() * 1000L / ms);
    }
}
