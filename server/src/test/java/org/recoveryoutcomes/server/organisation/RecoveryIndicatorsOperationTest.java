package org.recoveryoutcomes.server.organisation;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ServerTest
class RecoveryIndicatorsOperationTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final List<String> INSTRUMENTS = List.of("rosi", "rsa", "sri", "rpfs", "dreem");
    static final List<String> DEVELOPMENTS = List.of("recovery-colleges", "peer-support-workers", "safety-planning",
            "inpatient-recovery-principles");
    static final List<String> LEVELS = List.of("not-started", "early", "developing", "established", "embedded");

    private static String org1;
    private static String org2;
    private static String org3;
    private static String latestBox2;

    @LocalServerPort
    int port;

    @BeforeEach
    void writeTheAssessmentsOnce() {
        RestAssured.port = port;
        if (org1 != null) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        org1 = create(new Organization().setName("Trust one " + run));
        org2 = create(new Organization().setName("Trust two " + run));
        org3 = create(new Organization().setName("Trust three " + run));
        // org1: two Box 2 assessments (a year apart) and two key-challenge self-assessments; one unfinished response
        create(box2(org1, "2024-01-10", Map.of("rosi", true, "recovery-colleges", true)));
        latestBox2 = create(box2(org1, "2025-01-10", Map.of("rosi", true, "dreem", true, "recovery-colleges", true,
                "peer-support-workers", true)));
        create(keyChallenges(org1, "2024-02-01", Map.of("kc-01", "early", "kc-05", "not-started")));
        create(keyChallenges(org1, "2025-02-01", Map.of("kc-01", "developing", "kc-05", "embedded")));
        QuestionnaireResponse draft = box2(org1, "2025-06-01", Map.of("rsa", true));
        draft.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        create(draft);
        // org2: one of each
        create(box2(org2, "2025-03-01", Map.of("rosi", true, "imroc-self-assessment", true)));
        create(keyChallenges(org2, "2025-03-01", Map.of("kc-01", "developing")));
    }

    @Test
    void an_organisation_gets_its_latest_answers_with_the_previous_ones_for_comparison() {
        Parameters p = get("/fhir/Organization/" + org1 + "/$recovery-indicators");
        assertThat(((Reference) p.getParameter("organization").getValue()).getReference()).isEqualTo("Organization/" + org1);
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(((Reference) part(box2, "latest-response")).getReference()).isEqualTo("QuestionnaireResponse/" + latestBox2);
        assertThat(((DateTimeType) part(box2, "latest-authored")).getValueAsString()).startsWith("2025-01-10");
        assertThat(((DateTimeType) part(box2, "previous-authored")).getValueAsString()).startsWith("2024-01-10");
        Map<String, ParametersParameterComponent> indicators = byCode(box2, "indicator");
        assertThat(indicators).hasSize(10);
        assertThat(code(indicators.get("rosi"), "latest")).isEqualTo("yes");
        assertThat(code(indicators.get("rosi"), "previous")).isEqualTo("yes");
        assertThat(part(indicators.get("rosi"), "changed").primitiveValue()).isEqualTo("false");
        assertThat(code(indicators.get("dreem"), "latest")).isEqualTo("yes");
        assertThat(code(indicators.get("dreem"), "previous")).isEqualTo("no");
        assertThat(part(indicators.get("dreem"), "changed").primitiveValue()).isEqualTo("true");
        assertThat(code(indicators.get("peer-support-workers"), "latest")).isEqualTo("yes");

        Map<String, ParametersParameterComponent> challenges = byCode(p.getParameter("key-challenges"), "challenge");
        assertThat(challenges).hasSize(10);
        assertThat(code(challenges.get("kc-01"), "latest")).isEqualTo("developing");
        assertThat(part(challenges.get("kc-01"), "latest-level").primitiveValue()).isEqualTo("2");
        assertThat(code(challenges.get("kc-01"), "previous")).isEqualTo("early");
        assertThat(part(challenges.get("kc-01"), "change").primitiveValue()).isEqualTo("1");
        assertThat(part(challenges.get("kc-05"), "change").primitiveValue()).isEqualTo("4");
        assertThat(part(challenges.get("kc-02"), "change").primitiveValue()).isEqualTo("0"); // not-started twice
    }

    @Test
    void an_organisation_without_assessments_gets_the_questions_without_answers() {
        Parameters p = get("/fhir/Organization/" + org3 + "/$recovery-indicators");
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(box2.getPart()).noneMatch(x -> x.getName().startsWith("latest"));
        assertThat(byCode(box2, "indicator").get("rosi").getPart()).extracting(ParametersParameterComponent::getName).containsExactly("code");
    }

    @Test
    void an_unknown_organisation_is_404() {
        Response r = RestAssured.given().accept("application/fhir+json").get("/fhir/Organization/no-such-org-" + UUID.randomUUID() + "/$recovery-indicators");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.asString()).contains("OperationOutcome");
    }

    @Test
    void across_organisations_each_development_and_each_rating_is_counted_from_the_latest_assessment() {
        Parameters p = get("/fhir/Organization/$recovery-indicators?organization=" + org1 + "," + org2 + "&organization=Organization/" + org3);
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(part(box2, "organisations").primitiveValue()).isEqualTo("2");
        Map<String, ParametersParameterComponent> indicators = byCode(box2, "indicator");
        assertThat(count(indicators.get("rosi"), "yes")).isEqualTo(2);
        assertThat(count(indicators.get("dreem"), "yes")).isEqualTo(1); // org1's latest; org1's earlier "no" not counted
        assertThat(count(indicators.get("dreem"), "no")).isEqualTo(1);
        assertThat(count(indicators.get("rsa"), "yes")).isZero(); // only in org1's unfinished response
        assertThat(count(indicators.get("imroc-self-assessment"), "yes")).isEqualTo(1);

        ParametersParameterComponent kc = p.getParameter("key-challenges");
        assertThat(part(kc, "organisations").primitiveValue()).isEqualTo("2");
        Map<String, Integer> kc01 = spread(byCode(kc, "challenge").get("kc-01"));
        assertThat(kc01).containsExactly(Map.entry("not-started", 0), Map.entry("early", 0), Map.entry("developing", 2),
                Map.entry("established", 0), Map.entry("embedded", 0));
        assertThat(spread(byCode(kc, "challenge").get("kc-05"))).containsEntry("embedded", 1).containsEntry("not-started", 1);
    }

    @Test
    void a_reference_to_something_else_than_an_organisation_is_400() {
        Response r = RestAssured.given().accept("application/fhir+json").get("/fhir/Organization/$recovery-indicators?organization=Patient/1");
        assertThat(r.statusCode()).isEqualTo(400);
    }

    // --- helpers

    static QuestionnaireResponse box2(String org, String authored, Map<String, Boolean> yes) {
        QuestionnaireResponse qr = response("organisational-indicators", org, authored);
        QuestionnaireResponseItemComponent used = qr.addItem().setLinkId("instruments-used");
        INSTRUMENTS.forEach(i -> used.addItem().setLinkId(i).addAnswer().setValue(yesNo(yes.getOrDefault(i, false))));
        qr.addItem().setLinkId("imroc-self-assessment").addAnswer().setValue(yesNo(yes.getOrDefault("imroc-self-assessment", false)));
        QuestionnaireResponseItemComponent developments = qr.addItem().setLinkId("co-produced-developments");
        DEVELOPMENTS.forEach(d -> developments.addItem().setLinkId(d).addAnswer().setValue(yesNo(yes.getOrDefault(d, false))));
        return qr;
    }

    static QuestionnaireResponse keyChallenges(String org, String authored, Map<String, String> levels) {
        QuestionnaireResponse qr = response("key-challenges", org, authored);
        for (int i = 1; i <= 10; i++) {
            String kc = String.format("kc-%02d", i);
            String level = levels.getOrDefault(kc, "not-started");
            qr.addItem().setLinkId(kc).addItem().setLinkId(kc + "-progress").addAnswer()
                    .setValue(new Coding(CANON + "/CodeSystem/key-challenge-progress", level, display(level)));
        }
        return qr;
    }

    static String display(String level) {
        return Map.of("not-started", "Not started", "early", "Early progress", "developing", "Developing", "established",
                "Established", "embedded", "Embedded across the organisation").get(level);
    }

    static QuestionnaireResponse response(String questionnaire, String org, String authored) {
        QuestionnaireResponse qr = new QuestionnaireResponse();
        qr.setQuestionnaire(CANON + "/Questionnaire/" + questionnaire);
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setSubject(new Reference("Organization/" + org));
        qr.setAuthoredElement(new DateTimeType(authored + "T09:00:00Z"));
        return qr;
    }

    static Coding yesNo(boolean yes) {
        return new Coding(CANON + "/CodeSystem/yes-no", yes ? "yes" : "no", yes ? "Yes" : "No");
    }

    static String create(Resource r) {
        Response response = RestAssured.given().contentType("application/fhir+json").body(FHIR.newJsonParser().encodeResourceToString(r))
                .post("/fhir/" + r.fhirType());
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
        return FHIR.newJsonParser().parseResource(response.asString()).getIdElement().getIdPart();
    }

    static Parameters get(String path) {
        Response r = RestAssured.given().accept("application/fhir+json").get(path);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Parameters.class, r.asString());
    }

    static org.hl7.fhir.r4.model.Type part(ParametersParameterComponent p, String name) {
        return p.getPart().stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name)).getValue();
    }

    static Map<String, ParametersParameterComponent> byCode(ParametersParameterComponent p, String name) {
        Map<String, ParametersParameterComponent> out = new LinkedHashMap<>();
        p.getPart().stream().filter(x -> x.getName().equals(name)).forEach(x -> out.put(((Coding) part(x, "code")).getCode(), x));
        return out;
    }

    static String code(ParametersParameterComponent p, String name) {
        return ((Coding) part(p, name)).getCode();
    }

    static int count(ParametersParameterComponent p, String name) {
        return Integer.parseInt(part(p, name).primitiveValue());
    }

    static Map<String, Integer> spread(ParametersParameterComponent challenge) {
        Map<String, Integer> out = new LinkedHashMap<>();
        challenge.getPart().stream().filter(x -> x.getName().equals("level"))
                .forEach(l -> out.put(((Coding) part(l, "code")).getCode(), count(l, "organisations")));
        return out;
    }
}
