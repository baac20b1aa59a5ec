package org.recoveryoutcomes.server.operations;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
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

/** FHIR Bulk Data export for system clients, at system and Group level, on PostgreSQL. */
@PostgresServerTest
class BulkExportTest {

    @LocalServerPort
    int port;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    String base;
    String codes;

    @BeforeEach
    void base() {
        base = "http://localhost:" + port + "/fhir";
        codes = "urn:test:export:" + UUID.randomUUID();
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
    @Disabled("needs the SMART security merge: $export must then require a system/*.read (or narrower) scope")
    void aClientWithoutAnExportScopeCannotStartAnExport() {
        given().baseUri(base).header("Prefer", "respond-async").get("/$export?_type=Patient").then().statusCode(401);
    }

    /** Kicks off an export, runs HAPI's job maintenance until the poll answers 200, returns each type's resources. */
    private Map<String, List<JsonPath>> export(String kickOff) {
        Response accepted = given().baseUri(base).urlEncodingEnabled(false).header("Prefer", "respond-async")
                .header("Accept", "application/fhir+json").get(kickOff);
        assertThat(accepted.statusCode()).as(accepted.body().asString()).isEqualTo(202);
        String poll = accepted.header("Content-Location");
        long deadline = System.nanoTime() + 60_000_000_000L;
        Response status;
        do {
            jobMaintenance.runMaintenancePass();
            status = given().urlEncodingEnabled(false).get(poll);
            assertThat(System.nanoTime()).as("export finished within 60 s").isLessThan(deadline);
        } while (status.statusCode() == 202);
        assertThat(status.statusCode()).as(status.body().asString()).isEqualTo(200);

        Map<String, List<JsonPath>> files = new HashMap<>();
        JsonPath manifest = status.jsonPath();
        for (int i = 0; i < manifest.getList("output").size(); i++) {
            String type = manifest.getString("output[" + i + "].type");
            String binary = given().header("Accept", "application/fhir+json").get(manifest.getString("output[" + i + "].url"))
                    .then().statusCode(200).extract().path("data");
            for (String line : new String(Base64.getDecoder().decode(binary), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    files.computeIfAbsent(type, t -> new ArrayList<>()).add(JsonPath.from(line));
                }
            }
        }
        return files;
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
