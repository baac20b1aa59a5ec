package org.recoveryoutcomes.server.audit;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue #7 §4: an AuditEvent for every request, allowed or denied, durable before the response, and protected. */
@ServerTest
class AuditTrailTest {

    @LocalServerPort
    int port;

    @Autowired
    AuditRelay relay;

    @Autowired
    AuditOutbox outbox;

    @Autowired
    JdbcTemplate jdbc;

    String base;
    final String auditor = TestTokens.token().clientId("auditor").scope("system/AuditEvent.rs").sign();

    @BeforeEach
    void base() {
        base = "http://localhost:" + port + "/fhir";
    }

    private RequestSpecification as(String token) {
        RequestSpecification spec = given().noFilters().baseUri(base).contentType("application/fhir+json");
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    /** One step of the script: the request made and what its AuditEvent must say. */
    record Step(String name, Response response, String action, String outcome, String client, String patient, String token) {
    }

    @Test
    void everyRequestOfAScriptedSequenceLeavesAnAuditEventDeniedOnesIncluded() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ehr = TestTokens.token().clientId("audit-ehr-" + run).scope("system/*.cruds").sign();
        List<Step> steps = new ArrayList<>();
        Response created = as(ehr).body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Audited\"}]}").post("/Patient");
        String patient = created.jsonPath().getString("id");
        steps.add(new Step("create", created, "C", "0", "audit-ehr-" + run, patient, ehr));

        String app = TestTokens.token().clientId("audit-app-" + run).subject("nurse-" + run).claim("fhirUser", "Practitioner/nurse")
                .patient(patient).scope("patient/*.rs").sign();
        steps.add(new Step("read by the patient's app", as(app).get("/Patient/" + patient), "R", "0", "audit-app-" + run, patient, app));
        steps.add(new Step("search by the patient's app", as(app).get("/Observation?patient=Patient/" + patient), "E", "0",
                "audit-app-" + run, patient, app));
        String other = as(ehr).body("{\"resourceType\":\"Patient\"}").post("/Patient").jsonPath().getString("id");
        steps.add(new Step("denied read of another patient", as(app).get("/Patient/" + other), "R", "4", "audit-app-" + run, other, app));
        String hub = TestTokens.token().clientId("audit-hub-" + run).scope("system/MeasureReport.rs").sign();
        steps.add(new Step("denied search by the hub", as(hub).get("/Observation?subject=Patient/" + patient), "E", "4",
                "audit-hub-" + run, patient, hub));
        steps.add(new Step("no token", as(null).get("/Patient/" + patient), "R", "4", null, null, null));
        String expired = TestTokens.token().clientId("audit-expired-" + run).scope("system/*.cruds").expiredSince(java.time.Duration.ofHours(1)).sign();
        steps.add(new Step("expired token", as(expired).get("/Patient/" + patient), "R", "4", null, null, expired));
        steps.add(new Step("update", as(ehr).body("{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"name\":[{\"family\":\"Audited2\"}]}")
                .put("/Patient/" + patient), "U", "0", "audit-ehr-" + run, patient, ehr));
        steps.add(new Step("operation", as(ehr).get("/Patient/" + patient + "/$everything"), "E", "0", "audit-ehr-" + run, patient, ehr));
        steps.add(new Step("public metadata", as(null).get("/metadata"), "R", "0", null, null, null));
        steps.add(new Step("delete", as(ehr).delete("/Patient/" + other), "D", "0", "audit-ehr-" + run, other, ehr));

