package org.recoveryoutcomes.server.security;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.util.UriComponentsBuilder;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/**
 * SMART EHR launch against the embedded issuer over HTTP: the simulator at /launch/ehr makes a launch id for the
 * signed-in user and a person, /oauth2/authorize resolves it to that person without the picker, and every launch id
 * that is not good for this request is an OAuth error sent back to the app.
 */
@ServerTest
class EhrLaunchTest {

    static final String REDIRECT = "http://127.0.0.1:9/app/callback";

    @LocalServerPort
    int port;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port;
    }

    private String newPatient(String family) {
        return given().baseUri(base + "/fhir").contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"Ehr\"],\"family\":\"" + family + "\"}]}").post("/Patient")
                .then().statusCode(201).extract().path("id");
    }

    /** A session signed in at the simulator. */
    static IssuerSession signedInAtSimulator(String base, String username, String password) {
        IssuerSession session = new IssuerSession(base);
        Response toLogin = session.get("/launch/ehr");
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.header("Location")).endsWith("/login");
        assertThat(session.logIn(username, password)).contains("/launch/ehr");
        return session;
    }

    /** Finds the person on the simulator by name and launches; the launch id in the app URL it redirects to. */
    static Map<String, String> launch(IssuerSession session, String family, String patient) {
        Response page = session.get("/launch/ehr?name=" + family);
        page.then().statusCode(200);
        assertThat(page.asString()).contains("data-patient=\"" + patient + "\"");
        Response launched = session.postForm("/launch/ehr", Map.of("patient", patient, "_csrf", IssuerSession.hidden(page.asString(), "_csrf")));
        assertThat(launched.statusCode()).as(launched.asString()).isEqualTo(303);
        Map<String, String> query = new HashMap<>();
        UriComponentsBuilder.fromUriString(launched.header("Location")).build().getQueryParams().toSingleValueMap()
                .forEach((k, v) -> query.put(k, URLDecoder.decode(v, StandardCharsets.UTF_8)));
        return query;
    }

    private Response authorize(IssuerSession session, String launch, String scope, String challenge) {
        var uri = UriComponentsBuilder.fromUriString(base + "/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", "demo-app").queryParam("redirect_uri", REDIRECT).queryParam("scope", scope)
                .queryParam("state", "st-1").queryParam("aud", base + "/fhir").queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256");
        if (launch != null) {
            uri.queryParam("launch", launch);
        }
        return session.get(uri.encode().build().toUriString());
    }

    /** The query of the redirect back to the app, decoded. */
    static Map<String, String> callback(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(302);
        assertThat(r.header("Location")).startsWith(REDIRECT);
        Map<String, String> query = new HashMap<>();
        UriComponentsBuilder.fromUriString(r.header("Location")).build().getQueryParams().toSingleValueMap()
                .forEach((k, v) -> query.put(k, v == null ? null : URLDecoder.decode(v, StandardCharsets.UTF_8)));
        return query;
    }

    @Test
    void theSimulatorOpensTheAppWithTheFhirBaseAndALaunchThatGivesTheChosenPersonWithoutThePicker() {
        String family = "Ehrlaunch" + UUID.randomUUID().toString().substring(0, 8);
        String patient = newPatient(family);
        String other = newPatient("Other" + family);
        IssuerSession session = signedInAtSimulator(base, "clinician", "clinician");

        Map<String, String> app = launch(session, family, patient);
        assertThat(app).containsEntry("iss", base + "/fhir").containsKey("launch");

        String verifier = IssuerSession.randomUrlSafe(48);
        Response authorized = authorize(session, app.get("launch"), "launch openid fhirUser patient/*.rs", IssuerSession.s256(verifier));
        Map<String, String> back = callback(authorized);
        assertThat(back).as("straight back to the app, no consent page").containsKey("code").containsEntry("state", "st-1")
                .doesNotContainKey("error");

        Response token = given().noFilters().baseUri(base).formParam("grant_type", "authorization_code").formParam("code", back.get("code"))
                .formParam("redirect_uri", REDIRECT).formParam("client_id", "demo-app").formParam("code_verifier", verifier)
                .post("/oauth2/token");
        token.then().statusCode(200).body("patient", equalTo(patient)).body("need_patient_banner", equalTo(true));
        assertThat(token.jsonPath().getString("scope").split(" ")).as("what the app asked for, no more")
                .containsExactlyInAnyOrder("launch", "openid", "fhirUser", "patient/*.rs");
        assertThat(token.jsonPath().getString("id_token")).isNotBlank();
        String bearer = "Bearer " + token.jsonPath().getString("access_token");
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient/" + patient).then().statusCode(200)
                .body("name[0].family", equalTo(family));
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient/" + other).then().statusCode(403);
    }

    @Test
    void aLaunchIsUsedOnceASecondAuthorisationWithItIsRefused() {
        String family = "Twice" + UUID.randomUUID().toString().substring(0, 8);
        String patient = newPatient(family);
        IssuerSession session = signedInAtSimulator(base, "clinician", "clinician");
        String launch = launch(session, family, patient).get("launch");

        assertThat(callback(authorize(session, launch, "launch patient/*.rs", "a".repeat(43)))).containsKey("code");
        Map<String, String> again = callback(authorize(session, launch, "launch patient/*.rs", "a".repeat(43)));
        assertThat(again).doesNotContainKey("code").containsEntry("error", "invalid_request").containsEntry("state", "st-1");
        assertThat(again.get("error_description")).contains("unknown").contains("already used");
    }

    @Test
    void anUnknownLaunchIsRefusedWithAnOAuthErrorBeforeAnyLogin() {
        Response r = authorize(new IssuerSession(base), "no-such-launch", "launch patient/*.rs", "a".repeat(43));
        Map<String, String> back = callback(r);
        assertThat(back).containsEntry("error", "invalid_request").doesNotContainKey("code");
        assertThat(back.get("error_description")).contains("unknown");
    }

    @Test
    void aLaunchMadeForOneUserIsRefusedToAnother() {
        String family = "Foreign" + UUID.randomUUID().toString().substring(0, 8);
        String patient = newPatient(family);
        String launch = launch(signedInAtSimulator(base, "clinician", "clinician"), family, patient).get("launch");

        IssuerSession hub = new IssuerSession(base);
        Response toLogin = authorize(hub, launch, "launch patient/*.rs", "a".repeat(43));
        assertThat(toLogin.header("Location")).endsWith("/login");
        hub.logIn("hub", "hub");
        Map<String, String> back = callback(authorize(hub, launch, "launch patient/*.rs", "a".repeat(43)));
        assertThat(back).containsEntry("error", "access_denied").doesNotContainKey("code");
        assertThat(back.get("error_description")).contains("another user");
    }

    @Test
    void theLaunchScopeAndTheLaunchParameterComeTogether() {
        IssuerSession session = signedInAtSimulator(base, "clinician", "clinician");
        assertThat(callback(authorize(session, null, "launch patient/*.rs", "a".repeat(43))))
                .containsEntry("error", "invalid_request").doesNotContainKey("code");
        String family = "Scope" + UUID.randomUUID().toString().substring(0, 8);
        String launch = launch(session, family, newPatient(family)).get("launch");
        assertThat(callback(authorize(session, launch, "patient/*.rs", "a".repeat(43))))
                .containsEntry("error", "invalid_scope").doesNotContainKey("code");
    }

    @Test
    void theSimulatorRefusesAPersonThatDoesNotExist() {
        IssuerSession session = signedInAtSimulator(base, "clinician", "clinician");
        String csrf = IssuerSession.hidden(session.get("/launch/ehr").asString(), "_csrf");
        Response r = session.postForm("/launch/ehr", Map.of("patient", "does-not-exist", "_csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.header("Location")).isNull();
        assertThat(r.asString()).contains("Not launched");
    }

    @Test
    void theSimulatorNeedsTheCsrfTokenOfItsOwnPage() {
        IssuerSession session = signedInAtSimulator(base, "clinician", "clinician");
        String family = "Csrf" + UUID.randomUUID().toString().substring(0, 8);
        Response r = session.postForm("/launch/ehr", Map.of("patient", newPatient(family)));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.header("Location")).isNull();
    }

    @Test
    void theSmartConfigurationAdvertisesTheEhrLaunch() {
        given().noFilters().baseUri(base).get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .body("capabilities", hasItems("launch-ehr", "context-ehr-patient", "launch-standalone"))
                .body("scopes_supported", hasItem("launch"));
    }
}
