package org.recoveryoutcomes.server.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden responses of the project's Questionnaires (questionnaires/src/test/golden/<id>/), scored by the server's
 * $score: every score equals the hand-calculated value of its .expected.json, to the precision the hand calculation
 * is written with; a null there means no score and an issue saying why.
 */
@ServerTest
class GoldenScoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        RestAssured.port = port;
        RestAssured.basePath = "/fhir";
    }

    static Stream<Arguments> goldenResponses() throws IOException {
        Path golden = Repo.path("questionnaires/src/test/golden");
        try (Stream<Path> dirs = Files.list(golden)) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals("invalid")).sorted()
                    .flatMap(GoldenScoresTest::responsesIn).toList().stream();
        }
    }

    private static Stream<Arguments> responsesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".expected.json")).sorted()
                    .map(f -> Arguments.of(dir.getFileName() + "/" + f.getFileName().toString().replace(".json", ""), f))
                    .toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} scores as calculated by hand")
    @MethodSource("goldenResponses")
    void aGoldenResponseScoresAsCalculatedByHand(String name, Path response) throws IOException {
        JsonNode expected = JSON.readTree(Repo.read(Path.of(response.toString().replace(".json", ".expected.json")))).get("scores");
        JsonPath out = RestAssured.given().contentType("application/fhir+json").body(Repo.read(response))
                .post("/QuestionnaireResponse/$score").then().statusCode(200).extract().jsonPath();
        Map<String, Object> scores = scores(out);
        List<String> issues = out.getList("parameter.findAll { it.name == 'issue' }.resource.issue.diagnostics.flatten()");

        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String linkId = e.getKey();
            JsonNode want = e.getValue();
            if (want.isNull()) {
                assertThat(scores).as(name + ": no value for " + linkId).doesNotContainKey(linkId);
                assertThat(issues).as(name + ": an issue says why " + linkId + " has no value").anyMatch(i -> i.startsWith(linkId + ": "));
            } else if (want.isBoolean()) {
                assertThat(scores.get(linkId)).as(name + " " + linkId).isEqualTo(want.booleanValue());
            } else {
                assertThat(scores).as(name).containsKey(linkId);
                BigDecimal wanted = want.decimalValue();
                BigDecimal got = new BigDecimal(scores.get(linkId).toString()).setScale(Math.max(wanted.scale(), 0), RoundingMode.HALF_UP);
                assertThat(got).as(name + " " + linkId + " (rounded as the hand calculation)").isEqualByComparingTo(wanted);
            }
        }
        assertThat(scores.keySet()).as(name + ": every score is in the fixture").isSubsetOf(iterable(expected.fieldNames()));
    }

    static Map<String, Object> scores(JsonPath parameters) {
        Map<String, Object> out = new HashMap<>();
        List<Map<String, Object>> params = parameters.getList("parameter");
        for (Map<String, Object> p : params) {
            if (!"score".equals(p.get("name"))) {
                continue;
            }
            String linkId = null;
            Object value = null;
            for (Object partObject : (List<?>) p.get("part")) {
                Map<?, ?> part = (Map<?, ?>) partObject;
                if ("linkId".equals(part.get("name"))) {
                    linkId = (String) part.get("valueString");
                }
                if ("value".equals(part.get("name"))) {
                    value = part.entrySet().stream().filter(x -> x.getKey().toString().startsWith("value")).findFirst().map(Map.Entry::getValue).orElse(null);
                }
            }
            out.put(linkId, value);
        }
        return out;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
