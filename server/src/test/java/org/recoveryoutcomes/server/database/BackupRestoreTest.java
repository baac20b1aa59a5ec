package org.recoveryoutcomes.server.database;

import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServer;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The documented backup (pg_dump) and restore (pg_restore into an empty database) round trip. */
@PostgresServerTest
class BackupRestoreTest {

    static final String SYSTEM = "urn:test:backup";

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    @Test
    void aServerStartedOnARestoredDumpServesTheSameData() throws Exception {
        String original = "http://localhost:" + port + "/fhir";
        String key = UUID.randomUUID().toString();
        String patientId = given().baseUri(original).contentType("application/fhir+json")
                .body(TestBundles.patientWithObservations(SYSTEM, key, "")).post("/")
                .then().statusCode(200).extract().<String>path("entry[0].response.location").split("/")[1];

        PostgresServer postgres = PostgresServer.shared();
        long start = System.nanoTime();
        Path dump = postgres.dump(databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1));
        long dumped = System.nanoTime();
        String restoredUrl = postgres.restore(dump, "recovery_restored");
        long restored = System.nanoTime();
        System.out.printf("backup test: pg_dump %.1f s (%d kB), pg_restore %.1f s%n", (dumped - start) / 1e9,
                Files.size(dump) / 1024, (restored - dumped) / 1e9);

        try (ServerNode restoredNode = ServerNode.start(restoredUrl)) {
            String copy = restoredNode.fhirBase();
            for (String type : List.of("Patient", "Observation", "Questionnaire", "CodeSystem", "ValueSet", "SearchParameter")) {
                assertThat(count(copy, type)).as(type).isEqualTo(count(original, type));
            }
            given().baseUri(copy).get("/Patient/" + patientId).then().statusCode(200)
                    .body("identifier[0].value", equalTo(key));
            given().baseUri(copy).queryParam("identifier", SYSTEM + "|" + key).get("/Observation").then().statusCode(200)
                    .body("total", equalTo(2)).body("entry[0].resource.subject.reference", equalTo("Patient/" + patientId));
        }
    }

    private static int count(String base, String type) {
        return given().baseUri(base).queryParam("_summary", "count").get("/" + type).then().statusCode(200)
                .extract().path("total");
    }
}
