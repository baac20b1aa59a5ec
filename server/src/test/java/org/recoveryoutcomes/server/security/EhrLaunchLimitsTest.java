package org.recoveryoutcomes.server.security;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

/**
 * The EHR launch's limits, in a server of its own: launch ids that live one second, and a user bound to an
 * organisation, who may launch only for the people that organisation manages.
 */
@ServerTest
@TestPropertySource(properties = {
        // a database of its own: the shared test context's audit relay must not meet this one's
        "spring.datasource.url=jdbc:h2:mem:ehr-launch-limits;DB_CLOSE_DELAY=-1",
        "recovery.security.embedded-issuer.ehr-launch.lifetime=1s",
        "recovery.security.embedded-issuer.users[0].username=clinician",
        "recovery.security.embedded-issuer.users[0].password=clinician",
        "recovery.security.embedded-issuer.users[1].username=north",
        "recovery.security.embedded-issuer.users[1].password=north",
        "recovery.security.embedded-issuer.users[1].organization=Organization/ehr-north",
})
class EhrLaunchLimitsTest {

    @LocalServerPort
    int port;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port;
        for (String org : new String[]{"ehr-north", "ehr-south"}) {
            given().baseUri(base + "/fhir").contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Organization\",\"id\":\"" + org + "\",\"name\":\"" + org + "\"}").put("/Organization/" + org)
                    .then().statusCode(anyOf(equalTo(200), equalTo(201)));
        }
    }

    private String newPatient(String family, String organization) {
        return given().baseUri(base + "/fhir").contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}],\"managingOrganization\":{\"reference\":\"Organization/"
                        + organization + "\"}}").post("/Patient").then().statusCode(201).extract().path("id");
    }

    @Test
    void aLaunchNotRedeemedWithinItsLifetimeIsRefused() throws InterruptedException {
        String family = "Late" + UUID.randomUUID().toString().substring(0, 8);
        String patient = newPatient(family, "ehr-north");
        IssuerSession session = EhrLaunchTest.signedInAtSimulator(base, "clinician", "clinician");
        String launch = EhrLaunchTest.launch(session, family, patient).get("launch");

        Thread.sleep(1_500); // the launch lives 1 s
        String authorize = UriComponentsBuilder.fromUriString(base + "/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", "demo-app").queryParam("redirect_uri", EhrLaunchTest.REDIRECT).queryParam("scope", "launch patient/*.rs")
                .queryParam("state", "late").queryParam("code_challenge", "a".repeat(43)).queryParam("code_challenge_method", "S256")
                .queryParam("launch", launch).encode().build().toUriString();
        Map<String, String> back = EhrLaunchTest.callback(session.get(authorize));
        assertThat(back).containsEntry("error", "invalid_request").containsEntry("state", "late").doesNotContainKey("code");
        assertThat(back.get("error_description")).contains("expired");
    }

    @Test
    void aUserBoundToAnOrganisationSeesAndLaunchesOnlyItsPeople() {
        String family = "Bound" + UUID.randomUUID().toString().substring(0, 8);
        String north = newPatient(family, "ehr-north");
        String south = newPatient(family, "ehr-south");
        IssuerSession session = EhrLaunchTest.signedInAtSimulator(base, "north", "north");

        Response page = session.get("/launch/ehr?name=" + family);
        assertThat(page.asString()).contains("data-patient=\"" + north + "\"").doesNotContain(south);
        Response refused = session.postForm("/launch/ehr", Map.of("patient", south, "_csrf", IssuerSession.hidden(page.asString(), "_csrf")));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.header("Location")).isNull();

        assertThat(EhrLaunchTest.launch(session, family, north)).containsKey("launch");
    }
}
