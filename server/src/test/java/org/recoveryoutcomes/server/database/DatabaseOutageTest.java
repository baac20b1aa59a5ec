package org.recoveryoutcomes.server.database;

import io.restassured.path.json.JsonPath;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.recoveryoutcomes.server.testing.PostgresServer;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away in the middle of a stream of writes and comes back. The shared test server (the application)
 * and the shared test PostgreSQL server are used: the cluster is stopped and started again under the running
 * application, which is not restarted; the test classes of a JVM run one after the other.
 */
@PostgresServerTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DatabaseOutageTest {

    static final String SYSTEM = "urn:test:outage";
    static final int CLIENTS = 4;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String baseUrl;
    String fhirBase;

    @BeforeEach
    void base() {
        baseUrl = "http://localhost:" + port;
        fhirBase = baseUrl + "/fhir";
    }

    record Write(String key, boolean transaction, long sent, long answered, int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    record Probe(long at, int status) {
    }

    @Test
    void writesDuringAnOutageFailWith503AndNothingAcknowledgedIsLostAndServiceResumesWithoutARestart() throws Exception {
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());
        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
        long begin = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            threads.submit(() -> {
                for (int n = 0; running.get(); n++) {
                    writes.add(write("c" + client + "-" + n, n % 2 == 1));
                }
                return null;
            });
        }
        threads.submit(() -> {
            while (running.get()) {
                probes.add(new Probe(System.nanoTime(), get(baseUrl + "/actuator/health/readiness", "application/json")
                        .statusCode()));
                Thread.sleep(250);
            }
            return null;
        });

        PostgresServer postgres = PostgresServer.shared();
        Thread.sleep(5_000);
        long down = System.nanoTime();
        postgres.stop();
        try {
            // longer than the pool's connection-timeout (5 s, postgres profile), so that a readiness probe begun in the
            // outage times out (503) before the database returns, however slowly the machine runs
            Thread.sleep(12_000);
        } finally {
            postgres.start();
        }
        long up = System.nanoTime();
        Thread.sleep(7_000);
        running.set(false);
        threads.shutdown();
        assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        List<Write> failed = writes.stream().filter(w -> !w.ok()).toList();
        long beforeOutage = writes.stream().filter(w -> w.ok() && w.answered() < down).count();
        System.out.printf("outage test: %d writes, %d acknowledged, %d failed (%s), outage %.1f s;"
                        + " %.1f writes/s with %d clients before the outage%n", writes.size(), writes.size() - failed.size(),
                failed.size(), failed.stream().map(Write::status).distinct().toList(), (up - down) / 1e9,
                beforeOutage / ((down - begin) / 1e9), CLIENTS);

        Map<String, Integer> patients = countByIdentifier("Patient");
        Map<String, Integer> observations = countByIdentifier("Observation");
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(failed).as("writes that failed during the outage").isNotEmpty();
            softly.assertThat(failed).allSatisfy(w -> {
                assertThat(w.status()).as(w.body()).isEqualTo(503);
                assertThat(JsonPath.from(w.body()).getString("resourceType")).isEqualTo("OperationOutcome");
                assertThat(w.body()).doesNotContain("Exception").doesNotContain("\tat ");
            });
            softly.assertThat(writes.stream().filter(w -> w.sent() > up)).as("writes sent after the database returned")
                    .isNotEmpty().allMatch(Write::ok);
            softly.assertThat(writes).allSatisfy(w -> {
                int p = patients.getOrDefault(w.key(), 0);
                int o = observations.getOrDefault(w.key(), 0);
                if (w.ok()) {
                    assertThat(p).as("acknowledged " + w.key()).isEqualTo(1);
                } else {
                    assertThat(p).as("failed " + w.key() + " stored at most once").isLessThanOrEqualTo(1);
                }
                // a transaction is stored with all three entries or not at all
                assertThat(o).as("observations of " + w.key()).isEqualTo(w.transaction() ? 2 * p : 0);
            });
            softly.assertThat(probes.stream().filter(p -> p.at() > down && p.at() < up))
                    .as("readiness while the database was down").anyMatch(p -> p.status() == 503);
            softly.assertThat(probes.get(probes.size() - 1).status()).as("readiness at the end").isEqualTo(200);
        });
    }

    private Write write(String key, boolean transaction) throws InterruptedException {
        long sent = System.nanoTime();
        String url = fhirBase + (transaction ? "" : "/Patient");
        String body = transaction ? TestBundles.patientWithObservations(SYSTEM, key, "") : TestBundles.patient(SYSTEM, key);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + TestTokens.allAccess())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Write(key, transaction, sent, System.nanoTime(), response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            return new Write(key, transaction, sent, System.nanoTime(), -1, e.toString());
        }
    }

    private HttpResponse<String> get(String url, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", accept)
                .header("Authorization", "Bearer " + TestTokens.allAccess()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How many resources of the type carry each identifier value of the test's system, found through the search index. */
    private Map<String, Integer> countByIdentifier(String type) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        String next = fhirBase + "/" + type + "?identifier=" + SYSTEM + "%7C&_count=1000&_elements=identifier";
        while (next != null) {
            JsonPath page = JsonPath.from(get(next, "application/fhir+json").body());
            List<List<String>> values = page.getList("entry.resource.identifier.value");
            values.forEach(v -> counts.merge(v.get(0), 1, Integer::sum));
            List<String> relations = page.getList("link.relation", String.class);
            int i = relations.indexOf("next");
            next = i < 0 ? null : page.getString("link[" + i + "].url");
        }
        return counts;
    }
}
