package org.recoveryoutcomes.server.database;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server nodes on one PostgreSQL database, as behind a load balancer: node A is the shared test server, node B a
 * second application started on the same database.
 */
@PostgresServerTest
class TwoNodesTest {

    /** The documented bound ({@code recovery.database.conformance-refresh} and HAPI's 10 s tick), with slack for a busy machine. */
    static final Duration REFRESH_BOUND = Duration.ofSeconds(30);
    static final String SYSTEM = "urn:test:two-nodes";

    static ServerNode nodeB;

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String databaseUrl;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String nodeA;

    @BeforeEach
    void nodes() {
        nodeA = "http://localhost:" + port + "/fhir";
        if (nodeB == null) {
            nodeB = ServerNode.start(databaseUrl);
        }
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
            nodeB = null;
        }
    }

    @Test
    void simultaneousConditionalCreatesThroughBothNodesLeaveOneResource() {
        for (int round = 0; round < 3; round++) {
            String key = UUID.randomUUID().toString();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpRequest create = HttpRequest.newBuilder(URI.create((i % 2 == 0 ? nodeA : nodeB.fhirBase()) + "/Patient"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/fhir+json")
                        .header("If-None-Exist", "identifier=" + SYSTEM + "|" + key)
                        .POST(HttpRequest.BodyPublishers.ofString(TestBundles.patient(SYSTEM, key))).build();
                answers.add(http.sendAsync(create, HttpResponse.BodyHandlers.ofString()));
            }
            List<HttpResponse<String>> responses = answers.stream().map(CompletableFuture::join).toList();

            assertThat(responses).as("round " + round).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 201));
            assertThat(responses.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
            assertThat(responses.stream().map(r -> JsonPath.from(r.body()).getString("id")).distinct()).hasSize(1);
            for (String node : List.of(nodeA, nodeB.fhirBase())) {
                assertThat(json(node + "/Patient?identifier=" + SYSTEM + "%7C" + key).getInt("total")).isEqualTo(1);
            }
        }
    }

    @Test
    void aSearchParameterCreatedThroughNodeAIsUsedByNodeBWithinTheRefreshBound() {
        String code = "tn" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String probe = "/Patient?" + code + "=nobody";
        assertThat(status(nodeB.fhirBase() + probe)).isEqualTo(400);

        send("POST", nodeA + "/SearchParameter", """
                {"resourceType":"SearchParameter","url":"urn:test:sp:%s","name":"%s","status":"active","code":"%s",
                 "base":["Patient"],"type":"token","expression":"Patient.identifier.where(system='%s')",
                 "description":"test"}""".formatted(code, code, code, SYSTEM), 201);
        long start = System.nanoTime();
        awaitTrue(() -> status(nodeB.fhirBase() + probe) == 200, "node B accepts ?" + code);
        System.out.printf("two nodes: SearchParameter usable on node B after %.1f s%n", (System.nanoTime() - start) / 1e9);
        awaitTrue(() -> status(nodeA + probe) == 200, "node A accepts ?" + code);

        String key = UUID.randomUUID().toString();
        send("POST", nodeA + "/Patient", TestBundles.patient(SYSTEM, key), 201);
        assertThat(json(nodeB.fhirBase() + "/Patient?" + code + "=" + key).getInt("total")).isEqualTo(1);
    }

    @Test
    void terminologyChangedThroughNodeAIsUsedByNodeBWithinTheRefreshBound() {
        String id = "tn-" + UUID.randomUUID().toString().substring(0, 8);
        String system = "urn:test:two-nodes:" + id;
        String codeSystem = """
                {"resourceType":"CodeSystem","id":"%s","url":"%s","status":"active","content":"complete",
                 "concept":[%s]}""";
        send("PUT", nodeA + "/CodeSystem/" + id, codeSystem.formatted(id, system, "{\"code\":\"a\",\"display\":\"Alpha\"}"), 201);
        send("PUT", nodeA + "/ValueSet/" + id, """
                {"resourceType":"ValueSet","id":"%s","url":"%s","status":"active","compose":{"include":[{"system":"%s"}]}}"""
                .formatted(id, system, system), 201);
        String lookup = nodeB.fhirBase() + "/CodeSystem/$lookup?system=" + system + "&code=a";
        String expand = nodeB.fhirBase() + "/ValueSet/$expand?url=" + system;
        assertThat(json(lookup).getString("parameter.find { it.name == 'display' }.valueString")).isEqualTo("Alpha");
        assertThat(json(expand).getList("expansion.contains.code")).containsExactly("a");

        send("PUT", nodeA + "/CodeSystem/" + id, codeSystem.formatted(id, system,
                "{\"code\":\"a\",\"display\":\"Alpha two\"},{\"code\":\"b\",\"display\":\"Beta\"}"), 200);
        long start = System.nanoTime();
        awaitTrue(() -> "Alpha two".equals(json(lookup).getString("parameter.find { it.name == 'display' }.valueString")),
                "node B looks up the new display");
        awaitTrue(() -> json(expand).getList("expansion.contains.code").contains("b"), "node B expands to the new code");
        System.out.printf("two nodes: CodeSystem change used on node B after %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + REFRESH_BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + REFRESH_BOUND).isLessThan(deadline);
            sleep(250);
        }
    }

    private int status(String url) {
        return get(url).statusCode();
    }

    private JsonPath json(String url) {
        HttpResponse<String> r = get(url);
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JsonPath.from(r.body());
    }

    private HttpResponse<String> get(String url) {
        return call(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json").GET());
    }

    private void send(String method, String url, String body, int expectedStatus) {
        HttpResponse<String> r = call(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/fhir+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(method + " " + url + ": " + r.body()).isEqualTo(expectedStatus);
    }

    private HttpResponse<String> call(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
