package org.recoveryoutcomes.server.aggregate;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #6 item 5, contract §6: a regional data hub whose token has {@code system/MeasureReport.rs} and nothing else
 * gets the population operations ({@code Observation/$aggregate}, {@code Organization/{id}/$recovery-indicators},
 * {@code Organization/$recovery-indicators}) with their figures, and 403 on everything that returns person-level data
 * (reads, searches and history of people's resources, the patient operations, bulk export), on every stored resource
 * and on every write. The person-level data and the assessment exist (written with the all-access token), so a 403 is
 * the policy and not a missing resource.
 */
@ServerTest
class HubScopeAccessTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String HUB = TestTokens.token().clientId("hub-" + RUN).scope("system/MeasureReport.rs").expiresIn(java.time.Duration.ofHours(1)).sign();
    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";

    private static String organization;
    private static String patient;
    private static String observation;
    private static String response;
    private static String goal;
    private static String encounter;
    private static String assessment;

    @LocalServerPort
    int port;

    @BeforeEach
    void writeTheDataOnce() {
        RestAssured.port = port;
        if (organization != null) {
            return;
        }
        organization = create("Organization", "{\"resourceType\":\"Organization\",\"name\":\"Hub test trust " + RUN + "\"}");
        patient = create("Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Hub-" + RUN + "\"}],"
                + "\"managingOrganization\":{\"reference\":\"Organization/" + organization + "\"}}");
        String subject = "\"subject\":{\"reference\":\"Patient/" + patient + "\"}";
        observation = create("Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hub-" + RUN
                + "\"}," + subject + ",\"valueInteger\":3}");
        response = create("QuestionnaireResponse", "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"," + subject + "}");
        goal = create("Goal", "{\"resourceType\":\"Goal\",\"lifecycleStatus\":\"active\",\"description\":{\"text\":\"hub\"}," + subject + "}");
        encounter = create("Encounter", "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"}," + subject + "}");
        // 10 people scored in 1993 at the organisation (no other test writes 1993): $aggregate has figures to publish
        List<ScoreData.Score> scores = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            scores.add(new ScoreData.Score("hub-" + RUN + "-" + p, organization, "wemwbs-total", Instant.parse("1993-03-15T12:00:00Z"), 40 + p));
        }
        ScoreData.post(scores);
        // the organisation's Box 2 self-assessment
        QuestionnaireResponse box2 = new QuestionnaireResponse();
        box2.setQuestionnaire(CANON + "/Questionnaire/organisational-indicators");
        box2.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        box2.setSubject(new Reference("Organization/" + organization));
        box2.setAuthoredElement(new DateTimeType("2025-01-10T09:00:00Z"));
        var used = box2.addItem().setLinkId("instruments-used");
        for (String i : List.of("rosi", "rsa", "sri", "rpfs", "dreem")) {
            used.addItem().setLinkId(i).addAnswer().setValue(yesNo(i.equals("rosi")));
        }
        box2.addItem().setLinkId("imroc-self-assessment").addAnswer().setValue(yesNo(false));
        var developments = box2.addItem().setLinkId("co-produced-developments");
        for (String d : List.of("recovery-colleges", "peer-support-workers", "safety-planning", "inpatient-recovery-principles")) {
            developments.addItem().setLinkId(d).addAnswer().setValue(yesNo(false));
        }
        assessment = create("QuestionnaireResponse", ScoreData.FHIR.newJsonParser().encodeResourceToString(box2));
    }

    @Test
    void the_hub_gets_the_population_figures() {
        Response r = hub().queryParam("code", "wemwbs-total").queryParam("organization", organization).queryParam("date", "eq1993")
                .queryParam("group-by", "organization").get("/Observation/$aggregate");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        MeasureReport report = ScoreData.FHIR.newJsonParser().parseResource(MeasureReport.class, r.asString());
        assertThat(report.getGroupFirstRep().getCode().getCodingFirstRep().getCode()).isEqualTo("wemwbs-total");
        assertThat(report.getGroupFirstRep().getPopulationFirstRep().getCount()).isEqualTo(10);
        assertThat(report.getGroupFirstRep().getMeasureScore().getValue()).isEqualByComparingTo("44.5");
        assertThat(report.getGroupFirstRep().getStratifierFirstRep().getStratumFirstRep().getValue().getText())
                .isEqualTo("Organization/" + organization);
    }

    @Test
    void the_hub_gets_the_organisation_indicators_at_instance_and_type_level() {
        Parameters one = parameters(hub().get("/Organization/" + organization + "/$recovery-indicators"));
        var box2 = one.getParameter("organisational-indicators");
        assertThat(box2.getPart()).filteredOn(p -> p.getName().equals("latest-response"))
                .extracting(p -> ((Reference) p.getValue()).getReference()).containsExactly("QuestionnaireResponse/" + assessment);
        var rosi = box2.getPart().stream().filter(p -> p.getName().equals("indicator"))
                .filter(p -> ((Coding) p.getPart().get(0).getValue()).getCode().equals("rosi")).findFirst().orElseThrow();
        assertThat(rosi.getPart()).filteredOn(p -> p.getName().equals("latest")).extracting(p -> ((Coding) p.getValue()).getCode())
                .containsExactly("yes");

        Parameters all = parameters(hub().queryParam("organization", organization).get("/Organization/$recovery-indicators"));
        assertThat(all.getParameter("organisational-indicators").getPart()).filteredOn(p -> p.getName().equals("organisations"))
                .extracting(p -> p.getValue().primitiveValue()).containsExactly("1");
        parameters(hub().get("/Organization/$recovery-indicators")); // unfiltered: every assessed organisation
    }

    @Test
    void the_hub_gets_403_on_everything_person_level() {
        Map<String, RequestSpecificationCall> forbidden = new LinkedHashMap<>();
        for (String[] typeAndId : new String[][]{{"Patient", patient}, {"Observation", observation}, {"QuestionnaireResponse", response},
                {"Goal", goal}, {"Encounter", encounter}}) {
            String type = typeAndId[0];
            String id = typeAndId[1];
            forbidden.put("read " + type, s -> s.get("/" + type + "/" + id));
            forbidden.put("vread " + type, s -> s.get("/" + type + "/" + id + "/_history/1"));
            forbidden.put("search " + type, s -> s.get("/" + type));
            forbidden.put("search " + type + " by patient", s -> s.get("/" + type + "?" + (type.equals("Patient") ? "_id" : "subject") + "=" + patient));
            forbidden.put("search " + type + " with _summary=count", s -> s.get("/" + type + "?_summary=count"));
            forbidden.put("POST search " + type, s -> s.contentType("application/x-www-form-urlencoded").post("/" + type + "/_search"));
            forbidden.put("instance history " + type, s -> s.get("/" + type + "/" + id + "/_history"));
            forbidden.put("type history " + type, s -> s.get("/" + type + "/_history"));
        }
        forbidden.put("system history", s -> s.get("/_history"));
        forbidden.put("Patient/{id}/$everything", s -> s.get("/Patient/" + patient + "/$everything"));
        forbidden.put("Patient/$everything", s -> s.get("/Patient/$everything"));
        forbidden.put("$recovery-profile", s -> s.get("/Patient/" + patient + "/$recovery-profile"));
        forbidden.put("$goal-attainment", s -> s.get("/Patient/" + patient + "/$goal-attainment"));
        forbidden.put("$score of a stored response", s -> s.get("/QuestionnaireResponse/" + response + "/$score"));
        forbidden.put("the organisation's self-assessment as a resource", s -> s.get("/QuestionnaireResponse/" + assessment));
        forbidden.put("stored MeasureReports", s -> s.get("/MeasureReport"));
        forbidden.put("the Organization as a resource", s -> s.get("/Organization/" + organization));
        forbidden.put("$rebuild-score-facts", s -> s.contentType("application/fhir+json").body("{\"resourceType\":\"Parameters\"}")
                .post("/$rebuild-score-facts"));
        forbidden.put("create", s -> s.contentType("application/fhir+json")
                .body("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}").post("/Observation"));
        forbidden.put("delete", s -> s.delete("/Observation/" + observation));
        forbidden.put("batch with a read", s -> s.contentType("application/fhir+json").body("{\"resourceType\":\"Bundle\",\"type\":\"batch\","
                + "\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + patient + "\"}}]}").post(""));
        forbidden.forEach((what, call) -> {
            Response r = call.apply(hub());
            if (what.startsWith("batch")) {
                // a batch answers 200 with each entry's own status
                assertThat(r.statusCode()).as(what).isEqualTo(200);
                assertThat(r.jsonPath().getString("entry[0].response.status")).as(what + ": " + r.asString()).startsWith("403");
                assertThat(r.asString()).as(what).doesNotContain("Hub-" + RUN);
                return;
            }
            assertThat(r.statusCode()).as(what + ": " + r.asString()).isEqualTo(403);
            assertThat(r.asString()).as(what).contains("OperationOutcome").doesNotContain("Hub-" + RUN);
        });
    }

    @Test
    void bulk_export_is_403_when_the_server_offers_it() {
        Response r = hub().header("Prefer", "respond-async").get("/$export");
        if (offers("export")) {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(403);
        } else {
            assertThat(r.statusCode()).as(r.asString()).isIn(400, 403, 404);
        }
    }

    @Test
    void without_a_token_even_the_population_operations_are_401() {
        Response r = RestAssured.given().noFilters().baseUri("http://localhost:" + port + "/fhir").get("/Observation/$aggregate?code=wemwbs-total");
        assertThat(r.statusCode()).isEqualTo(401);
    }

    // --- helpers

    interface RequestSpecificationCall extends java.util.function.Function<RequestSpecification, Response> {
    }

    RequestSpecification hub() {
        return RestAssured.given().noFilters().baseUri("http://localhost:" + port + "/fhir").header("Authorization", "Bearer " + HUB)
                .accept("application/fhir+json");
    }

    boolean offers(String operation) {
        String metadata = RestAssured.given().noFilters().baseUri("http://localhost:" + port + "/fhir").accept("application/fhir+json")
                .get("/metadata").asString();
        return metadata.replace(" ", "").contains("\"name\":\"" + operation + "\"");
    }

    static Parameters parameters(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return ScoreData.FHIR.newJsonParser().parseResource(Parameters.class, r.asString());
    }

    static Coding yesNo(boolean yes) {
        return new Coding(CANON + "/CodeSystem/yes-no", yes ? "yes" : "no", yes ? "Yes" : "No");
    }

    static String create(String type, String json) {
        Response r = RestAssured.given().contentType("application/fhir+json").body(json).post("/fhir/" + type);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        return r.jsonPath().getString("id");
    }
}
