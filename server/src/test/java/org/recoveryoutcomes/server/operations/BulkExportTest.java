package org.recoveryoutcomes.server.operations;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * FHIR Bulk Data export for system clients, at system, Group and Patient level, on PostgreSQL: the parameters (_type,
 * _since, _typeFilter on code and date) and the limits of the caller's scopes and organisation.
 */
@PostgresServerTest
class BulkExportTest {

    @LocalServerPort
    int port;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    String base;
    String codes;
    String orgA;
    String orgB;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port + "/fhir";
        codes = "urn:test:export:" + UUID.randomUUID();
        // organisations of their own per test: an organisation's export holds every patient it manages
        orgA = "exp-a-" + UUID.randomUUID().toString().substring(0, 8);
        orgB = "exp-b-" + UUID.randomUUID().toString().substring(0, 8);
        for (String org : List.of(orgA, orgB)) {
            given().baseUri(base).contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Organization\",\"id\":\"" + org + "\",\"name\":\"" + org + "\"}")
                    .put("/Organization/" + org).then().statusCode(201);
        }
    }

    @Test
    void aSystemExportOfObservationsFiltersByCodeAndDate() {
        String patient = create("Patient", "{\"resourceType\":\"Patient\"}");
        String wanted = create("Observation", observation(patient, "a", "2025-03-01"));
        create("Observation", observation(patient, "a", "2023-03-01"));
        create("Observation", observation(patient, "b", "2025-03-01"));

        Map<String, List<JsonPath>> files = export("/$export?_type=Observation&_typeFilter="
                + encode("Observation?code=" + codes + "|a&date=ge2025-01-01"));

        assertThat(files.keySet()).containsExactly("Observation");
        assertThat(ids(files.get("Observation"))).containsExactly(wanted);
    }

    @Test
    void aSystemExportSinceAnInstantHasOnlyWhatChangedAfterIt() throws InterruptedException {
        String patient = create("Patient", "{\"resourceType\":\"Patient\"}");
        create("Observation", observation(patient, "a", "2025-03-01"));
        Thread.sleep(50);
        String later = create("Observation", observation(patient, "a", "2025-04-01"));
        String since = given().baseUri(base).get("/Observation/" + later).then().extract().path("meta.lastUpdated");

        Map<String, List<JsonPath>> files = export("/$export?_type=Observation&_since=" + encode(since)
                + "&_typeFilter=" + encode("Observation?code=" + codes + "|a"));

        assertThat(ids(files.get("Observation"))).containsExactly(later);
    }

    @Test
    void aGroupExportHasTheMembersAndTheirObservationsOfTheFilteredCode() {
        String member = create("Patient", "{\"resourceType\":\"Patient\"}");
        String other = create("Patient", "{\"resourceType\":\"Patient\"}");
        String wanted = create("Observation", observation(member, "a", "2025-03-01"));
        create("Observation", observation(member, "b", "2025-03-01"));
        create("Observation", observation(other, "a", "2025-03-01"));
        String group = create("Group", """
                {"resourceType":"Group","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/%s"}}]}"""
                .formatted(member));

        Map<String, List<JsonPath>> files = export("/Group/" + group + "/$export?_type=Patient,Observation&_typeFilter="
                + encode("Observation?code=" + codes + "|a"));

        assertThat(ids(files.get("Patient"))).containsExactly(member);
        assertThat(ids(files.get("Observation"))).containsExactly(wanted);
    }

    @Test
    void aRepeatedExportHasWhatWasWrittenAfterTheFirst() {
        String patient = create("Patient", "{\"resourceType\":\"Patient\"}");
        String first = create("Observation", observation(patient, "a", "2025-03-01"));
        String kickOff = "/$export?_type=Observation&_typeFilter=" + encode("Observation?code=" + codes + "|a");
        assertThat(ids(export(kickOff).get("Observation"))).containsExactly(first);

        String second = create("Observation", observation(patient, "a", "2025-04-01"));

        assertThat(ids(export(kickOff).get("Observation"))).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void anOrganisationsClientExportsOnlyThePeopleThatOrganisationManagesAndTheirData() {
        String mine = create("Patient", patientOf(orgA));
        String theirs = create("Patient", patientOf(orgB));
        String myObservation = create("Observation", observation(mine, "a", "2025-03-01"));
        create("Observation", observation(theirs, "a", "2025-03-01"));

        Map<String, List<JsonPath>> files = export("/$export?_type=Patient,Observation&_typeFilter="
                + encode("Observation?code=" + codes + "|a"), organisationToken(orgA));

        assertThat(ids(files.get("Patient"))).containsExactly(mine);
        assertThat(ids(files.get("Observation"))).containsExactly(myObservation);
    }

    @Test
    void anOrganisationsGroupExportLeavesOutTheMembersOfOtherOrganisations() {
        String mine = create("Patient", patientOf(orgA));
        String theirs = create("Patient", patientOf(orgB));
        String myObservation = create("Observation", observation(mine, "a", "2025-03-01"));
        create("Observation", observation(theirs, "a", "2025-03-01"));
        String group = create("Group", """
                {"resourceType":"Group","type":"person","actual":true,"member":[
                 {"entity":{"reference":"Patient/%s"}},{"entity":{"reference":"Patient/%s"}}]}""".formatted(mine, theirs));

        Map<String, List<JsonPath>> files = export("/Group/" + group + "/$export?_type=Patient,Observation&_typeFilter="
                + encode("Observation?code=" + codes + "|a"), organisationToken(orgA));

        assertThat(ids(files.get("Patient"))).containsExactly(mine);
        assertThat(ids(files.get("Observation"))).containsExactly(myObservation);
    }

    @Test
    void anOrganisationsClientCannotNameAPatientOfAnotherOrganisationOrATypeOutsideItsPatients() {
        String theirs = create("Patient", patientOf(orgB));
        create("Patient", patientOf(orgA));

        kickOff("/Patient/" + theirs + "/$export?_type=Patient", organisationToken(orgA)).then().statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        kickOff("/$export?_type=Questionnaire", organisationToken(orgA)).then().statusCode(403);
    }

    @Test
    void theTypesOfAnExportAreLimitedByTheScopes() {
        String patient = create("Patient", patientOf(orgA));
        create("Observation", observation(patient, "a", "2025-03-01"));
        String patientsOnly = TestTokens.token().clientId("patients-only").scope("system/Patient.rs").sign();

        kickOff("/$export?_type=Observation", patientsOnly).then().statusCode(403);
        Map<String, List<JsonPath>> files = export("/$export?_since=" + encode(since(patient)), patientsOnly);
        assertThat(files.keySet()).containsExactly("Patient");
        assertThat(ids(files.get("Patient"))).contains(patient);
    }

    @Test
    void aClientWithoutTokenOrWithPatientScopesOnlyCannotStartAnExport() {
        given().baseUri(base).noFilters().header("Prefer", "respond-async").get("/$export?_type=Patient").then().statusCode(401);
        String patientApp = TestTokens.token().clientId("patient-app").scope("patient/*.rs").patient("p-1").sign();
        kickOff("/$export?_type=Patient", patientApp).then().statusCode(403);
        kickOff("/Patient/$export?_type=Patient", patientApp).then().statusCode(403);
    }

    @Test
    void onlyTheClientThatStartedAnExportMayPollItOrReadItsFiles() {
        String mine = create("Patient", patientOf(orgA));
        String owner = organisationToken(orgA);
        String poll = kickOff("/$export?_type=Patient", owner).then().statusCode(202).extract().header("Content-Location");
        Response status = awaitExport(poll, owner);
        String file = status.jsonPath().getString("output[0].url");
        assertThat(file).isNotNull();

        for (String other : List.of(organisationToken(orgB), TestTokens.allAccess())) {
            given().urlEncodingEnabled(false).header("Authorization", "Bearer " + other).get(poll).then().statusCode(403);
            given().header("Authorization", "Bearer " + other).header("Accept", "application/fhir+json").get(file)
                    .then().statusCode(403);
        }
        assertThat(lines(file, owner)).extracting(r -> r.getString("id")).containsExactly(mine);
    }

    /** Kicks off an export with the all-access token, waits for it, returns each type's resources. */
    private Map<String, List<JsonPath>> export(String kickOff) {
        return export(kickOff, TestTokens.allAccess());
    }

    /** Kicks off an export, runs HAPI's job maintenance until the poll answers 200, returns each type's resources. */
    private Map<String, List<JsonPath>> export(String kickOff, String token) {
        Response accepted = kickOff(kickOff, token);
        assertThat(accepted.statusCode()).as(accepted.body().asString()).isEqualTo(202);
        JsonPath manifest = awaitExport(accepted.header("Content-Location"), token).jsonPath();
        Map<String, List<JsonPath>> files = new HashMap<>();
        for (int i = 0; i < manifest.getList("output").size(); i++) {
            String type = manifest.getString("output[" + i + "].type");
            files.computeIfAbsent(type, t -> new ArrayList<>()).addAll(lines(manifest.getString("output[" + i + "].url"), token));
        }
        return files;
    }

    private Response kickOff(String kickOff, String token) {
        return given().baseUri(base).urlEncodingEnabled(false).header("Authorization", "Bearer " + token)
                .header("Prefer", "respond-async").header("Accept", "application/fhir+json").get(kickOff);
    }

    private Response awaitExport(String poll, String token) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Response status;
        do {
            jobMaintenance.runMaintenancePass();
            status = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).get(poll);
            assertThat(System.nanoTime()).as("export finished within 60 s").isLessThan(deadline);
        } while (status.statusCode() == 202);
        assertThat(status.statusCode()).as(status.body().asString()).isEqualTo(200);
        return status;
    }

    /** The resources of one export file (NDJSON in a Binary). */
    private static List<JsonPath> lines(String file, String token) {
        String data = given().header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").get(file)
                .then().statusCode(200).extract().path("data");
        List<JsonPath> out = new ArrayList<>();
        for (String line : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(JsonPath.from(line));
            }
        }
        return out;
    }

    /** A token of a system client bound to an organisation (a trust's or a hub's export client). */
    private static String organisationToken(String organisation) {
        return TestTokens.token().clientId("export-" + organisation).scope("system/*.rs")
                .organization("Organization/" + organisation).sign();
    }

    private String patientOf(String organisation) {
        return """
                {"resourceType":"Patient","managingOrganization":{"reference":"Organization/%s"}}""".formatted(organisation);
    }

    private String since(String patientId) {
        return given().baseUri(base).get("/Patient/" + patientId).then().extract().path("meta.lastUpdated");
    }

    private String create(String type, String body) {
        return given().baseUri(base).contentType("application/fhir+json").body(body).post("/" + type)
                .then().statusCode(201).extract().path("id");
    }

    private String observation(String patient, String code, String date) {
        return """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"%s","code":"%s"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s","valueInteger":1}"""
                .formatted(codes, code, patient, date);
    }

    private static List<String> ids(List<JsonPath> resources) {
        return resources == null ? List.of() : resources.stream().map(r -> r.getString("id")).toList();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
