package org.recoveryoutcomes.server.database;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    @Autowired
    JdbcTemplate jdbc;

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
                        .header("Authorization", "Bearer " + TestTokens.allAccess()).header("If-None-Exist", "identifier=" + SYSTEM + "|" + key)
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
    void aPagingLinkIssuedByNodeAWorksOnNodeBForTheClientItWasIssuedToOnly() {
        String key = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            send("POST", nodeA + "/Patient", TestBundles.patient(SYSTEM, key), 201);
        }
        JsonPath first = json(nodeA + "/Patient?identifier=" + SYSTEM + "%7C" + key + "&_count=1");
        List<String> relations = first.getList("link.relation", String.class);
        String next = first.getString("link[" + relations.indexOf("next") + "].url");
        assertThat(next).contains("_getpages=");
        String onNodeB = nodeB.fhirBase() + next.substring(next.indexOf("/fhir") + "/fhir".length());

        JsonPath second = json(onNodeB);
        assertThat(second.getList("entry")).hasSize(1);
        assertThat(second.getString("entry[0].resource.id")).isNotEqualTo(first.getString("entry[0].resource.id"));
        String otherClient = TestTokens.token().clientId("another-client").scope("system/*.rs").sign();
        HttpResponse<String> replayed = call(HttpRequest.newBuilder(URI.create(onNodeB)).header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + otherClient).GET());
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(403);
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

    @Test
    void aQuestionnaireChangedThroughNodeAIsUsedForValidationAndScoringByNodeBWithinTheRefreshBound() {
        String id = "tn-q-" + UUID.randomUUID().toString().substring(0, 8);
        String url = "urn:test:two-nodes:questionnaire:" + id;
        send("PUT", nodeA + "/Questionnaire/" + id, questionnaire(id, url, false, 1), 201);
        // node B compiles version 1 into its caches: a optional, total = a
        assertThat(scoreOnNodeB(response(url, 3))).isEqualByComparingTo("3");
        send("POST", nodeB.fhirBase() + "/QuestionnaireResponse", response(url, null), 201);

        send("PUT", nodeA + "/Questionnaire/" + id, questionnaire(id, url, true, 10), 200);
        long start = System.nanoTime();
        awaitTrue(() -> scoreOnNodeB(response(url, 3)).compareTo(BigDecimal.valueOf(30)) == 0, "node B scores with version 2");
        HttpResponse<String> invalid = call(HttpRequest.newBuilder(URI.create(nodeB.fhirBase() + "/QuestionnaireResponse"))
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(response(url, null))));
        System.out.printf("two nodes: Questionnaire change used on node B after %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(invalid.statusCode()).as("node B validates with version 2 (a is required): " + invalid.body()).isEqualTo(422);
        assertThat(invalid.body()).contains("OperationOutcome");
    }

    @Test
    void scoresWrittenThroughBothNodesAtOnceLeaveAConsistentReadModelThatBothNodesReportAlike() throws Exception {
        String organization = "tn-org-" + UUID.randomUUID().toString().substring(0, 8);
        int people = 24;
        int scoresEach = 4;
        List<String[]> writes = new ArrayList<>();
        for (int p = 0; p < people; p++) {
            String patient = organization + "-p" + p;
            for (int k = 0; k < scoresEach; k++) {
                // dates out of order and spread over both nodes, so one person's baseline moves while others write
                writes.add(new String[]{patient, "1991-%02d-%02dT10:00:00Z".formatted(12 - k * 3, 1 + p), String.valueOf(20 + p + 5 * k)});
            }
        }
        java.util.Collections.shuffle(writes, new java.util.Random(7));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            String node = i % 2 == 0 ? nodeA : nodeB.fhirBase();
            String[] w = writes.get(i);
            answers.add(clients.submit(() -> call(HttpRequest.newBuilder(URI.create(node + "/Observation"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(scoreObservation(w[0], organization, w[1], w[2]))))));
        }
        for (Future<HttpResponse<String>> answer : answers) {
            HttpResponse<String> r = answer.get(120, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        clients.shutdown();

        // the facts: one per Observation, one baseline per person, every fact carrying that person's earliest score
        List<Map<String, Object>> persons = jdbc.queryForList("""
                select person_key, count(*) as facts, sum(case when baseline then 1 else 0 end) as baselines,
                       count(distinct baseline_effective) as baseline_dates, min(effective) as earliest,
                       max(baseline_effective) as baseline_effective
                from recovery_score_fact where organization_id = ? and code = 'wemwbs-total' group by person_key""", organization);
        assertThat(persons).hasSize(people);
        assertThat(persons).allSatisfy(row -> {
            assertThat(((Number) row.get("facts")).intValue()).isEqualTo(scoresEach);
            assertThat(((Number) row.get("baselines")).intValue()).isEqualTo(1);
            assertThat(((Number) row.get("baseline_dates")).intValue()).isEqualTo(1);
            assertThat(((Number) row.get("baseline_effective")).longValue()).isEqualTo(((Number) row.get("earliest")).longValue());
        });
        // both nodes publish the same figures
        String aggregate = "/Observation/$aggregate?code=wemwbs-total&organization=" + organization + "&group-by=quarter";
        Object onA = json(nodeA + aggregate).get("group");
        Object onB = json(nodeB.fhirBase() + aggregate).get("group");
        assertThat(onB).isEqualTo(onA);
        assertThat(json(nodeA + "/Observation/$aggregate?code=wemwbs-total&organization=" + organization)
                .getInt("group[0].population.find { it.code.coding[0].code == 'measured' }.count")).isGreaterThanOrEqualTo(people - 5);
    }

    private BigDecimal scoreOnNodeB(String response) {
        JsonPath out = json(call(HttpRequest.newBuilder(URI.create(nodeB.fhirBase() + "/QuestionnaireResponse/$score")).header("Accept", "application/fhir+json")
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(response))));
        Map<String, Object> value = out.getMap("parameter.find { it.name == 'score' }.part.find { it.name == 'value' }");
        return value.entrySet().stream().filter(e -> e.getKey().startsWith("value")).map(e -> new BigDecimal(e.getValue().toString()))
                .findFirst().orElseThrow();
    }

    /** A scored SDC Questionnaire: an integer item a and a calculated total = a × factor. */
    private static String questionnaire(String id, String url, boolean aRequired, int factor) {
        return """
                {"resourceType":"Questionnaire","id":"%s","url":"%s","status":"active","item":[
                 {"linkId":"a","text":"A","type":"integer","required":%s},
                 {"linkId":"total","text":"Total","type":"decimal","readOnly":true,"extension":[
                  {"url":"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                   "valueExpression":{"language":"text/fhirpath",
                    "expression":"%%resource.item.where(linkId='a').answer.value * %d"}}]}]}"""
                .formatted(id, url, aRequired, factor);
    }

    private static String response(String questionnaire, Integer a) {
        String item = a == null ? "" : ",\"item\":[{\"linkId\":\"a\",\"answer\":[{\"valueInteger\":" + a + "}]}]";
        return "{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":\"" + questionnaire
                + "\",\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/tn-q-subject\"},"
                + "\"authored\":\"2025-01-01\"" + item + "}";
    }

    private static String scoreObservation(String patient, String organization, String date, String value) {
        return """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"survey"}]}],
                 "code":{"coding":[{"system":"https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score","code":"wemwbs-total"}]},
                 "subject":{"reference":"Patient/%s"},"performer":[{"reference":"Organization/%s"}],"effectiveDateTime":"%s",
                 "valueQuantity":{"value":%s,"unit":"{score}","system":"http://unitsofmeasure.org","code":"{score}"}}"""
                .formatted(patient, organization, date, value);
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
        return json(get(url));
    }

    private static JsonPath json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
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
            HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
            if (built.headers().firstValue("Authorization").isEmpty()) {
                built = HttpRequest.newBuilder(built, (name, value) -> true)
                        .header("Authorization", "Bearer " + TestTokens.allAccess()).build();
            }
            return http.send(built, HttpResponse.BodyHandlers.ofString());
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
