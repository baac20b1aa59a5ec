package org.recoveryoutcomes.server.security;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Tokens with only the scopes a task needs can do that task, and the features behind it still work. */
@ServerTest
class NarrowScopesTest {

    @LocalServerPort
    int port;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port + "/fhir";
    }

    private RequestSpecification as(String token) {
        return given().noFilters().baseUri(base).contentType("application/fhir+json").header("Authorization", "Bearer " + token);
    }

    @Test
    void aPatientsAppWithOnlyQuestionnaireResponseScopesSubmitsAScoredResponse() throws Exception {
        String patient = given().baseUri(base).contentType("application/fhir+json").body("{\"resourceType\":\"Patient\"}")
                .post("/Patient").then().statusCode(201).extract().path("id");
        String response = Files.readString(Path.of("../questionnaires/src/test/golden/swemwbs/swemwbs-all-often.json"))
                .replace("Patient/example", "Patient/" + patient);
        String app = TestTokens.token().clientId("forms-app").patient(patient).scope("launch/patient patient/QuestionnaireResponse.cru").sign();

        Response created = as(app).body(response).post("/QuestionnaireResponse");
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.jsonPath().getString("id");
        as(app).get("/QuestionnaireResponse/" + id).then().statusCode(200);
        as(app).get("/Observation?derived-from=QuestionnaireResponse/" + id).then().statusCode(403);

        // the scores were stored all the same, for the patient
        Response scores = given().baseUri(base).get("/Observation?derived-from=QuestionnaireResponse/" + id);
        assertThat(scores.jsonPath().getList("entry.resource.subject.reference", String.class)).isNotEmpty()
                .allMatch(("Patient/" + patient)::equals);
    }

    @Test
    void theSameAppCannotSubmitAResponseForAnotherPatient() throws Exception {
        String other = given().baseUri(base).contentType("application/fhir+json").body("{\"resourceType\":\"Patient\"}")
                .post("/Patient").then().statusCode(201).extract().path("id");
        String response = Files.readString(Path.of("../questionnaires/src/test/golden/swemwbs/swemwbs-all-often.json"))
                .replace("Patient/example", "Patient/" + other);
        String app = TestTokens.token().clientId("forms-app").patient("someone-else").scope("patient/QuestionnaireResponse.cru").sign();
        as(app).body(response).post("/QuestionnaireResponse").then().statusCode(403);
        assertThat(given().baseUri(base).get("/QuestionnaireResponse?subject=Patient/" + other).jsonPath().getInt("total")).isZero();
    }

    @Test
    void anAppWithOnlyQuestionnaireResponseScopesCannotWriteAnObservationThatClaimsToBeAScore() {
        String patient = given().baseUri(base).contentType("application/fhir+json").body("{\"resourceType\":\"Patient\"}")
                .post("/Patient").then().statusCode(201).extract().path("id");
        String app = TestTokens.token().clientId("forms-app").patient(patient).scope("patient/QuestionnaireResponse.cru").sign();
        String forged = """
                {"resourceType":"Observation","status":"final","code":{"text":"score"},
                 "subject":{"reference":"Patient/%s"},"derivedFrom":[{"reference":"QuestionnaireResponse/x"}],
                 "valueQuantity":{"value":70}}""".formatted(patient);
        as(app).body(forged).post("/Observation").then().statusCode(403);
        assertThat(given().baseUri(base).get("/Observation?subject=Patient/" + patient).jsonPath().getInt("total")).isZero();
    }
}
