package org.recoveryoutcomes.server.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of the scoring engine against fhirpath.js: for every Questionnaire of the third-party corpus
 * (conformance/sdc-scoring: LHC-Forms, MII PROMs) and of this project, random responses (fill.js, seeds 1..N) are
 * scored by the oracle (oracle.js) and by the server's $score; every calculated item must get the same value
 * (numbers within 1e-6, others equal, null = no value).
 */
@ServerTest
class ConformanceCorpusTest {

    static final int SEEDS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-6;

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        RestAssured.port = port;
        RestAssured.basePath = "/fhir";
    }

    /** One Questionnaire with the ValueSets/CodeSystems its weights or answers come from. */
    record Form(String name, Path questionnaire, List<Path> context, boolean stored) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Form> forms() throws IOException {
        List<Form> out = new ArrayList<>();
        for (Path q : list(Repo.path("conformance/sdc-scoring/lforms"), "")) {
            out.add(new Form("lforms/" + q.getFileName(), q, List.of(), false));
        }
        Path mii = Repo.path("conformance/sdc-scoring/mii-proms");
        List<Path> miiTerminology = new ArrayList<>(list(mii, "CodeSystem-"));
        miiTerminology.addAll(list(mii, "ValueSet-"));
        for (Path q : list(mii, "Questionnaire-")) {
            out.add(new Form("mii-proms/" + q.getFileName(), q, miiTerminology, false));
        }
        // BDI-II: no computable total (see its README); the T-score mapping still gives a value
        Path unsupported = mii.resolve("unsupported");
        List<Path> bdiTerminology = new ArrayList<>(list(unsupported, "CodeSystem-"));
        bdiTerminology.addAll(list(unsupported, "ValueSet-"));
        for (Path q : list(unsupported, "Questionnaire-")) {
            out.add(new Form("mii-proms/unsupported/" + q.getFileName(), q, bdiTerminology, false));
        }
        Path ours = Repo.path("terminology/src/main/fhir");
        List<Path> terminology = new ArrayList<>(list(ours, "CodeSystem-"));
        terminology.addAll(list(ours, "ValueSet-"));
        for (Path q : list(Repo.path("questionnaires/src/main/fhir"), "Questionnaire-")) {
            out.add(new Form("ours/" + q.getFileName(), q, terminology, true));
        }
        return out;
    }

    static Stream<Arguments> randomResponses() throws IOException {
        return forms().stream().flatMap(f -> IntStream.rangeClosed(1, SEEDS).mapToObj(seed -> Arguments.of(f, seed)));
    }

    private static List<Path> list(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0} seed {1} scores as fhirpath.js does")
    @MethodSource("randomResponses")
    void aRandomResponseScoresAsFhirpathJsDoes(Form form, int seed) throws IOException {
        uploadTerminology(form);
        String response = Oracle.fill(form.questionnaire(), String.valueOf(seed), form.context());
        JsonNode expected = JSON.readTree(Oracle.score(form.questionnaire(), response, form.context()));
        JsonPath scored = score(form, response);
        compare(form + " seed " + seed, expected, scored);
    }

    @Test
    void theMiiPhq9FixturesScoreTheirKnownTotals() throws IOException {
        // totals from the fixture names and the corpus README (qr-mixed: 12); old linkIds mapped by the MII ConceptMap
        Path mii = Repo.path("conformance/sdc-scoring/mii-proms");
        Path questionnaire = mii.resolve("Questionnaire-mii-qst-pro-phq-9.json");
        JsonNode fixtures = JSON.readTree(mii.resolve("tests/phq9-scoring.fixtures.json").toFile());
        Map<String, String> linkIds = linkIdMigration(JSON.readTree(mii.resolve("ConceptMap-mii-cm-pro-phq-9-linkid-migration.json").toFile()));
        Map<String, Integer> totals = Map.of("qr-min-score", 0, "qr-max-score", 27, "qr-score-4", 4, "qr-score-5", 5,
                "qr-score-10", 10, "qr-score-15", 15, "qr-score-20", 20, "qr-mixed", 12);
        Form form = new Form("mii PHQ-9", questionnaire, List.of(), false);
        for (Map.Entry<String, Integer> t : totals.entrySet()) {
            ObjectNode qr = (ObjectNode) fixtures.get(t.getKey()).deepCopy();
            for (JsonNode item : qr.withArray("item")) {
                String mapped = linkIds.get(item.get("linkId").asText());
                if (mapped != null) {
                    ((ObjectNode) item).put("linkId", mapped);
                }
            }
            JsonPath scored = score(form, JSON.writeValueAsString(qr));
            assertThat(new BigDecimal(String.valueOf(GoldenScoresTest.scores(scored).get("phq-phq9-score-total"))))
                    .as(t.getKey()).isEqualByComparingTo(BigDecimal.valueOf(t.getValue()));
        }
    }

    private static Map<String, String> linkIdMigration(JsonNode conceptMap) {
        Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode g : conceptMap.path("group")) {
            for (JsonNode e : g.path("element")) {
                out.put(e.get("code").asText(), e.path("target").path(0).path("code").asText());
            }
        }
        return out;
    }

    private JsonPath score(Form form, String response) throws IOException {
        String body;
        if (form.stored()) {
            body = response;
        } else {
            ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
            ArrayNode p = parameters.putArray("parameter");
            p.addObject().put("name", "response").set("resource", JSON.readTree(response));
            p.addObject().put("name", "questionnaire").set("resource", JSON.readTree(form.questionnaire().toFile()));
            body = JSON.writeValueAsString(parameters);
        }
        // decimals as BigDecimal: RestAssured's default (float) would cut the server's values to 7 digits
        return RestAssured.given().config(RestAssured.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.BIG_DECIMAL)))
                .contentType("application/fhir+json").body(body)
                .post("/QuestionnaireResponse/$score").then().statusCode(200).extract().jsonPath();
    }

    private static final java.util.Set<Path> uploaded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The corpus' canonical ValueSets/CodeSystems are stored on the server (the project's own are installed at start-up). */
    private void uploadTerminology(Form form) throws IOException {
        if (form.stored()) {
            return;
        }
        for (Path c : form.context()) {
            if (uploaded.add(c)) {
                JsonNode r = JSON.readTree(c.toFile());
                RestAssured.given().contentType("application/fhir+json").body(r.toString())
                        .put("/" + r.get("resourceType").asText() + "/" + r.get("id").asText()).then().statusCode(org.hamcrest.Matchers.isOneOf(200, 201));
            }
        }
    }

    private static void compare(String label, JsonNode expected, JsonPath scored) {
        Map<String, List<Object>> values = new java.util.HashMap<>();
        List<Map<String, Object>> params = scored.getList("parameter");
        for (Map<String, Object> p : params == null ? List.<Map<String, Object>>of() : params) {
            if (!"score".equals(p.get("name"))) {
                continue;
            }
            String linkId = null;
            Object value = null;
            for (Object o : (List<?>) p.get("part")) {
                Map<?, ?> part = (Map<?, ?>) o;
                if ("linkId".equals(part.get("name"))) {
                    linkId = (String) part.get("valueString");
                } else if ("value".equals(part.get("name"))) {
                    value = part.entrySet().stream().filter(x -> x.getKey().toString().startsWith("value")).findFirst().map(Map.Entry::getValue).orElse(null);
                }
            }
            values.computeIfAbsent(linkId, k -> new ArrayList<>()).add(value);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode want = e.getValue();
            List<Object> got = values.getOrDefault(e.getKey(), List.of());
            String what = label + " " + e.getKey() + ": oracle " + want + ", server " + got;
            if (want.isNull()) {
                assertThat(got).as(what).isEmpty();
            } else if (want.isArray()) {
                List<JsonNode> wanted = new ArrayList<>();
                want.forEach(wanted::add);
                assertThat(got).as(what).hasSize(wanted.size());
                for (int i = 0; i < wanted.size(); i++) {
                    same(what, wanted.get(i), got.get(i));
                }
            } else {
                assertThat(got).as(what).hasSize(1);
                same(what, want, got.get(0));
            }
        }
        assertThat(values.keySet()).as(label + ": the server scores only what the oracle scores").allMatch(expected::has);
    }

    private static void same(String what, JsonNode want, Object got) {
        if (want.isNumber()) {
            assertThat(got).as(what).isNotNull();
            assertThat(Math.abs(new BigDecimal(got.toString()).subtract(want.decimalValue()).doubleValue())).as(what).isLessThanOrEqualTo(TOLERANCE);
        } else if (want.isBoolean()) {
            assertThat(got).as(what).isEqualTo(want.booleanValue());
        } else if (want.isTextual()) {
            assertThat(String.valueOf(got)).as(what).isEqualTo(want.asText());
        } else {
            assertThat((JsonNode) JSON.valueToTree(got)).as(what).isEqualTo(want);
        }
    }
}
