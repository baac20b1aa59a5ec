package org.recoveryoutcomes.server.aggregate;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract §6: a regional data hub with scope {@code system/MeasureReport.rs} and nothing else may call the population
 * operations ($aggregate, $recovery-indicators) and nothing that returns person-level data.
 *
 * <p><b>Switched off until SMART security is merged</b> (it comes with another issue): run with
 * {@code -Drecovery.security.tests=true}, or delete the {@code @EnabledIfSystemProperty} line once the server enforces
 * tokens. Uses the built-in issuer's demo clients of contract §6 ({@code demo-hub}, {@code demo-ehr}).
 */
@ServerTest
@EnabledIfSystemProperty(named = "recovery.security.tests", matches = "true")
class HubScopeAccessTest {

    @LocalServerPort
    int port;

    @BeforeEach
    void port() {
        RestAssured.port = port;
    }

    static String token(String client, String secret, String scope) {
        Response r = RestAssured.given().auth().preemptive().basic(client, secret).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("grant_type", "client_credentials", "scope", scope)).post("/oauth2/token");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getString("access_token");
    }

    @Test
    void a_hub_with_only_measure_report_read_calls_the_population_operations_and_nothing_else() {
        String ehr = token("demo-ehr", "demo-ehr-secret", "system/*.cruds");
        Response org = RestAssured.given().auth().oauth2(ehr).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Organization\",\"name\":\"Hub test trust\"}").post("/fhir/Organization");
        assertThat(org.statusCode()).isEqualTo(201);
        String orgId = org.jsonPath().getString("id");

        String hub = token("demo-hub", "demo-hub-secret", "system/MeasureReport.rs");
        for (String allowed : new String[]{"/fhir/Observation/$aggregate?code=wemwbs-total&group-by=organization",
                "/fhir/Organization/$recovery-indicators", "/fhir/Organization/" + orgId + "/$recovery-indicators"}) {
            assertThat(RestAssured.given().auth().oauth2(hub).get(allowed).statusCode()).as(allowed).isEqualTo(200);
        }
        for (String forbidden : new String[]{"/fhir/Observation?code=wemwbs-total", "/fhir/Patient", "/fhir/QuestionnaireResponse",
                "/fhir/Patient/any/$recovery-profile", "/fhir/Organization/" + orgId}) {
            assertThat(RestAssured.given().auth().oauth2(hub).get(forbidden).statusCode()).as(forbidden).isEqualTo(403);
        }
        assertThat(RestAssured.given().auth().oauth2(hub).contentType("application/fhir+json").body("{\"resourceType\":\"Parameters\"}")
                .post("/fhir/$rebuild-score-facts").statusCode()).as("$rebuild-score-facts").isEqualTo(403);
        assertThat(RestAssured.given().auth().oauth2(hub).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}").post("/fhir/Observation").statusCode())
                .as("writing").isEqualTo(403);
        assertThat(RestAssured.get("/fhir/Observation/$aggregate?code=wemwbs-total").statusCode()).as("no token").isEqualTo(401);
    }
}
