package org.recoveryoutcomes.server.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent submission (contract §3): simultaneous identical conditional creates leave exactly one response (and
 * one set of score Observations). Run against H2 ({@link ConcurrentSubmissionTest}) and PostgreSQL
 * ({@link ConcurrentSubmissionPostgresTest}).
 */
abstract class ConcurrentSubmissionContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYSTEM = "https://example.org/fhir/identifiers/submission";
    private static final int CLIENTS = 20;

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        RestAssured.port = port;
        RestAssured.basePath = "/fhir";
    }

    @Test
    void twentySimultaneousIdenticalConditionalCreatesLeaveExactlyOneResponse() throws Exception {
        String value = UUID.randomUUID().toString();
        String body = response(value).toString();
        List<Integer> statuses = concurrently(() -> RestAssured.given().contentType("application/fhir+json")
                .header("If-None-Exist", "identifier=" + SYSTEM + "|" + value).body(body).post("/QuestionnaireResponse"));

        assertThat(statuses).as("every client is told the response is stored").allMatch(s -> s == 200 || s == 201);
        assertThat(statuses).as("exactly one created it").filteredOn(s -> s == 201).hasSize(1);
        assertStoredOnce(value);
    }

    @Test
    void twentySimultaneousIdenticalTransactionsWithAConditionalCreateLeaveExactlyOneResponse() throws Exception {
        String value = UUID.randomUUID().toString();
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        ObjectNode entry = entries.addObject().put("fullUrl", "urn:uuid:" + UUID.randomUUID());
        entry.set("resource", response(value));
        entry.putObject("request").put("method", "POST").put("url", "QuestionnaireResponse")
                .put("ifNoneExist", "identifier=" + SYSTEM + "|" + value);
        String body = bundle.toString();
        List<Integer> statuses = concurrently(() -> RestAssured.given().contentType("application/fhir+json").body(body).post("/"));

        assertThat(statuses).allMatch(s -> s == 200);
        assertStoredOnce(value);
    }

    private void assertStoredOnce(String value) {
        List<String> ids = RestAssured.given().queryParam("identifier", SYSTEM + "|" + value).get("/QuestionnaireResponse")
                .then().statusCode(200).extract().jsonPath().getList("entry.resource.id");
        assertThat(ids).hasSize(1);
        assertThat(ScoreObservationStoreTest.derivedFrom(ids.get(0))).as("one score Observation").hasSize(1);
    }

    private static ObjectNode response(String identifier) throws java.io.IOException {
        ObjectNode qr = ScoreObservationStoreTest.golden("wemwbs/wemwbs-mixed.json");
        qr.putObject("identifier").put("system", SYSTEM).put("value", identifier);
        return qr;
    }

    private static List<Integer> concurrently(java.util.concurrent.Callable<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return request.call().statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
