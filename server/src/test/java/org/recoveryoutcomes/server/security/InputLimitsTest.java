package org.recoveryoutcomes.server.security;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue #7 §5: bodies too large, too deep, malformed or hostile never reach a 500 and never show a stack trace. */
@ServerTest
class InputLimitsTest {

    private static final long TEN_MB = 10L * 1024 * 1024;

    @LocalServerPort
    int port;

    String base;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port;
    }

    private static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("\tat ").doesNotContainPattern("at [a-z]+\\.[a-z]+\\.[A-Za-z.$]+\\(")
                .doesNotContain("Exception:").doesNotContain("NullPointer");
    }

    @Test
    void aBodyLargerThanTheLimitGets413BeforeItIsRead() throws Exception {
        // announce the body and wait: the answer comes before a byte of it is sent
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            String head = "POST /fhir/Patient HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.allAccess()
                    + "\r\nContent-Type: application/fhir+json\r\nContent-Length: " + (TEN_MB + 1) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while (!response.toString().contains("too-costly") && (n = socket.getInputStream().read(buffer)) > 0) {
                response.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 413").contains("OperationOutcome").contains("too-costly");
        }
    }

    @Test
    void aChunkedBodyLargerThanTheLimitGets413() throws Exception {
        byte[] big = new byte[(int) TEN_MB + 100];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/fhir/Patient"))
                .header("Authorization", "Bearer " + TestTokens.allAccess()).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void deeplyNestedJsonGets400() {
        int depth = 20_000;
        String nested = "{\"resourceType\":\"Patient\",\"extension\":" + "[{\"url\":\"x\",\"extension\":".repeat(depth) + "[]"
                + "}]".repeat(depth) + "}";
        Response r = given().baseUri(base).contentType("application/fhir+json").body(nested).post("/fhir/Patient");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
        assertNoStackTrace(r.asString());
        String arrays = "{\"resourceType\":\"Patient\",\"name\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        Response r2 = given().baseUri(base).contentType("application/fhir+json").body(arrays).post("/fhir/Patient");
        assertThat(r2.statusCode()).as(r2.asString()).isEqualTo(400);
    }

    @Test
    void malformedJsonGets400() {
        for (String body : List.of("{", "{\"resourceType\":\"Patient\",", "[]", "null", "\"Patient\"", "{\"resourceType\":42}",
                "{\"resourceType\":\"NoSuchType\"}", "\u0000\u0001")) {
            Response r = given().baseUri(base).contentType("application/fhir+json").body(body).post("/fhir/Patient");
            assertThat(r.statusCode()).as("%s -> %s", body, r.asString()).isBetween(400, 499);
            assertNoStackTrace(r.asString());
        }
    }

    @Test
    void resourcesWithoutTheElementsTheFeaturesReadNeverGetA5xx() {
        // found by the fuzz test below: a score Observation without status, a GAS rating whose LOINC coding has no code
        String noStatus = "{\"resourceType\":\"Observation\",\"code\":{\"coding\":[{\"system\":"
                + "\"https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score\",\"code\":\"wemwbs-total\"}]},"
                + "\"subject\":{\"reference\":\"Patient/nobody\"},\"effectiveDateTime\":\"2024-01-01\",\"valueQuantity\":{\"value\":40}}";
        String ratingWithoutLoincCode = "{\"resourceType\":\"Observation\",\"meta\":{\"profile\":"
                + "[\"https://w3id.org/recovery-outcomes/fhir/StructureDefinition/gas-rating-observation\"]},\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score\","
                + "\"code\":\"gas-attainment\"},{\"system\":\"http://loinc.org\"}]},\"subject\":{\"reference\":\"Patient/nobody\"},"
                + "\"focus\":[{\"reference\":\"Goal/none\"}],\"effectiveDateTime\":\"2024-01-01\",\"valueInteger\":1}";
        for (String body : List.of(noStatus, ratingWithoutLoincCode)) {
            Response r = given().baseUri(base).contentType("application/fhir+json").body(body).post("/fhir/Observation");
            assertThat(r.statusCode()).as("%s -> %s", body, r.asString()).isLessThan(500);
            assertNoStackTrace(r.asString());
        }
    }

    @Test
    void xmlWithAnExternalEntityIsNotResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&xxe;\"/></name></Patient>";
        Response r = given().baseUri(base).contentType("application/fhir+xml").body(xxe).post("/fhir/Patient");
        assertThat(r.statusCode()).as(r.asString()).isIn(400, 415);
        assertThat(r.asString()).doesNotContain("root:");
        assertNoStackTrace(r.asString());
    }

    @Test
    void unknownPathsAndMethodsAnswerWithoutAStackTrace() {
        for (Response r : List.of(given().noFilters().baseUri(base).get("/no/such/page"),
                given().baseUri(base).get("/fhir/NoSuchType/1"),
                given().baseUri(base).get("/fhir/Patient/no-such-patient-" + System.nanoTime()),
                given().noFilters().baseUri(base).delete("/actuator/health"),
                given().baseUri(base).delete("/fhir/metadata"),
                given().noFilters().baseUri(base).get("/fhir/..;/actuator/env"),
                given().noFilters().baseUri(base).accept("text/html").get("/no/such/page"))) {
            assertThat(r.statusCode()).as(r.asString()).isBetween(400, 499);
            assertNoStackTrace(r.asString());
        }
    }

    /**
     * Mutations of valid resources (seeded, so a failure reproduces) posted to the main endpoints: whatever the server
     * makes of them, never a 5xx.
     */
    @Test
    void mutatedAndMalformedJsonNeverGetsA5xx() {
        Random random = new Random(7_2026_11_22L);
        List<String[]> targets = List.of(
                new String[] {"/fhir/Patient", "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:fuzz\",\"value\":\"p\"}],"
                        + "\"name\":[{\"family\":\"Fuzz\",\"given\":[\"A\"]}],\"birthDate\":\"1980-01-01\",\"gender\":\"other\"}"},
                new String[] {"/fhir/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":"
                        + "[{\"system\":\"urn:fuzz\",\"code\":\"x\"}]},\"subject\":{\"reference\":\"Patient/fuzz\"},"
                        + "\"effectiveDateTime\":\"2024-01-01\",\"valueQuantity\":{\"value\":3,\"unit\":\"{score}\"}}"},
                new String[] {"/fhir/QuestionnaireResponse", "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
                        + "\"questionnaire\":\"https://w3id.org/recovery-outcomes/fhir/Questionnaire/swemwbs\",\"authored\":\"2024-01-01\","
                        + "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":{\"code\":\"often\"}}]}]}"},
                new String[] {"/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:1\","
                        + "\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Fuzz\"}]},\"request\":{\"method\":\"POST\","
                        + "\"url\":\"Patient\"}},{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"t\"},"
                        + "\"subject\":{\"reference\":\"urn:uuid:1\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}"},
                new String[] {"/fhir/QuestionnaireResponse/$score", "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
                        + "\"questionnaire\":\"https://w3id.org/recovery-outcomes/fhir/Questionnaire/wemwbs\",\"item\":[]}"});
        List<String> failures = new ArrayList<>();
        int perTarget = 40;
        for (String[] target : targets) {
            for (int i = 0; i < perTarget; i++) {
                String body = mutate(target[1], random);
                Response r = given().baseUri(base).contentType("application/fhir+json").body(body).post(target[0]);
                if (r.statusCode() >= 500) {
                    failures.add(target[0] + " " + r.statusCode() + " <- " + body + " -> " + r.asString());
                }
                assertNoStackTrace(r.asString());
            }
        }
        assertThat(failures).isEmpty();
    }

    private static final String[] JUNK = {"null", "true", "-1", "1e309", "\"\"", "[]", "{}", "\"\\u0000\"", "\"\\uD800\"", "\"x\"",
            "123456789012345678901234567890", "[[[[[[]]]]]]", "{\"resourceType\":\"Patient\"}", "\"2024-13-45\"", "\"urn:uuid:\""};

    private static String mutate(String json, Random random) {
        StringBuilder s = new StringBuilder(json);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && s.length() > 0; m++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(8)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, "{}[]\",:\\".charAt(random.nextInt(8)));
                case 2 -> s.setLength(at);
                case 3 -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(20));
                    s.insert(at, s.substring(at, end));
                }
                case 4 -> {
                    // replace the value after a colon with junk of another JSON type
                    int colon = s.indexOf(":", at);
                    if (colon > 0) {
                        int end = colon + 1;
                        while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
                            end++;
                        }
                        s.replace(colon + 1, end, JUNK[random.nextInt(JUNK.length)]);
                    }
                }
                case 5 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 6 -> s.insert(at, "\"" + "\\u00e9".repeat(random.nextInt(3)) + "\":" + JUNK[random.nextInt(JUNK.length)] + ",");
                default -> s.insert(at, JUNK[random.nextInt(JUNK.length)]);
            }
        }
        return s.toString();
    }
}
