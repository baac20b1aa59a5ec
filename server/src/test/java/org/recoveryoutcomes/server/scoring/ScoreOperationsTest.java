package org.recoveryoutcomes.server.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** $score and $extract (contract §4): what they answer, their definitions, and bad input (4xx with an OperationOutcome, never 500). */
@ServerTest
class ScoreOperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANON = "https://w3id.org/recovery-outcomes/fhir";

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        RestAssured.port = port;
        RestAssured.basePath = "/fhir";
    }

    @Test
    void scoreGivesLinkIdCodeValueAndDomainForEachScore() throws IOException {
        // swemwbs-mixed-raw-16: raw 16, metric 16.36 (conversion table)
        JsonPath out = score(ScoreObservationStoreTest.golden("swemwbs/swemwbs-mixed-raw-16.json").toString()).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> scores = out.getList("parameter.findAll { it.name == 'score' }");
        assertThat(scores).hasSize(2);
        JsonPath raw = JsonPath.from(toJson(scores.get(0)));
        assertThat(raw.getString("part.find { it.name == 'linkId' }.valueString")).isEqualTo("swemwbs-raw");
        assertThat(raw.getString("part.find { it.name == 'code' }.valueCoding.system")).isEqualTo(CANON + "/CodeSystem/recovery-score");
        assertThat(raw.getString("part.find { it.name == 'code' }.valueCoding.code")).isEqualTo("swemwbs-raw");
        assertThat(raw.getDouble("part.find { it.name == 'value' }.valueDecimal")).isEqualTo(16.0);
        assertThat(raw.getString("part.find { it.name == 'domain' }.valueCoding.code")).isEqualTo("quality-of-life");
        JsonPath metric = JsonPath.from(toJson(scores.get(1)));
        assertThat(metric.getDouble("part.find { it.name == 'value' }.valueDecimal")).isEqualTo(16.36);
    }

    @Test
    void scoreOfAStoredResponseIsTheSameAsOfItsBody() throws IOException {
        ObjectNode qr = ScoreObservationStoreTest.golden("mansa/mansa-mixed.json");
        String id = RestAssured.given().contentType("application/fhir+json").body(qr.toString()).post("/QuestionnaireResponse")
                .then().statusCode(201).extract().jsonPath().getString("id");
        Map<String, Object> stored = GoldenScoresTest.scores(RestAssured.given().get("/QuestionnaireResponse/" + id + "/$score")
                .then().statusCode(200).extract().jsonPath());
        Map<String, Object> posted = GoldenScoresTest.scores(score(qr.toString()).then().statusCode(200).extract().jsonPath());
        assertThat(stored).isEqualTo(posted).containsKey("mansa-mean");
    }

    @Test
    void theCapabilityStatementPointsAtTheProjectsOperationDefinitions() {
        JsonPath cs = RestAssured.given().get("/metadata").then().statusCode(200).extract().jsonPath();
        Map<String, Object> qr = cs.getMap("rest[0].resource.find { it.type == 'QuestionnaireResponse' }");
        List<Map<String, Object>> operations = JsonPath.from(toJson(qr)).getList("operation");
        assertThat(operations).anySatisfy(o -> assertThat(o).containsEntry("name", "score")
                .containsEntry("definition", CANON + "/OperationDefinition/QuestionnaireResponse-score"));
        assertThat(operations).anySatisfy(o -> assertThat(o).containsEntry("name", "extract")
                .containsEntry("definition", CANON + "/OperationDefinition/QuestionnaireResponse-extract"));
        for (String id : List.of("QuestionnaireResponse-score", "QuestionnaireResponse-extract")) {
            assertThat(RestAssured.given().queryParam("url", CANON + "/OperationDefinition/" + id).queryParam("_summary", "count")
                    .get("/OperationDefinition").jsonPath().getInt("total")).as(id + " is installed").isOne();
        }
    }

    @Test
    void scoreWithoutABodyIs400() {
        assertOutcome(RestAssured.given().contentType("application/fhir+json").post("/QuestionnaireResponse/$score"), 400);
    }

    @Test
    void scoreOfSomethingThatIsNotJsonIs400() {
        assertOutcome(score("{ this is not json"), 400);
    }

    @Test
    void scoreOfAnotherResourceTypeIs400() {
        assertOutcome(score("{\"resourceType\":\"Patient\"}"), 400);
    }

    @Test
    void scoreOfParametersWithoutAResponseIs400() {
        assertOutcome(score("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"other\",\"valueString\":\"x\"}]}"), 400);
    }

    @Test
    void scoreAgainstAnUnknownQuestionnaireIs422() throws IOException {
        ObjectNode qr = ScoreObservationStoreTest.golden("wemwbs/wemwbs-mixed.json");
        qr.put("questionnaire", CANON + "/Questionnaire/unknown");
        JsonPath oo = assertOutcome(score(qr.toString()), 422);
        assertThat(oo.getString("issue[0].diagnostics")).contains("not known");
    }

    @Test
    void scoreOfAResponseThatDoesNotExistIs404() {
        assertOutcome(RestAssured.given().get("/QuestionnaireResponse/does-not-exist/$score"), 404);
    }

    @Test
    void extractOfAnUnknownQuestionnaireIs422AndOfABadBodyIs400() {
        assertOutcome(RestAssured.given().contentType("application/fhir+json")
                .body("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\",\"questionnaire\":\"" + CANON + "/Questionnaire/unknown\"}")
                .post("/QuestionnaireResponse/$extract"), 422);
        assertOutcome(RestAssured.given().contentType("application/fhir+json").body("[]").post("/QuestionnaireResponse/$extract"), 400);
    }

    private static Response score(String body) {
        return RestAssured.given().contentType("application/fhir+json").body(body).post("/QuestionnaireResponse/$score");
    }

    private static JsonPath assertOutcome(Response r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonPath oo = r.jsonPath();
        assertThat(oo.getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(r.asString()).doesNotContain("\tat ").doesNotContain("Exception:");
        return oo;
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
