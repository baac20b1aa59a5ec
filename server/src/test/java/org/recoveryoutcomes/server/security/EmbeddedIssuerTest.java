package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.util.UriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The embedded issuer: contract §6 clients, SMART standalone launch, SMART Backend Services. */
@ServerTest
class EmbeddedIssuerTest {

    private static final String REDIRECT = "http://127.0.0.1:9/app/callback";
    private static final RSAKey BACKEND_KEY = TestTokens.key("security/demo-backend-private-jwk.json");

    @LocalServerPort
    int port;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port;
    }

    private Response clientCredentials(String client, String secret, String scope) {
        var spec = given().noFilters().baseUri(base).auth().preemptive().basic(client, secret).formParam("grant_type", "client_credentials");
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        return spec.post("/oauth2/token");
    }

    @Test
    void theDemoEhrGetsAShortLivedSystemTokenThatReadsAndWritesEverything() throws Exception {
        Response token = clientCredentials("demo-ehr", "demo-ehr-secret", "system/*.cruds");
        token.then().statusCode(200).header("Cache-Control", containsString("no-store")).body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("system/*.cruds"));
        assertThat(token.jsonPath().getInt("expires_in")).isBetween(1, 300);
        JWTClaimsSet claims = JWTParser.parse(token.jsonPath().getString("access_token")).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(base);
        assertThat(claims.getAudience()).containsExactly(base + "/fhir");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("demo-ehr");
        String bearer = "Bearer " + token.jsonPath().getString("access_token");
        String id = given().noFilters().baseUri(base).header("Authorization", bearer).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Issuer\"}]}").post("/fhir/Patient")
                .then().statusCode(201).extract().path("id");
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient/" + id).then().statusCode(200);
    }

    @Test
    void aClientThatAsksForNoScopeGetsItsRegisteredScopesAndMayAskForLess() {
        clientCredentials("demo-ehr", "demo-ehr-secret", null).then().statusCode(200).body("scope", equalTo("system/*.cruds"));
        clientCredentials("demo-ehr", "demo-ehr-secret", "system/Observation.rs").then().statusCode(200)
                .body("scope", equalTo("system/Observation.rs"));
        clientCredentials("demo-hub", "demo-hub-secret", "system/*.cruds").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void theDemoHubMayAggregateButReadsNoPersonLevelData() {
        Response token = clientCredentials("demo-hub", "demo-hub-secret", "system/MeasureReport.rs");
        token.then().statusCode(200);
        String bearer = "Bearer " + token.jsonPath().getString("access_token");
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient").then().statusCode(403);
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Observation").then().statusCode(403);
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/MeasureReport").then().statusCode(403);
    }

    @Test
    void aWrongClientSecretGetsNoToken() {
        clientCredentials("demo-ehr", "wrong", "system/*.cruds").then().statusCode(401);
    }

    // ---------------------------------------------------------------------------------------------------------
    // SMART Backend Services (private_key_jwt)

    private String assertion(String jti, Duration lifetime, JWSAlgorithm alg) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("demo-backend").subject("demo-backend").audience(base + "/oauth2/token")
                .jwtID(jti).issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(lifetime))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(BACKEND_KEY.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(BACKEND_KEY));
        return jwt.serialize();
    }

    private Response backendToken(String assertion) {
        return given().noFilters().baseUri(base)
                .formParam("grant_type", "client_credentials").formParam("scope", "system/*.rs")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion).post("/oauth2/token");
    }

    @Test
    void aBackendServiceAuthenticatesWithASignedAssertionAndReads() throws Exception {
        Response token = backendToken(assertion(UUID.randomUUID().toString(), Duration.ofMinutes(4), JWSAlgorithm.RS384));
        token.then().statusCode(200).header("Cache-Control", containsString("no-store")).body("scope", equalTo("system/*.rs"));
        assertThat(token.jsonPath().getInt("expires_in")).isLessThanOrEqualTo(300);
        String bearer = "Bearer " + token.jsonPath().getString("access_token");
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient").then().statusCode(200);
        given().noFilters().baseUri(base).header("Authorization", bearer).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\"}").post("/fhir/Patient").then().statusCode(403);
    }

    @Test
    void aReplayedAssertionIsRejected() throws Exception {
        String assertion = assertion(UUID.randomUUID().toString(), Duration.ofMinutes(4), JWSAlgorithm.RS384);
        backendToken(assertion).then().statusCode(200);
        backendToken(assertion).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void anAssertionLivingLongerThanFiveMinutesIsRejected() throws Exception {
        backendToken(assertion(UUID.randomUUID().toString(), Duration.ofMinutes(30), JWSAlgorithm.RS384)).then().statusCode(401);
    }

    @Test
    void anAssertionSignedWithRs256IsRejected() throws Exception {
        backendToken(assertion(UUID.randomUUID().toString(), Duration.ofMinutes(4), JWSAlgorithm.RS256)).then().statusCode(401);
    }

    @Test
    void anAssertionSignedByAnotherKeyIsRejected() throws Exception {
        RSAKey other = TestTokens.key("security/untrusted-private-jwk.json");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("demo-backend").subject("demo-backend").audience(base + "/oauth2/token")
                .jwtID(UUID.randomUUID().toString()).expirationTime(Date.from(Instant.now().plusSeconds(120))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(BACKEND_KEY.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(other));
        backendToken(jwt.serialize()).then().statusCode(401);
    }

    // ---------------------------------------------------------------------------------------------------------
    // SMART standalone launch: authorize with PKCE, log in, pick the patient, exchange the code, read with the token

    @Test
    void theStandaloneLaunchRunsEndToEnd() throws Exception {
        String patient = given().baseUri(base + "/fhir").contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Launch\",\"given\":[\"Picked\"]}]}").post("/Patient")
                .then().statusCode(201).extract().path("id");
        String other = given().baseUri(base + "/fhir").contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Other\"}]}").post("/Patient")
                .then().statusCode(201).extract().path("id");

        String verifier = IssuerSession.randomUrlSafe(48);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String state = IssuerSession.randomUrlSafe(16);
        String authorize = UriComponentsBuilder.fromUriString(base + "/oauth2/authorize")
                .queryParam("response_type", "code").queryParam("client_id", "demo-app").queryParam("redirect_uri", REDIRECT)
                .queryParam("scope", "openid fhirUser launch/patient patient/*.rs").queryParam("state", state)
                .queryParam("aud", base + "/fhir").queryParam("code_challenge", challenge).queryParam("code_challenge_method", "S256")
                .encode().build().toUriString();
        IssuerSession browser = new IssuerSession(base);

        Response toLogin = browser.get(authorize);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        assertThat(toLogin.header("Location")).endsWith("/login");

        Response loginPage = browser.get(toLogin.header("Location"));
        loginPage.then().statusCode(200);
        Response loggedIn = browser.postForm("/login", Map.of("username", "clinician", "password", "clinician",
                "_csrf", IssuerSession.hidden(loginPage.asString(), "_csrf")));
        assertThat(loggedIn.statusCode()).isEqualTo(302);

        Response toConsent = browser.get(loggedIn.header("Location"));
        assertThat(toConsent.statusCode()).as(toConsent.asString()).isEqualTo(302);
        assertThat(toConsent.header("Location")).contains("/launch/consent");

        Response picker = browser.get(toConsent.header("Location"));
        picker.then().statusCode(200);
        assertThat(picker.asString()).contains("Launch").contains("value=\"" + patient + "\"").contains("launch/patient");
        String consentState = IssuerSession.hidden(picker.asString(), "state");

        Response toApp = browser.postForm("/oauth2/authorize", Map.of("client_id", "demo-app", "state", consentState,
                "scope", List.of("openid", "fhirUser", "launch/patient", "patient/*.rs"), "patient", patient));
        assertThat(toApp.statusCode()).as(toApp.asString()).isEqualTo(302);
        Map<String, String> callback = UriComponentsBuilder.fromUriString(toApp.header("Location")).build().getQueryParams().toSingleValueMap();
        assertThat(toApp.header("Location")).startsWith(REDIRECT);
        assertThat(callback).containsEntry("state", state).containsKey("code");

        Response token = given().noFilters().baseUri(base).formParam("grant_type", "authorization_code")
                .formParam("code", callback.get("code")).formParam("redirect_uri", REDIRECT).formParam("client_id", "demo-app")
                .formParam("code_verifier", verifier).post("/oauth2/token");
        token.then().statusCode(200).header("Cache-Control", containsString("no-store")).body("patient", equalTo(patient))
                .body("scope", containsString("patient/*.rs"));
        assertThat(token.jsonPath().getString("id_token")).isNotBlank();
        String bearer = "Bearer " + token.jsonPath().getString("access_token");

        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient/" + patient).then().statusCode(200)
                .body("name[0].family", equalTo("Launch"));
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient/" + other).then().statusCode(403);
        given().noFilters().baseUri(base).header("Authorization", bearer).get("/fhir/Patient").then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void theLaunchRefusesAPlainCodeChallengeAndAnUnregisteredRedirect() {
        String plain = UriComponentsBuilder.fromUriString(base + "/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", "demo-app").queryParam("redirect_uri", REDIRECT).queryParam("scope", "patient/*.rs")
                .queryParam("state", "s").queryParam("code_challenge", "abc").queryParam("code_challenge_method", "plain").build().toUriString();
        Response r = new IssuerSession(base).get(plain);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).startsWith(REDIRECT).contains("error=invalid_request");

        String noPkce = UriComponentsBuilder.fromUriString(base + "/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", "demo-app").queryParam("redirect_uri", REDIRECT).queryParam("scope", "patient/*.rs")
                .queryParam("state", "s").build().toUriString();
        Response r2 = new IssuerSession(base).get(noPkce);
        assertThat(r2.header("Location")).startsWith(REDIRECT).contains("error=invalid_request");

        String elsewhere = UriComponentsBuilder.fromUriString(base + "/oauth2/authorize").queryParam("response_type", "code")
                .queryParam("client_id", "demo-app").queryParam("redirect_uri", "https://evil.example/cb").queryParam("scope", "patient/*.rs")
                .queryParam("state", "s").queryParam("code_challenge", "abc").queryParam("code_challenge_method", "S256").build().toUriString();
        Response r3 = new IssuerSession(base).get(elsewhere);
        assertThat(r3.statusCode()).isEqualTo(400);
    }
}