        for (Step step : steps) {
            String id = step.response().header("X-Request-ID");
            assertThat(id).as("%s has a request id", step.name()).isNotBlank();
            assertThat(durable(id)).as("%s is recorded before its response", step.name()).isTrue();
        }
        relay.drain();
        for (Step step : steps) {
            String id = step.response().header("X-Request-ID");
            Response r = as(auditor).get("/AuditEvent/" + id);
            assertThat(r.statusCode()).as("%s: %s", step.name(), r.asString()).isEqualTo(200);
            String json = r.asString();
            JsonPath event = r.jsonPath();
            assertThat(event.getString("type.code")).isEqualTo("rest");
            assertThat(event.getString("action")).as(step.name()).isEqualTo(step.action());
            assertThat(event.getString("outcome")).as(step.name()).isEqualTo(step.outcome());
            assertThat(event.getString("source.observer.display")).isNotBlank();
            if (step.client() != null) {
                assertThat(event.getList("agent.who.identifier.value", String.class)).as(step.name()).contains(step.client());
            }
            if (step.patient() != null) {
                assertThat(event.getList("entity.what.reference", String.class)).as(step.name()).contains("Patient/" + step.patient());
            }
            if (step.token() != null) {
                assertThat(json).as("%s holds no token", step.name()).doesNotContain(step.token())
                        .doesNotContain(step.token().substring(step.token().lastIndexOf('.') + 1));
            }
            assertThat(json).doesNotContainIgnoringCase("bearer");
        }
        JsonPath userEvent = as(auditor).get("/AuditEvent/" + steps.get(1).response().header("X-Request-ID")).jsonPath();
        assertThat(userEvent.getList("agent.who.identifier.value", String.class)).contains("nurse-" + run);
        assertThat(userEvent.getList("agent.who.reference", String.class)).contains("Practitioner/nurse");
    }

    @Test
    void auditEventsAreSearchableByPatientWithTheAuditScopeOnly() {
        String patient = as(TestTokens.allAccess()).body("{\"resourceType\":\"Patient\"}").post("/Patient").jsonPath().getString("id");
        String app = TestTokens.token().scope("patient/*.rs").patient(patient).sign();
        String id = as(app).get("/Patient/" + patient).header("X-Request-ID");
        relay.drain();
        assertThat(as(auditor).get("/AuditEvent?patient=Patient/" + patient + "&_count=100").jsonPath()
                .getList("entry.resource.id", String.class)).contains(id);
        as(TestTokens.allAccess()).get("/AuditEvent?patient=Patient/" + patient).then().statusCode(403);
        as(TestTokens.allAccess()).get("/AuditEvent/" + id).then().statusCode(403);
    }

    @Test
    void noApiClientMayChangeOrDeleteAnAuditEvent() {
        String id = as(TestTokens.allAccess()).get("/metadata").header("X-Request-ID");
        relay.drain();
        String everything = TestTokens.token().scope("system/*.cruds system/AuditEvent.cruds").sign();
        String event = as(auditor).get("/AuditEvent/" + id).asString();
        as(everything).body(event.replace("\"rest\"", "\"tampered\"")).put("/AuditEvent/" + id).then().statusCode(403);
        as(everything).delete("/AuditEvent/" + id).then().statusCode(403);
        as(everything).contentType("application/json-patch+json").body("[{\"op\":\"remove\",\"path\":\"/entity\"}]")
                .patch("/AuditEvent/" + id).then().statusCode(403);
        as(everything).body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\","
                + "\"url\":\"AuditEvent/" + id + "\"}}]}").post("").then().statusCode(403);
        as(everything).delete("/AuditEvent?_id=" + id).then().statusCode(403);
        as(auditor).get("/AuditEvent/" + id).then().statusCode(200);
        assertThat(as(auditor).get("/AuditEvent/" + id).jsonPath().getString("meta.versionId")).isEqualTo("1");
    }

    @Test
    void whenTheAuditTrailCannotBeWrittenTheClientGetsNoData() {
        jdbc.execute("alter table recovery_audit_outbox rename to recovery_audit_outbox_away");
        try {
            Response r = as(TestTokens.allAccess()).get("/Patient");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.asString()).doesNotContain("\"entry\"");
        } finally {
            jdbc.execute("alter table recovery_audit_outbox_away rename to recovery_audit_outbox");
        }
    }

    /** The event is either still in the outbox or already an AuditEvent (moved in one transaction). */
    private boolean durable(String id) {
        Long waiting = jdbc.queryForObject("select count(*) from recovery_audit_outbox where id = ?", Long.class, id);
        if (waiting != null && waiting == 1) {
            return true;
        }
        Long stored = jdbc.queryForObject("select count(*) from HFJ_RESOURCE where RES_TYPE = 'AuditEvent' and FHIR_ID = ?", Long.class, id);
        return stored != null && stored == 1;
    }
}
