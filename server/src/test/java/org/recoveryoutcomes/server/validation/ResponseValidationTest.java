package org.recoveryoutcomes.server.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Completed and amended responses are checked against their Questionnaire on write (contract §3). */
@ServerTest
class ResponseValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTIFIER_SYSTEM = "https://example.org/fhir/identifiers/validation-test";
    private static final String CANON = "https://w3id.org/recovery-outcomes/fhir";

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        RestAssured.port = port;
        RestAssured.basePath = "/fhir";
    }

    static Path golden(String relative) {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.exists(here.resolve("server")) ? here : here.getParent();
        return root.resolve("questionnaires/src/test/golden").resolve(relative);
    }

    static ObjectNode read(String relative) throws IOException {
        return (ObjectNode) JSON.readTree(golden(relative).toFile());
    }

    static Stream<Arguments> invalidFixtures() throws IOException {
        try (Stream<Path> files = Files.list(golden("invalid"))) {
            return files.filter(f -> f.toString().endsWith(".json") && !f.toString().endsWith(".expected.json")).sorted()
                    .map(f -> Arguments.of(f.getFileName().toString().replace(".json", ""))).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0} is rejected with 422, one issue at each offending item, and nothing is stored")
    @MethodSource("invalidFixtures")
    void anInvalidResponseIsRejectedWith422AtTheOffendingItemsAndNothingIsStored(String name) throws IOException {
        ObjectNode qr = read("invalid/" + name + ".json");
        JsonNode expected = JSON.readTree(golden("invalid/" + name + ".expected.json").toFile());
        String id = identify(qr);

        JsonPath oo = post(qr).then().statusCode(expected.get("status").asInt()).extract().jsonPath();

        List<String> wanted = new ArrayList<>();
        expected.get("expressions").forEach(e -> wanted.add(e.asText()));
        assertThat(oo.getString("resourceType")).isEqualTo("OperationOutcome");
        assertThat(oo.<String>getList("issue.expression.flatten()")).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(oo.<String>getList("issue.severity")).containsOnly("error");
        assertThat(stored(id)).isZero();
    }

    @Test
    void aValidCompletedResponseIsStored() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-mixed.json");
        String id = identify(qr);
        post(qr).then().statusCode(201);
        assertThat(stored(id)).isOne();
    }

    @Test
    void aResponseToAnUnknownQuestionnaireIsRejectedWith422SayingSo() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-mixed.json");
        qr.put("questionnaire", CANON + "/Questionnaire/no-such-questionnaire");
        String id = identify(qr);
        JsonPath oo = post(qr).then().statusCode(422).extract().jsonPath();
        assertThat(oo.<String>getList("issue.expression.flatten()")).containsExactly("QuestionnaireResponse.questionnaire");
        assertThat(oo.getString("issue[0].diagnostics")).contains("no-such-questionnaire").contains("not known");
        assertThat(stored(id)).isZero();
    }

    @Test
    void aResponseNamingTheQuestionnaireVersionIsCheckedAgainstThatVersion() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-mixed.json");
        qr.put("questionnaire", CANON + "/Questionnaire/wemwbs|0.1.0");
        post(qr).then().statusCode(201);

        qr.put("questionnaire", CANON + "/Questionnaire/wemwbs|9.9.9");
        JsonPath oo = post(qr).then().statusCode(422).extract().jsonPath();
        assertThat(oo.getString("issue[0].diagnostics")).contains("wemwbs|9.9.9");
    }

    @Test
    void aCompletedResponseWithoutSubjectOrAuthoredGetsOneIssueForEach() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-mixed.json");
        qr.remove("subject");
        qr.remove("authored");
        JsonPath oo = post(qr).then().statusCode(422).extract().jsonPath();
        assertThat(oo.<String>getList("issue.expression.flatten()"))
                .containsExactlyInAnyOrder("QuestionnaireResponse.subject", "QuestionnaireResponse.authored");
    }

    @Test
    void everyProblemOfAResponseIsReportedInOneAnswer() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-mixed.json");
        ArrayNode items = (ArrayNode) qr.get("item");
        ((ObjectNode) items.get(0).get("answer").get(0).get("valueCoding")).put("code", "never");
        ((ObjectNode) items.get(2)).put("linkId", "wemwbs-99");
        ((ObjectNode) items.get(5).get("answer").get(0)).removeAll().put("valueString", "often");
        JsonPath oo = post(qr).then().statusCode(422).extract().jsonPath();
        assertThat(oo.<String>getList("issue.expression.flatten()")).containsExactlyInAnyOrder(
                "QuestionnaireResponse.item[0].answer[0]", "QuestionnaireResponse.item[2]", "QuestionnaireResponse.item[5].answer[0]",
                "QuestionnaireResponse");
        assertThat(oo.getString("issue.find { it.expression[0] == 'QuestionnaireResponse' }.diagnostics")).contains("wemwbs-3");
    }

    @Test
    void anInProgressResponseIsStoredWithoutCompletenessChecks() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-incomplete-item-5-missing.json");
        qr.put("status", "in-progress");
        qr.remove("authored");
        String id = identify(qr);
        post(qr).then().statusCode(201);
        assertThat(stored(id)).isOne();
    }

    @Test
    void aCodeOutsideTheItemsAnswerValueSetIsRejected() throws IOException {
        ObjectNode qr = read("social-inclusion/social-inclusion-employed-settled.json");
        ObjectNode coding = (ObjectNode) qr.get("item").get(0).get("item").get(0).get("answer").get(0).get("valueCoding");
        coding.put("code", "99");
        // hours-worked is enabled only when employed (01): with another status it must go too
        ((ArrayNode) qr.get("item").get(0).get("item")).remove(1);
        JsonPath oo = post(qr).then().statusCode(422).extract().jsonPath();
        assertThat(oo.<String>getList("issue.expression.flatten()")).containsExactly("QuestionnaireResponse.item[0].item[0].answer[0]");
        assertThat(oo.getString("issue[0].diagnostics")).contains("answerValueSet");

        coding.put("code", "ZZ");
        post(qr).then().statusCode(201);
    }

    @Test
    void aTransactionWithAnInvalidResponseStoresNothing() throws IOException {
        String patientId = "val-" + UUID.randomUUID();
        ObjectNode patient = JSON.createObjectNode().put("resourceType", "Patient");
        patient.putArray("identifier").addObject().put("system", IDENTIFIER_SYSTEM).put("value", patientId);
        ObjectNode qr = read("invalid/qr-answer-not-in-options.json");
        qr.putObject("subject").put("reference", "urn:uuid:" + patientId);
        String qrId = identify(qr);
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        ObjectNode e1 = entries.addObject().put("fullUrl", "urn:uuid:" + patientId);
        e1.set("resource", patient);
        e1.putObject("request").put("method", "POST").put("url", "Patient");
        ObjectNode e2 = entries.addObject().put("fullUrl", "urn:uuid:" + UUID.randomUUID());
        e2.set("resource", qr);
        e2.putObject("request").put("method", "POST").put("url", "QuestionnaireResponse");

        Response response = RestAssured.given().contentType("application/fhir+json").body(bundle.toString()).post("/");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.jsonPath().<String>getList("issue.expression.flatten()")).contains("QuestionnaireResponse.item[3].answer[0]");
        assertThat(stored(qrId)).isZero();
        assertThat(RestAssured.given().queryParam("identifier", IDENTIFIER_SYSTEM + "|" + patientId).queryParam("_summary", "count")
                .get("/Patient").jsonPath().getInt("total")).isZero();
    }

    @Test
    void anUpdateThatMakesAResponseInvalidIsRejectedAndTheStoredVersionStays() throws IOException {
        ObjectNode qr = read("wemwbs/wemwbs-mixed.json");
        String id = post(qr).then().statusCode(201).extract().jsonPath().getString("id");
        qr.put("id", id);
        ((ObjectNode) qr.get("item").get(3).get("answer").get(0).get("valueCoding")).put("code", "very-often");
        JsonPath oo = RestAssured.given().contentType("application/fhir+json").body(qr.toString())
                .put("/QuestionnaireResponse/" + id).then().statusCode(422).extract().jsonPath();
        assertThat(oo.<String>getList("issue.expression.flatten()")).containsExactly("QuestionnaireResponse.item[3].answer[0]");
        assertThat(RestAssured.given().get("/QuestionnaireResponse/" + id).jsonPath().getString("meta.versionId")).isEqualTo("1");
    }

    private static String identify(ObjectNode qr) {
        String value = UUID.randomUUID().toString();
        qr.putObject("identifier").put("system", IDENTIFIER_SYSTEM).put("value", value);
        return value;
    }

    private static Response post(JsonNode qr) {
        return RestAssured.given().contentType("application/fhir+json").body(qr.toString()).post("/QuestionnaireResponse");
    }

    private static int stored(String identifier) {
        return RestAssured.given().queryParam("identifier", IDENTIFIER_SYSTEM + "|" + identifier).queryParam("_summary", "count")
                .get("/QuestionnaireResponse")
                .then().statusCode(200).extract().jsonPath().getInt("total");
    }
}
