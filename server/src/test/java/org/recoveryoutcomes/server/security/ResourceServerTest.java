package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Contract §6: who gets in. Every test sends its own Authorization header or none at all. */
@ServerTest
class ResourceServerTest {

    @LocalServerPort
    int port;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port;
    }

    static Stream<Arguments> badTokens() throws JOSEException {
        String hs256 = hs256(TestTokens.token().scope("system/*.cruds").claims().toString());
        return Stream.of(
                Arguments.of("expired", TestTokens.token().scope("system/*.cruds").expiredSince(Duration.ofMinutes(2)).sign()),
                Arguments.of("signed by an untrusted key with the trusted key's id",
                        TestTokens.token().scope("system/*.cruds").signedWith(TestTokens.key("security/untrusted-private-jwk.json")).sign()),
                Arguments.of("from an untrusted issuer", TestTokens.token().scope("system/*.cruds").issuer("https://evil.example").sign()),
                Arguments.of("for another audience", TestTokens.token().scope("system/*.cruds").audience("https://other.example/fhir").sign()),
                Arguments.of("unsigned (alg none)", new PlainJWT(TestTokens.token().scope("system/*.cruds").claims()).serialize()),
                Arguments.of("HS256 with the issuer's public key as secret", hs256),
                Arguments.of("tampered after signing", tamper(TestTokens.token().scope("patient/*.rs").sign())),
                Arguments.of("not a JWT", "abc.def.ghi"));
    }

    @ParameterizedTest(name = "a token {0} gets 401")
    @MethodSource("badTokens")
    void aBadTokenGets401WithAnOperationOutcomeAndAChallenge(String why, String token) {
        Response r = given().noFilters().baseUri(base).header("Authorization", "Bearer " + token).get("/fhir/Patient");
        assertThat(r.statusCode()).as(why).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.jsonPath().getString("resourceType")).isEqualTo("OperationOutcome");
    }

    @Test
    void aRequestWithoutATokenGets401WithAnOperationOutcomeAndAChallenge() {
        given().noFilters().baseUri(base).get("/fhir/Patient").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer")).body("resourceType", equalTo("OperationOutcome"));
        given().noFilters().baseUri(base).contentType("application/fhir+json").body("{\"resourceType\":\"Patient\"}")
                .post("/fhir/Patient").then().statusCode(401);
        given().noFilters().baseUri(base).get("/fhir").then().statusCode(401);
    }

    @Test
    void aTokenWithoutExpiryGets401() {
        String token = TestTokens.token().scope("system/*.cruds").claim("exp", null).sign();
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(401);
    }

    @Test
    void aValidTokenIsAccepted() {
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + TestTokens.token().scope("system/*.rs").sign())
                .get("/fhir/Patient").then().statusCode(200);
    }

    @Test
    void aValidTokenWhoseScopesDoNotAllowTheRequestGets403WithAnOperationOutcome() {
        String token = TestTokens.token().scope("system/Observation.rs").sign();
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + token).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}").post("/fhir/Observation")
                .then().statusCode(403);
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + TestTokens.token().scope("openid fhirUser").sign())
                .get("/fhir/Observation").then().statusCode(403);
    }

    @Test
    void scopesMayComeAsAnArrayClaim() {
        String token = TestTokens.token().claim("scp", java.util.List.of("system/Patient.rs")).sign();
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + token).get("/fhir/Patient").then().statusCode(200);
    }

    @Test
    void theCapabilityStatementAndTheSmartConfigurationArePublic() {
        given().noFilters().baseUri(base).get("/fhir/metadata").then().statusCode(200).body("resourceType", equalTo("CapabilityStatement"));
        given().noFilters().baseUri(base).get("/fhir/.well-known/smart-configuration").then().statusCode(200)
                .body("issuer", equalTo(base))
                .body("jwks_uri", equalTo(base + "/oauth2/jwks"))
                .body("authorization_endpoint", equalTo(base + "/oauth2/authorize"))
                .body("token_endpoint", equalTo(base + "/oauth2/token"))
                .body("grant_types_supported", hasItem("client_credentials"))
                .body("grant_types_supported", hasItem("authorization_code"))
                .body("scopes_supported", hasItem("system/MeasureReport.rs"))
                .body("response_types_supported", hasItem("code"))
                .body("capabilities", hasItem("launch-standalone"))
                .body("capabilities", hasItem("permission-v2"))
                .body("code_challenge_methods_supported", equalTo(java.util.List.of("S256")))
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("token_endpoint_auth_methods_supported", hasItem("client_secret_basic"));
    }

    @Test
    void healthAndTheWebPagesArePublic() {
        given().noFilters().baseUri(base).get("/actuator/health").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(given().noFilters().baseUri(base).get("/").statusCode()).isNotIn(401, 403);
        assertThat(given().noFilters().baseUri(base).get("/app/index.html").statusCode()).isNotIn(401, 403);
        assertThat(given().noFilters().baseUri(base).get("/hub/index.html").statusCode()).isNotIn(401, 403);
    }

    @Test
    void otherActuatorEndpointsAreClosed() {
        given().noFilters().baseUri(base).get("/actuator/env").then().statusCode(not(equalTo(200)));
        given().noFilters().baseUri(base).get("/actuator").then().statusCode(not(equalTo(200)));
    }

    private static String hs256(String claimsJson) throws JOSEException {
        try {
            byte[] secret = TestTokens.key("security/test-issuer-private-jwk.json").toPublicJWK().toJSONString()
                    .getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("test-issuer-1").build(),
                    com.nimbusds.jwt.JWTClaimsSet.parse(claimsJson));
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tamper(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("patient/*.rs", "system/*.rs");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
