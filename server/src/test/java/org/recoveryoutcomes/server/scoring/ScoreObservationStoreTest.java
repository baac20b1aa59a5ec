package org.recoveryoutcomes.server.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored completed response of a scored Questionnaire gets its score Observations in the same transaction
 * (contract §3); amending replaces them, deleting removes them. Expected values are the golden fixtures' hand
 * calculations (questionnaires/src/test/golden).
 */
@ServerTest
class ScoreObservationStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANON = "https://w3id.org/recovery-outcomes/fhir";

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        RestAssured.port = port;
        RestAssured.basePath = "/fhir";
    }

    static ObjectNode golden(String relative) throws IOException {
        return (ObjectNode) JSON.readTree(Repo.path("questionnaires/src/test/golden/" + relative).toFile());
    }

    @Test
    void aStoredCompletedResponseGetsAScoreObservationAsTheContractDescribes() throws IOException {
        ObjectNode qr = golden("wemwbs/wemwbs-mixed.json");   // hand calculation: 46
        qr.putObject("author").put("reference", "Organization/submitting-service");
        String id = create(qr);

        List<Map<String, Object>> observations = derivedFrom(id);
        assertThat(observations).hasSize(1);
        JsonPath o = JsonPath.from(JSON.writeValueAsString(observations.get(0)));
        assertThat(o.getString("status")).isEqualTo("final");
        assertThat(o.<String>getList("meta.profile")).containsExactly(CANON + "/StructureDefinition/recovery-score-observation");
        assertThat(o.getString("code.coding[0].system")).isEqualTo(CANON + "/CodeSystem/recovery-score");
        assertThat(o.getString("code.coding[0].code")).isEqualTo("wemwbs-total");
        // the ConceptMap's equivalent SNOMED CT code (unverified in a release), as a secondary coding only
        assertThat(o.getString("code.coding[1].system")).isEqualTo("http://snomed.info/sct");
        assertThat(o.getString("code.coding[1].code")).isEqualTo("718426000");
        assertThat(o.<String>getList("category.coding.flatten().code")).containsExactly("survey", "quality-of-life");
        assertThat(o.getString("subject.reference")).isEqualTo("Patient/example");
        assertThat(o.getString("effectiveDateTime")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(o.getString("derivedFrom[0].reference")).isEqualTo("QuestionnaireResponse/" + id);
        assertThat(o.getString("performer[0].reference")).isEqualTo("Organization/submitting-service");
        assertThat(o.getDouble("valueQuantity.value")).isEqualTo(46.0);
        assertThat(o.getString("valueQuantity.unit")).isEqualTo("{score}");
        assertThat(o.getString("valueQuantity.system")).isEqualTo("http://unitsofmeasure.org");
        assertThat(o.getString("valueQuantity.code")).isEqualTo("{score}");
    }

    @Test
    void theScoreObservationsConformToTheRecoveryScoreProfile() throws IOException {
        ObjectNode qr = golden("swemwbs/swemwbs-mixed-raw-16.json");
        String id = create(qr);
        for (Map<String, Object> observation : derivedFrom(id)) {
            JsonPath outcome = RestAssured.given().contentType("application/fhir+json").body(JSON.writeValueAsString(observation))
                    .post("/Observation/$validate?profile=" + CANON + "/StructureDefinition/recovery-score-observation")
                    .then().extract().jsonPath();
            assertThat(outcome.<String>getList("issue.findAll { it.severity == 'error' }.diagnostics")).isEmpty();
        }
    }

    @Test
    void integerAndBooleanScoresAreStoredAsValueIntegerAndValueBoolean() throws IOException {
        String id = create(golden("social-inclusion/social-inclusion-employed-settled.json"));
        Map<String, Object> byCode = new java.util.HashMap<>();
        for (Map<String, Object> o : derivedFrom(id)) {
            JsonPath p = JsonPath.from(JSON.writeValueAsString(o));
            byCode.put(p.getString("code.coding[0].code"), p.get("valueInteger") != null ? p.get("valueInteger") : p.get("valueBoolean"));
        }
        // hand calculation in social-inclusion-employed-settled.expected.json
        assertThat(byCode).containsOnly(Map.entry("inclusion-people", 11), Map.entry("inclusion-places", 7),
                Map.entry("inclusion-spread", 6), Map.entry("employment-paid", true), Map.entry("accommodation-settled", true));
    }

    @Test
    void thePerformerIsTheSubjectsManagingOrganisationWhenTheResponseHasNoOrganisationAuthor() throws IOException {
        ObjectNode patient = JSON.createObjectNode().put("resourceType", "Patient");
        patient.putObject("managingOrganization").put("reference", "Organization/community-team");
        String patientId = RestAssured.given().contentType("application/fhir+json").body(patient.toString()).post("/Patient")
                .then().statusCode(201).extract().jsonPath().getString("id");
        ObjectNode qr = golden("qpr-15/qpr-15-mixed.json");   // hand calculation: 37
        qr.putObject("subject").put("reference", "Patient/" + patientId);
        qr.putObject("author").put("reference", "Patient/" + patientId);
        String id = create(qr);
        JsonPath o = JsonPath.from(JSON.writeValueAsString(derivedFrom(id).get(0)));
        assertThat(o.getString("performer[0].reference")).isEqualTo("Organization/community-team");
        assertThat(o.getDouble("valueQuantity.value")).isEqualTo(37.0);
    }

    @Test
    void amendingTheResponseReplacesItsScoreAndDeletingItRemovesIt() throws IOException {
        ObjectNode qr = golden("wemwbs/wemwbs-mixed.json");   // 46
        String id = create(qr);
        String observationId = (String) derivedFrom(id).get(0).get("id");

        qr.put("id", id).put("status", "amended");
        // item 1: some-of-the-time (3) -> all-of-the-time (5): 46 - 3 + 5 = 48
        ObjectNode coding = (ObjectNode) qr.get("item").get(0).get("answer").get(0).get("valueCoding");
        coding.put("code", "all-of-the-time").put("display", "All of the time");
        RestAssured.given().contentType("application/fhir+json").body(qr.toString()).put("/QuestionnaireResponse/" + id).then().statusCode(200);

        List<Map<String, Object>> after = derivedFrom(id);
        assertThat(after).hasSize(1);
        JsonPath o = JsonPath.from(JSON.writeValueAsString(after.get(0)));
        assertThat(o.getDouble("valueQuantity.value")).isEqualTo(48.0);
        assertThat(o.getString("id")).isEqualTo(observationId);

        RestAssured.given().delete("/QuestionnaireResponse/" + id).then().statusCode(200);
        assertThat(derivedFrom(id)).isEmpty();
    }

    @Test
    void anInProgressResponseMakesNoScoreObservation() throws IOException {
        ObjectNode qr = golden("wemwbs/wemwbs-mixed.json");
        qr.put("status", "in-progress");
        assertThat(derivedFrom(create(qr))).isEmpty();
    }

    @Test
    void aResponseTooIncompleteForAScoreIsStoredWithoutThatScoreAndScoreSaysWhy() throws IOException {
        // no support item marked important: no Support score; Relationship 7 x 2 = 14, 14/7 x 25 = 50
        String id = create(golden("inspire/inspire-none-important.json"));
        List<Map<String, Object>> observations = derivedFrom(id);
        assertThat(observations).hasSize(1);
        JsonPath o = JsonPath.from(JSON.writeValueAsString(observations.get(0)));
        assertThat(o.getString("code.coding[0].code")).isEqualTo("inspire-relationship");
        assertThat(o.getDouble("valueQuantity.value")).isEqualTo(50.0);

        JsonPath scored = RestAssured.given().get("/QuestionnaireResponse/" + id + "/$score").then().statusCode(200).extract().jsonPath();
        assertThat(GoldenScoresTest.scores(scored)).containsOnlyKeys("inspire-relationship");
        assertThat(scored.<String>getList("parameter.findAll { it.name == 'issue' }.resource.issue.diagnostics.flatten()"))
                .singleElement().asString().startsWith("inspire-support: ");
    }

    @Test
    void scoreSaysWhichScoredItemsAreMissing() throws IOException {
        ObjectNode qr = golden("wemwbs/wemwbs-mixed.json");
        ((ArrayNode) qr.get("item")).remove(2);   // wemwbs-3
        JsonPath scored = RestAssured.given().contentType("application/fhir+json").body(qr.toString())
                .post("/QuestionnaireResponse/$score").then().statusCode(200).extract().jsonPath();
        assertThat(scored.<String>getList("parameter.findAll { it.name == 'issue' }.resource.issue.diagnostics.flatten()"))
                .containsExactly("wemwbs-total: needs every scored item answered: missing wemwbs-3");
    }

    @Test
    void aSubmittedScoreIsRecomputedAndTheDifferenceReported() throws IOException {
        ObjectNode qr = golden("wemwbs/wemwbs-mixed.json");   // 46
        ObjectNode total = ((ArrayNode) qr.get("item")).addObject().put("linkId", "wemwbs-total");
        total.putArray("answer").addObject().put("valueDecimal", 60);
        Response created = RestAssured.given().contentType("application/fhir+json").header("Prefer", "return=OperationOutcome")
                .body(qr.toString()).post("/QuestionnaireResponse");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.jsonPath().<String>getList("issue.findAll { it.severity == 'warning' }.diagnostics"))
                .anyMatch(d -> d.contains("wemwbs-total") && d.contains("60") && d.contains("46"));
        assertThat(created.getHeader("Warning")).contains("wemwbs-total");
        String id = created.getHeader("Location").replaceAll(".*/QuestionnaireResponse/([^/]+)/.*", "$1");
        JsonPath o = JsonPath.from(JSON.writeValueAsString(derivedFrom(id).get(0)));
        assertThat(o.getDouble("valueQuantity.value")).isEqualTo(46.0);
    }

    @Test
    void aTransactionStoresTheResponseAndItsScoresWithResolvedReferences() throws IOException {
        String patientUuid = "urn:uuid:" + UUID.randomUUID();
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        ObjectNode p = entries.addObject().put("fullUrl", patientUuid);
        p.putObject("resource").put("resourceType", "Patient");
        p.putObject("request").put("method", "POST").put("url", "Patient");
        ObjectNode qr = golden("swemwbs/swemwbs-mixed-raw-23.json");
        qr.putObject("subject").put("reference", patientUuid);
        ObjectNode q = entries.addObject().put("fullUrl", "urn:uuid:" + UUID.randomUUID());
        q.set("resource", qr);
        q.putObject("request").put("method", "POST").put("url", "QuestionnaireResponse");

        JsonPath response = RestAssured.given().contentType("application/fhir+json").body(bundle.toString()).post("/")
                .then().statusCode(200).extract().jsonPath();
        String patientId = response.getString("entry[0].response.location").split("/")[1];
        String qrId = response.getString("entry[1].response.location").split("/")[1];
        List<Map<String, Object>> observations = derivedFrom(qrId);
        assertThat(observations).hasSize(2);   // raw and metric
        for (Map<String, Object> o : observations) {
            assertThat(JsonPath.from(JSON.writeValueAsString(o)).getString("subject.reference")).isEqualTo("Patient/" + patientId);
        }
    }

    @Test
    void extractReturnsTheObservationsStoringWouldCreateAndStoresNothing() throws IOException {
        ObjectNode qr = golden("qpr-15/qpr-15-mixed.json");   // 37
        String marker = "extract-" + UUID.randomUUID();
        qr.putObject("subject").put("reference", "Patient/" + marker);
        ObjectNode parameters = JSON.createObjectNode().put("resourceType", "Parameters");
        parameters.putArray("parameter").addObject().put("name", "questionnaire-response").set("resource", qr);
        JsonPath bundle = RestAssured.given().contentType("application/fhir+json").body(parameters.toString())
                .post("/QuestionnaireResponse/$extract").then().statusCode(200).extract().jsonPath();
        assertThat(bundle.getString("type")).isEqualTo("transaction");
        assertThat(bundle.<String>getList("entry.request.method")).containsExactly("POST");
        assertThat(bundle.getString("entry[0].resource.code.coding[0].code")).isEqualTo("qpr15-total");
        assertThat(bundle.getDouble("entry[0].resource.valueQuantity.value")).isEqualTo(37.0);
        assertThat(RestAssured.given().get("/Observation?subject=Patient/" + marker + "&_summary=count").jsonPath().getInt("total")).isZero();
    }

    private static String create(ObjectNode qr) {
        return RestAssured.given().contentType("application/fhir+json").body(qr.toString()).post("/QuestionnaireResponse")
                .then().statusCode(201).extract().jsonPath().getString("id");
    }

    static List<Map<String, Object>> derivedFrom(String qrId) {
        JsonPath bundle = RestAssured.given().get("/Observation?derived-from=QuestionnaireResponse/" + qrId).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> resources = bundle.getList("entry.resource");
        return resources == null ? List.of() : resources;
    }
}
