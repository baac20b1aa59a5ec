package org.recoveryoutcomes.server.database;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServer;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node with a read replica: the shared test PostgreSQL server is the primary, a hot standby of it is fed by
 * streaming replication ({@link PostgresServer#startReplica()}), and a second node is configured with both. While the
 * standby's replay is paused, what a routed request reads is visibly the replica's: it does not see the writes made
 * meanwhile, which the primary (and a request that is not routed) sees at once.
 */
@PostgresServerTest
class ReadReplicaTest {

    static final String SYSTEM = "urn:test:replica";

    static PostgresServer replica;
    static ServerNode node;
    static String replicaUrl;

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    String primaryNode;

    @BeforeEach
    void nodes() {
        primaryNode = "http://localhost:" + port + "/fhir";
        if (node == null) {
            replica = PostgresServer.shared().startReplica();
            replicaUrl = replica.jdbcUrl(databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1));
            node = ServerNode.start(databaseUrl, "--recovery.database.replica.url=" + replicaUrl,
                    "--recovery.database.replica.username=postgres");
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
            node = null;
        }
        if (replica != null) {
            replica.stop();
            replica = null;
        }
    }

    @Test
    void routedReadsComeFromTheReplicaWhileWritesAndOtherReadsGoToThePrimary() {
        String key = UUID.randomUUID().toString();
        String organisation = "replica-org-" + key.substring(0, 8);
        awaitReplicaCaughtUp();
        replica("select pg_wal_replay_pause()");
        List<String> patients = new ArrayList<>();
        try {
            // writes through the node with a replica go to the primary
            for (int i = 0; i < 10; i++) {
                patients.add(given().baseUri(node.fhirBase()).contentType("application/fhir+json")
                        .body(TestBundles.patient(SYSTEM, key)).post("/Patient").then().statusCode(201).extract().path("id"));
                given().baseUri(node.fhirBase()).contentType("application/fhir+json")
                        .body(score(patients.get(i), organisation, 30 + i)).post("/Observation").then().statusCode(201);
            }
            // a read by id is not routed; the primary has the new Patient
            given().baseUri(node.fhirBase()).get("/Patient/" + patients.get(0)).then().statusCode(200);
            // routed: the paused replica has none of it (and each routed request's audit record went to the primary)
            assertThat(search(node.fhirBase(), key).getList("entry")).isNullOrEmpty();
            assertThat(search(primaryNode, key).getList("entry")).hasSize(10);
            assertThat(measured(node.fhirBase(), organisation)).isZero();
            // the profile reads the Patient first: the replica does not know it yet
            given().baseUri(node.fhirBase()).get("/Patient/" + patients.get(0) + "/$recovery-profile").then().statusCode(404);
            given().baseUri(primaryNode).get("/Patient/" + patients.get(0) + "/$recovery-profile").then().statusCode(200);
        } finally {
            replica("select pg_wal_replay_resume()");
        }

        long resumed = System.nanoTime();
        await(() -> search(node.fhirBase(), key).getList("entry") != null, "the replica catches up");
        System.out.printf("read replica: caught up %.0f ms after replay resumed%n", (System.nanoTime() - resumed) / 1e6);
        assertThat(measured(node.fhirBase(), organisation)).isGreaterThanOrEqualTo(8);
        assertThat(profile(node.fhirBase(), patients.get(0))).contains("latest");
    }

    @Test
    void aRoutedSearchPagesByOffsetAndItsLinksWorkOnAnyNode() {
        String key = UUID.randomUUID().toString();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(given().baseUri(primaryNode).contentType("application/fhir+json").body(TestBundles.patient(SYSTEM, key))
                    .post("/Patient").then().statusCode(201).extract().path("id"));
        }
        awaitReplicaCaughtUp();

        List<String> seen = new ArrayList<>();
        JsonPath page = given().baseUri(node.fhirBase()).queryParam("identifier", SYSTEM + "|" + key).queryParam("_count", 2)
                .get("/Patient").then().statusCode(200).extract().jsonPath();
        int pages = 1;
        while (true) {
            seen.addAll(page.getList("entry.resource.id", String.class));
            String next = link(page, "next");
            if (next == null) {
                break;
            }
            assertThat(next).contains("_offset=").doesNotContain("_getpages");
            // an offset link is a plain search: the node without a replica answers it as well
            String onOtherNode = next.replace(node.fhirBase(), primaryNode);
            page = given().urlEncodingEnabled(false).get(pages % 2 == 0 ? next : onOtherNode).then().statusCode(200).extract().jsonPath();
            pages++;
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(created);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aWriteIsReadFromTheReplicaAfterTheReplicationLag() {
        awaitReplicaCaughtUp();
        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = UUID.randomUUID().toString();
            given().baseUri(node.fhirBase()).contentType("application/fhir+json").body(TestBundles.patient(SYSTEM, key))
                    .post("/Patient").then().statusCode(201);
            long written = System.nanoTime();
            await(() -> search(node.fhirBase(), key).getList("entry") != null, "the write reaches the replica");
            lags.add((System.nanoTime() - written) / 1_000_000);
        }
        System.out.println("read replica: a committed write was visible to routed reads after (ms, incl. one search each) " + lags);
        assertThat(lags).allMatch(ms -> ms < 5_000);
    }

    private static JsonPath search(String base, String key) {
        return given().baseUri(base).queryParam("identifier", SYSTEM + "|" + key).get("/Patient").then().statusCode(200)
                .extract().jsonPath();
    }

    private static int measured(String base, String organisation) {
        Response r = given().baseUri(base).queryParam("code", "wemwbs-total").queryParam("organization", organisation)
                .get("/Observation/$aggregate");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        Integer count = r.jsonPath().getObject("group[0].population.find { it.code.coding[0].code == 'measured' }.count", Integer.class);
        return count == null ? 0 : count;
    }

    private static String profile(String base, String patient) {
        return given().baseUri(base).get("/Patient/" + patient + "/$recovery-profile").then().statusCode(200).extract().asString();
    }

    private static String link(JsonPath page, String relation) {
        List<String> relations = page.getList("link.relation", String.class);
        int i = relations.indexOf(relation);
        return i < 0 ? null : page.getString("link[" + i + "].url");
    }

    private static String score(String patient, String organisation, int value) {
        return """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"survey"}]}],
                 "code":{"coding":[{"system":"https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score","code":"wemwbs-total"}]},
                 "subject":{"reference":"Patient/%s"},"performer":[{"reference":"Organization/%s"}],
                 "effectiveDateTime":"2024-05-01T10:00:00Z",
                 "valueQuantity":{"value":%d,"unit":"{score}","system":"http://unitsofmeasure.org","code":"{score}"}}"""
                .formatted(patient, organisation, value);
    }

    private void awaitReplicaCaughtUp() {
        String target = primary("select pg_current_wal_lsn()::text");
        await(() -> "t".equals(replica("select (pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn)::text").substring(0, 1)),
                "the replica replays up to " + target);
    }

    private String primary(String sql) {
        return query(databaseUrl, sql);
    }

    private static String replica(String sql) {
        return query(replicaUrl, sql);
    }

    private static String query(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
