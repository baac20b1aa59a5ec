package org.recoveryoutcomes.server.database;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Writes through the FHIR API on a real PostgreSQL database: transactions, conditional create, update, delete. */
@PostgresServerTest
class PostgresWritePathTest {

    static final String SYSTEM = "urn:test:pg-write";

    @LocalServerPort
    int port;

    @BeforeEach
    void base() {
        RestAssured.baseURI = "http://localhost:" + port + "/fhir";
    }

    @Test
    void aTransactionStoresEveryEntryAndResolvesReferencesBetweenThem() {
        String key = unique();
        Response response = given().contentType("application/fhir+json").body(TestBundles.patientWithObservations(SYSTEM, key, ""))
                .post("/").then().statusCode(200).extract().response();

        assertThat(response.<List<String>>path("entry.response.status")).allMatch(s -> s.startsWith("201"));
        String patientId = response.path("entry[0].response.location").toString().split("/")[1];
        given().queryParam("identifier", SYSTEM + "|" + key).get("/Observation").then().statusCode(200)
                .body("total", equalTo(2)).body("entry[0].resource.subject.reference", equalTo("Patient/" + patientId));
    }

    @Test
    void aTransactionWithOneFailingEntryStoresNoneOfItsEntries() {
        String existing = createPatient(unique());
        String key = unique();
        String staleUpdate = """
                ,{"resource":{"resourceType":"Patient","id":"%s","active":false},
                  "request":{"method":"PUT","url":"Patient/%s","ifMatch":"W/\\"7\\""}}""".formatted(existing, existing);

        given().contentType("application/fhir+json").body(TestBundles.patientWithObservations(SYSTEM, key, staleUpdate))
                .post("/").then().statusCode(409).body("resourceType", equalTo("OperationOutcome"));

        given().queryParam("identifier", SYSTEM + "|" + key).get("/Patient").then().body("total", equalTo(0));
        given().queryParam("identifier", SYSTEM + "|" + key).get("/Observation").then().body("total", equalTo(0));
        given().get("/Patient/" + existing).then().body("meta.versionId", equalTo("1"));
    }

    @Test
    void aConditionalCreateThatMatchesReturnsTheExistingResourceAndStoresNothing() {
        String key = unique();
        String first = conditionalCreate(key).then().statusCode(201).extract().path("id");

        conditionalCreate(key).then().statusCode(200).body("id", equalTo(first));
        given().queryParam("identifier", SYSTEM + "|" + key).get("/Patient").then().body("total", equalTo(1));
    }

    @Test
    void anUpdateMakesANewVersionAndAnUpdateAgainstAStaleVersionIsRejected() {
        String id = createPatient(unique());
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"active\":true}";

        given().contentType("application/fhir+json").header("If-Match", "W/\"1\"").body(body).put("/Patient/" + id)
                .then().statusCode(200).body("meta.versionId", equalTo("2"));
        given().contentType("application/fhir+json").header("If-Match", "W/\"1\"").body(body).put("/Patient/" + id)
                .then().statusCode(409).body("resourceType", equalTo("OperationOutcome"));

        given().get("/Patient/" + id + "/_history").then().body("total", equalTo(2));
        given().get("/Patient/" + id).then().body("active", equalTo(true)).body("meta.versionId", equalTo("2"));
    }

    @Test
    void aDeletedResourceIsGoneAndNoLongerFound() {
        String key = unique();
        String id = createPatient(key);

        given().delete("/Patient/" + id).then().statusCode(200);

        given().get("/Patient/" + id).then().statusCode(410);
        given().queryParam("identifier", SYSTEM + "|" + key).get("/Patient").then().body("total", equalTo(0));
        given().get("/Patient/" + id + "/_history/1").then().statusCode(200);
    }

    @Test
    void aConditionalUpdateCreatesOnceAndThenUpdatesTheMatch() {
        String key = unique();
        String body = TestBundles.patient(SYSTEM, key);

        String id = given().contentType("application/fhir+json").queryParam("identifier", SYSTEM + "|" + key).body(body)
                .put("/Patient").then().statusCode(201).extract().path("id");
        given().contentType("application/fhir+json").queryParam("identifier", SYSTEM + "|" + key)
                .body(body.replace("}]}", "}],\"active\":true}")).put("/Patient").then().statusCode(200)
                .body("id", equalTo(id)).body("meta.versionId", equalTo("2"));
    }

    private static Response conditionalCreate(String key) {
        return given().contentType("application/fhir+json").header("If-None-Exist", "identifier=" + SYSTEM + "|" + key)
                .body(TestBundles.patient(SYSTEM, key)).post("/Patient");
    }

    private static String createPatient(String key) {
        return given().contentType("application/fhir+json").body(TestBundles.patient(SYSTEM, key)).post("/Patient").then().statusCode(201).extract().path("id");
    }

    static String unique() {
        return UUID.randomUUID().toString();
    }
}
