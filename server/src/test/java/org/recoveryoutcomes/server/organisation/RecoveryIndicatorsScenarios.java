package org.recoveryoutcomes.server.organisation;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationDefinitionParameterComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Organization/{id}/$recovery-indicators and Organization/$recovery-indicators (contract §4, issue #6 item 4) on a real
 * server, on H2 ({@link RecoveryIndicatorsOperationTest}) and PostgreSQL ({@link RecoveryIndicatorsOnPostgresTest}).
 * Every expected figure below is worked out by hand from the assessments written in {@link #writeTheAssessmentsOnce}:
 *
 * <pre>
 * org1  Box 2  2024-01-10 completed  yes: rosi, recovery-colleges                                (previous)
 *              2025-01-10 completed  yes: rosi, dreem, recovery-colleges, peer-support-workers     (latest)
 *              2025-06-01 in-progress yes: rsa                                                     (ignored)
 *       KC     2024-02-01 completed  kc-01 early, the others not-started                          (previous)
 *              2025-02-01 completed  kc-01 developing, kc-05 embedded, the others not-started     (latest)
 * org2  Box 2  2025-03-01 completed  yes: rosi, imroc-self-assessment   (questionnaire canonical with |0.1.0)
 *       KC     2025-03-01 completed  kc-01 developing
 * org3  nothing
 * org4  Box 2  2023-05-01 amended    yes: safety-planning
 *       KC     2023-05-01 completed  kc-01 established, kc-10 early
 *              2025-12-01 entered-in-error  kc-01 embedded                                         (ignored)
 * </pre>
 * <p>The database is shared with other test classes, so every type-level request names these organisations.
 */
abstract class RecoveryIndicatorsScenarios {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final List<String> INDICATORS = List.of("rosi", "rsa", "sri", "rpfs", "dreem", "imroc-self-assessment", "recovery-colleges",
            "peer-support-workers", "safety-planning", "inpatient-recovery-principles");
    static final List<String> INSTRUMENTS = INDICATORS.subList(0, 5);
    static final List<String> DEVELOPMENTS = INDICATORS.subList(6, 10);
    static final List<String> CHALLENGES = List.of("kc-01", "kc-02", "kc-03", "kc-04", "kc-05", "kc-06", "kc-07", "kc-08", "kc-09", "kc-10");
    static final List<String> LEVELS = List.of("not-started", "early", "developing", "established", "embedded");

    /** One data set per test class (per database). */
    private static final Map<Class<?>, Dataset> DATASETS = new ConcurrentHashMap<>();

    record Dataset(String org1, String org2, String org3, String org4, String deleted, Map<String, String> responses) {
    }

    @LocalServerPort
    int port;

    Dataset data;

    @BeforeEach
    void writeTheAssessmentsOnce() {
        RestAssured.port = port;
        data = DATASETS.computeIfAbsent(getClass(), k -> write());
    }

    private static Dataset write() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String org1 = create(new Organization().setName("Trust one " + run));
        String org2 = create(new Organization().setName("Trust two " + run));
        String org3 = create(new Organization().setName("Trust three " + run));
        String org4 = create(new Organization().setName("Trust four " + run));
        String deleted = create(new Organization().setName("Trust gone " + run));
        Response gone = RestAssured.given().delete("/fhir/Organization/" + deleted);
        assertThat(gone.statusCode()).as(gone.asString()).isIn(200, 204);
        Map<String, String> responses = new LinkedHashMap<>();
        responses.put("org1 box2 2024", create(box2(org1, "2024-01-10", Set.of("rosi", "recovery-colleges"))));
        responses.put("org1 box2 2025", create(box2(org1, "2025-01-10", Set.of("rosi", "dreem", "recovery-colleges", "peer-support-workers"))));
        responses.put("org1 kc 2024", create(keyChallenges(org1, "2024-02-01", Map.of("kc-01", "early"))));
        responses.put("org1 kc 2025", create(keyChallenges(org1, "2025-02-01", Map.of("kc-01", "developing", "kc-05", "embedded"))));
        QuestionnaireResponse draft = box2(org1, "2025-06-01", Set.of("rsa"));
        draft.setStatus(QuestionnaireResponseStatus.INPROGRESS);
        create(draft);
        QuestionnaireResponse versioned = box2(org2, "2025-03-01", Set.of("rosi", "imroc-self-assessment"));
        versioned.setQuestionnaire(versioned.getQuestionnaire() + "|0.1.0");
        responses.put("org2 box2", create(versioned));
        responses.put("org2 kc", create(keyChallenges(org2, "2025-03-01", Map.of("kc-01", "developing"))));
        QuestionnaireResponse amended = box2(org4, "2023-05-01", Set.of("safety-planning"));
        amended.setStatus(QuestionnaireResponseStatus.AMENDED);
        responses.put("org4 box2", create(amended));
        responses.put("org4 kc", create(keyChallenges(org4, "2023-05-01", Map.of("kc-01", "established", "kc-10", "early"))));
        QuestionnaireResponse mistaken = keyChallenges(org4, "2025-12-01", Map.of("kc-01", "embedded"));
        mistaken.setStatus(QuestionnaireResponseStatus.ENTEREDINERROR);
        create(mistaken);
        return new Dataset(org1, org2, org3, org4, deleted, responses);
    }

    // --- instance level

    @Test
    void an_organisation_gets_its_latest_answers_with_the_previous_ones_and_what_changed() {
        Parameters p = get("/fhir/Organization/" + data.org1() + "/$recovery-indicators");
        assertThat(((Reference) p.getParameter("organization").getValue()).getReference()).isEqualTo("Organization/" + data.org1());
        assertThat(FHIR.newJsonParser().encodeResourceToString(p)).as("free-text answers are not returned").doesNotContain("free text goal");

        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(reference(box2, "latest-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org1 box2 2025"));
        assertThat(reference(box2, "previous-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org1 box2 2024"));
        assertThat(((DateTimeType) part(box2, "latest-authored")).getValueAsString()).startsWith("2025-01-10");
        assertThat(((DateTimeType) part(box2, "previous-authored")).getValueAsString()).startsWith("2024-01-10");
        // indicator: latest, previous, changed
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("rosi", "yes yes false");
        expected.put("rsa", "no no false"); // the unfinished 2025-06 response said yes: not an assessment
        expected.put("sri", "no no false");
        expected.put("rpfs", "no no false");
        expected.put("dreem", "yes no true");
        expected.put("imroc-self-assessment", "no no false");
        expected.put("recovery-colleges", "yes yes false");
        expected.put("peer-support-workers", "yes no true");
        expected.put("safety-planning", "no no false");
        expected.put("inpatient-recovery-principles", "no no false");
        assertThat(indicators(box2)).containsExactlyEntriesOf(expected);

        ParametersParameterComponent kc = p.getParameter("key-challenges");
        assertThat(reference(kc, "latest-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org1 kc 2025"));
        assertThat(reference(kc, "previous-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org1 kc 2024"));
        // challenge: latest (level), previous (level), change
        Map<String, String> ratings = new LinkedHashMap<>();
        CHALLENGES.forEach(c -> ratings.put(c, "not-started(0) not-started(0) 0"));
        ratings.put("kc-01", "developing(2) early(1) 1");
        ratings.put("kc-05", "embedded(4) not-started(0) 4");
        assertThat(challenges(kc)).containsExactlyEntriesOf(ratings);
    }

    @Test
    void with_one_assessment_there_is_no_previous_and_no_change_and_amended_counts_while_entered_in_error_does_not() {
        Parameters p = get("/fhir/Organization/" + data.org4() + "/$recovery-indicators");
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(reference(box2, "latest-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org4 box2"));
        assertThat(names(box2)).doesNotContain("previous-response", "previous-authored");
        Map<String, String> expected = new LinkedHashMap<>();
        INDICATORS.forEach(i -> expected.put(i, i.equals("safety-planning") ? "yes" : "no"));
        assertThat(indicators(box2)).containsExactlyEntriesOf(expected);

        ParametersParameterComponent kc = p.getParameter("key-challenges");
        assertThat(reference(kc, "latest-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org4 kc"));
        assertThat(((DateTimeType) part(kc, "latest-authored")).getValueAsString()).startsWith("2023-05-01");
        Map<String, String> ratings = new LinkedHashMap<>();
        CHALLENGES.forEach(c -> ratings.put(c, "not-started(0)"));
        ratings.put("kc-01", "established(3)");
        ratings.put("kc-10", "early(1)");
        assertThat(challenges(kc)).containsExactlyEntriesOf(ratings);
    }

    @Test
    void a_versioned_questionnaire_canonical_is_the_same_questionnaire() {
        Parameters p = get("/fhir/Organization/" + data.org2() + "/$recovery-indicators");
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(reference(box2, "latest-response")).isEqualTo("QuestionnaireResponse/" + data.responses().get("org2 box2"));
        assertThat(indicators(box2)).containsEntry("rosi", "yes").containsEntry("imroc-self-assessment", "yes").containsEntry("dreem", "no");
    }

    @Test
    void an_organisation_without_assessments_gets_every_question_without_answers() {
        Parameters p = get("/fhir/Organization/" + data.org3() + "/$recovery-indicators");
        assertThat(p.getParameter()).extracting(ParametersParameterComponent::getName)
                .containsExactly("organization", "organisational-indicators", "key-challenges");
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(names(box2)).containsOnly("indicator").hasSize(10);
        assertThat(box2.getPart()).allSatisfy(i -> assertThat(names(i)).containsExactly("code"));
        assertThat(box2.getPart()).extracting(i -> ((Coding) part(i, "code")).getSystem()).containsOnly(CANON + "/CodeSystem/organisational-indicator");
        assertThat(box2.getPart()).extracting(i -> ((Coding) part(i, "code")).getCode()).containsExactlyElementsOf(INDICATORS);
        ParametersParameterComponent kc = p.getParameter("key-challenges");
        assertThat(names(kc)).containsOnly("challenge").hasSize(10);
        assertThat(kc.getPart()).allSatisfy(c -> assertThat(names(c)).containsExactly("code"));
        assertThat(kc.getPart()).extracting(c -> ((Coding) part(c, "code")).getCode()).containsExactlyElementsOf(CHALLENGES);
    }

    @Test
    void an_unknown_organisation_is_404_and_a_deleted_one_410() {
        assertOutcome(RestAssured.given().accept("application/fhir+json")
                .get("/fhir/Organization/no-such-org-" + UUID.randomUUID().toString().substring(0, 8) + "/$recovery-indicators"), 404, "");
        assertOutcome(RestAssured.given().accept("application/fhir+json").get("/fhir/Organization/" + data.deleted() + "/$recovery-indicators"),
                410, "");
    }

    // --- type level

    @Test
    void across_organisations_each_development_and_each_rating_is_counted_from_the_latest_assessment() {
        // the four organisations named in each of the accepted forms
        Parameters p = get("/fhir/Organization/$recovery-indicators?organization=" + data.org1() + "," + data.org2()
                + "&organization=Organization/" + data.org3() + "&organization=http://elsewhere.example/fhir/Organization/" + data.org4());
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        assertThat(part(box2, "organisations").primitiveValue()).isEqualTo("3"); // org1, org2, org4 (org3 has none)
        // indicator: yes, no
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("rosi", "2 1"); // org1, org2 | org4
        expected.put("rsa", "0 3"); // org1's "yes" was in an unfinished response
        expected.put("sri", "0 3");
        expected.put("rpfs", "0 3");
        expected.put("dreem", "1 2"); // org1's latest (its previous said no: not counted)
        expected.put("imroc-self-assessment", "1 2"); // org2
        expected.put("recovery-colleges", "1 2"); // org1
        expected.put("peer-support-workers", "1 2"); // org1
        expected.put("safety-planning", "1 2"); // org4, amended
        expected.put("inpatient-recovery-principles", "0 3");
        assertThat(counts(box2)).containsExactlyEntriesOf(expected);

        ParametersParameterComponent kc = p.getParameter("key-challenges");
        assertThat(part(kc, "organisations").primitiveValue()).isEqualTo("3");
        // organisations at not-started, early, developing, established, embedded
        Map<String, List<Integer>> spread = new LinkedHashMap<>();
        CHALLENGES.forEach(c -> spread.put(c, List.of(3, 0, 0, 0, 0)));
        spread.put("kc-01", List.of(0, 0, 2, 1, 0)); // org1 developing (was early), org2 developing, org4 established (not the entered-in-error embedded)
        spread.put("kc-05", List.of(2, 0, 0, 0, 1)); // org2, org4 | org1 embedded
        spread.put("kc-10", List.of(2, 1, 0, 0, 0)); // org1, org2 | org4 early
        assertThat(spread(kc)).containsExactlyEntriesOf(spread);
    }

    @Test
    void organisations_without_assessments_give_a_well_formed_result_of_zeros() {
        for (String filter : List.of(data.org3(), "no-such-org-" + UUID.randomUUID().toString().substring(0, 8), data.deleted())) {
            Parameters p = get("/fhir/Organization/$recovery-indicators?organization=" + filter);
            ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
            assertThat(part(box2, "organisations").primitiveValue()).isEqualTo("0");
            Map<String, String> zeros = new LinkedHashMap<>();
            INDICATORS.forEach(i -> zeros.put(i, "0 0"));
            assertThat(counts(box2)).containsExactlyEntriesOf(zeros);
            ParametersParameterComponent kc = p.getParameter("key-challenges");
            assertThat(part(kc, "organisations").primitiveValue()).isEqualTo("0");
            Map<String, List<Integer>> spread = new LinkedHashMap<>();
            CHALLENGES.forEach(c -> spread.put(c, List.of(0, 0, 0, 0, 0)));
            assertThat(spread(kc)).containsExactlyEntriesOf(spread);
        }
    }

    @Test
    void without_a_filter_every_assessed_organisation_is_counted() {
        Parameters p = get("/fhir/Organization/$recovery-indicators");
        ParametersParameterComponent box2 = p.getParameter("organisational-indicators");
        // other test classes may have written assessments into the shared database: at least these three
        assertThat(Integer.parseInt(part(box2, "organisations").primitiveValue())).isGreaterThanOrEqualTo(3);
        assertThat(counts(box2)).hasSize(10).allSatisfy((code, yesNo) -> {
            String[] n = yesNo.split(" ");
            assertThat(Integer.parseInt(n[0]) + Integer.parseInt(n[1])).isLessThanOrEqualTo(Integer.parseInt(part(box2, "organisations").primitiveValue()));
        });
        assertThat(spread(p.getParameter("key-challenges"))).hasSize(10).allSatisfy((code, levels) -> assertThat(levels).hasSize(5));
    }

    @Test
    void bad_parameters_are_400() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("/fhir/Organization/$recovery-indicators?organization=Patient/1", "not a reference to an Organization");
        bad.put("/fhir/Organization/$recovery-indicators?organization=", "not a reference to an Organization");
        bad.put("/fhir/Organization/$recovery-indicators?organization=a,,b", "not a reference to an Organization");
        bad.put("/fhir/Organization/$recovery-indicators?organization=no%20spaces", "not a reference to an Organization");
        bad.put("/fhir/Organization/$recovery-indicators?code=kc-01", "Unknown parameter 'code'");
        bad.put("/fhir/Organization/" + data.org1() + "/$recovery-indicators?organization=" + data.org2(), "Unknown parameter 'organization'");
        bad.forEach((path, message) -> assertOutcome(RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").get(path),
                400, message));
    }

    // --- the OperationDefinition names every output

    @Test
    void every_output_is_documented_in_the_operation_definition() {
        Response r = RestAssured.given().accept("application/fhir+json").get("/fhir/OperationDefinition/recovery-indicators");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        OperationDefinition od = FHIR.newJsonParser().parseResource(OperationDefinition.class, r.asString());
        assertThat(od.getInstance()).isTrue();
        assertThat(od.getType()).isTrue();
        List<OperationDefinitionParameterComponent> out = od.getParameter().stream()
                .filter(x -> x.getUse() == OperationDefinition.OperationParameterUse.OUT).toList();
        assertThat(od.getParameter()).filteredOn(x -> x.getUse() == OperationDefinition.OperationParameterUse.IN)
                .extracting(OperationDefinitionParameterComponent::getName).containsExactly("organization");
        for (String path : List.of("/fhir/Organization/" + data.org1() + "/$recovery-indicators",
                "/fhir/Organization/$recovery-indicators?organization=" + data.org1())) {
            for (ParametersParameterComponent p : get(path).getParameter()) {
                assertDocumented(p, out, path);
            }
        }
    }

    private static void assertDocumented(ParametersParameterComponent p, List<OperationDefinitionParameterComponent> documented, String where) {
        OperationDefinitionParameterComponent d = documented.stream().filter(x -> x.getName().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": " + p.getName() + " is not in the OperationDefinition"));
        assertThat(d.getDocumentation()).as(p.getName()).isNotBlank();
        if (p.hasValue()) {
            assertThat(d.getType()).as(p.getName()).isEqualTo(p.getValue().fhirType());
        }
        for (ParametersParameterComponent part : p.getPart()) {
            assertDocumented(part, d.getPart(), where + " " + p.getName());
        }
    }

    // --- helpers

    static QuestionnaireResponse box2(String org, String authored, Set<String> yes) {
        QuestionnaireResponse qr = response("organisational-indicators", org, authored);
        QuestionnaireResponseItemComponent used = qr.addItem().setLinkId("instruments-used");
        INSTRUMENTS.forEach(i -> used.addItem().setLinkId(i).addAnswer().setValue(yesNo(yes.contains(i))));
        qr.addItem().setLinkId("imroc-self-assessment").addAnswer().setValue(yesNo(yes.contains("imroc-self-assessment")));
        QuestionnaireResponseItemComponent developments = qr.addItem().setLinkId("co-produced-developments");
        DEVELOPMENTS.forEach(d -> developments.addItem().setLinkId(d).addAnswer().setValue(yesNo(yes.contains(d))));
        return qr;
    }

    static QuestionnaireResponse keyChallenges(String org, String authored, Map<String, String> levels) {
        QuestionnaireResponse qr = response("key-challenges", org, authored);
        for (String kc : CHALLENGES) {
            String level = levels.getOrDefault(kc, "not-started");
            QuestionnaireResponseItemComponent group = qr.addItem().setLinkId(kc);
            group.addItem().setLinkId(kc + "-progress").addAnswer()
                    .setValue(new Coding(CANON + "/CodeSystem/key-challenge-progress", level, display(level)));
            group.addItem().setLinkId(kc + "-goal").addAnswer().setValue(new org.hl7.fhir.r4.model.StringType("free text goal " + kc));
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
        qr.setStatus(QuestionnaireResponseStatus.COMPLETED);
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
        assertThat(r.statusCode()).as(path + ": " + r.asString()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Parameters.class, r.asString());
    }

    static void assertOutcome(Response r, int status, String message) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        OperationOutcome oo = FHIR.newJsonParser().parseResource(OperationOutcome.class, r.asString());
        assertThat(oo.getIssueFirstRep().getDiagnostics()).contains(message);
    }

    static org.hl7.fhir.r4.model.Type part(ParametersParameterComponent p, String name) {
        return p.getPart().stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name)).getValue();
    }

    static String reference(ParametersParameterComponent p, String name) {
        return ((Reference) part(p, name)).getReference();
    }

    static List<String> names(ParametersParameterComponent p) {
        return p.getPart().stream().map(ParametersParameterComponent::getName).toList();
    }

    /** Instance level, per indicator in order: "latest previous changed", as far as present. */
    static Map<String, String> indicators(ParametersParameterComponent box2) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ParametersParameterComponent i : box2.getPart()) {
            if (!i.getName().equals("indicator")) {
                continue;
            }
            List<String> v = new ArrayList<>();
            for (ParametersParameterComponent x : i.getPart()) {
                switch (x.getName()) {
                    case "code" -> assertThat(((Coding) x.getValue()).getSystem()).isEqualTo(CANON + "/CodeSystem/organisational-indicator");
                    case "latest", "previous" -> {
                        assertThat(((Coding) x.getValue()).getSystem()).isEqualTo(CANON + "/CodeSystem/yes-no");
                        v.add(((Coding) x.getValue()).getCode());
                    }
                    default -> v.add(x.getValue().primitiveValue());
                }
            }
            out.put(((Coding) part(i, "code")).getCode(), String.join(" ", v));
        }
        return out;
    }

    /** Instance level, per challenge in order: "latest(level) previous(level) change", as far as present. */
    static Map<String, String> challenges(ParametersParameterComponent kc) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ParametersParameterComponent c : kc.getPart()) {
            if (!c.getName().equals("challenge")) {
                continue;
            }
            List<String> v = new ArrayList<>();
            for (String when : List.of("latest", "previous")) {
                if (names(c).contains(when)) {
                    Coding rating = (Coding) part(c, when);
                    assertThat(rating.getSystem()).isEqualTo(CANON + "/CodeSystem/key-challenge-progress");
                    v.add(rating.getCode() + "(" + part(c, when + "-level").primitiveValue() + ")");
                }
            }
            if (names(c).contains("change")) {
                v.add(part(c, "change").primitiveValue());
            }
            assertThat(((Coding) part(c, "code")).getSystem()).isEqualTo(CANON + "/CodeSystem/key-challenge");
            out.put(((Coding) part(c, "code")).getCode(), String.join(" ", v));
        }
        return out;
    }

    /** Type level, per indicator in order: "yes no". */
    static Map<String, String> counts(ParametersParameterComponent box2) {
        Map<String, String> out = new LinkedHashMap<>();
        box2.getPart().stream().filter(x -> x.getName().equals("indicator")).forEach(i -> out.put(((Coding) part(i, "code")).getCode(),
                part(i, "yes").primitiveValue() + " " + part(i, "no").primitiveValue()));
        return out;
    }

    /** Type level, per challenge in order: organisations at each level, lowest first (the level codes are checked). */
    static Map<String, List<Integer>> spread(ParametersParameterComponent kc) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        kc.getPart().stream().filter(x -> x.getName().equals("challenge")).forEach(c -> {
            List<ParametersParameterComponent> levels = c.getPart().stream().filter(x -> x.getName().equals("level")).toList();
            assertThat(levels).extracting(l -> ((Coding) part(l, "code")).getCode()).containsExactlyElementsOf(LEVELS);
            out.put(((Coding) part(c, "code")).getCode(), levels.stream().map(l -> Integer.parseInt(part(l, "organisations").primitiveValue())).toList());
        });
        return out;
    }
}
