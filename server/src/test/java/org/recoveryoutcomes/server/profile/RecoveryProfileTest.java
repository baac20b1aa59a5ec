package org.recoveryoutcomes.server.profile;

import io.restassured.response.Response;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.goals.RestFhir;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Targeted checks of {@code Patient/$recovery-profile} beyond the golden scenarios. */
@ServerTest
class RecoveryProfileTest {

    private static final String C = "https://w3id.org/recovery-outcomes/fhir";

    @LocalServerPort
    int port;

    private RestFhir fhir;
    private String patient;

    @BeforeEach
    void client() {
        fhir = new RestFhir(port);
        patient = fhir.newPatient();
    }

    @Test
    void anUnknownPatientGets404WithAnOperationOutcome() {
        Response r = fhir.get("/Patient/no-such-person/$recovery-profile");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(RestFhir.parse(r)).isInstanceOf(OperationOutcome.class);
    }

    @Test
    void aMalformedDateGets400() {
        assertThat(fhir.get("/Patient/" + patient + "/$recovery-profile?date=2026").statusCode()).isEqualTo(400);
        assertThat(fhir.get("/Patient/" + patient + "/$recovery-profile?date=not-a-date").statusCode()).isEqualTo(400);
    }

    @Test
    void aDateTimeIsReadAsItsDay() {
        // 2026-09-30T23:30:00Z is 1 Oct 00:30 in London (BST)
        Parameters out = fhir.operation("/Patient/" + patient + "/$recovery-profile?date=2026-09-30T23:30:00Z");
        assertThat(out.getParameter("date").getValue().primitiveValue()).isEqualTo("2026-10-01");
    }

    @Test
    void withoutADateTheProfileIsAsOfTodayAndHasTheSixDomainsInContractOrder() {
        Parameters out = fhir.operation("/Patient/" + patient + "/$recovery-profile");
        assertThat(out.getParameter("date").getValue().primitiveValue()).isEqualTo(LocalDate.now(ZoneId.of("Europe/London")).toString());
        assertThat(out.getParameters("domain")).extracting(d -> ((Coding) part(d, "code").getValue()).getCode()).containsExactly(
                "recovery-supporting-care", "individual-recovery-goals", "personal-recovery", "socially-valued-goals",
                "quality-of-life", "service-use");
    }

    @Test
    void aFallOfTenWemwbsPointsIsAReliableDeterioration() {
        score("wemwbs-total", "2026-01-10T10:00:00Z", 60);
        score("wemwbs-total", "2026-07-10T10:00:00+01:00", 50);
        ParametersParameterComponent m = measure(fhir.operation("/Patient/" + patient + "/$recovery-profile?date=2026-08-01"),
                "quality-of-life", "wemwbs-total").orElseThrow();
        // 50 - 60 = -10; |-10| ≥ 9 and higher is better: deteriorated
        assertThat(Double.parseDouble(part(m, "change").getValue().primitiveValue())).isEqualTo(-10.0);
        assertThat(part(m, "reliable-change").getValue().primitiveValue()).isEqualTo("deteriorated");
    }

    @Test
    void aChangeOfExactlyTheThresholdIsReliable() {
        score("swemwbs-metric", "2026-01-10T10:00:00Z", 20.73);
        score("swemwbs-metric", "2026-07-10T10:00:00+01:00", 23.73);
        ParametersParameterComponent m = measure(fhir.operation("/Patient/" + patient + "/$recovery-profile?date=2026-08-01"),
                "quality-of-life", "swemwbs-metric").orElseThrow();
        // 23.73 - 20.73 = 3.00 ≥ 3: improved
        assertThat(Double.parseDouble(part(m, "change").getValue().primitiveValue())).isEqualTo(3.0);
        assertThat(part(m, "reliable-change").getValue().primitiveValue()).isEqualTo("improved");
    }

    @Test
    void theSwemwbsRawSumHasNoThresholdByDefault() {
        score("swemwbs-raw", "2026-01-10T10:00:00Z", 20);
        score("swemwbs-raw", "2026-07-10T10:00:00+01:00", 30);
        ParametersParameterComponent m = measure(fhir.operation("/Patient/" + patient + "/$recovery-profile?date=2026-08-01"),
                "quality-of-life", "swemwbs-raw").orElseThrow();
        assertThat(part(m, "reliable-change").getValue().primitiveValue()).isEqualTo("not-applicable");
        assertThat(m.getPart().stream().map(ParametersParameterComponent::getName)).doesNotContain("reliable-change-threshold");
    }

    @Test
    void scoresAfterTheDateDoNotCountYet() {
        score("wemwbs-total", "2026-01-10T10:00:00Z", 40);
        score("wemwbs-total", "2026-07-10T10:00:00+01:00", 55);
        ParametersParameterComponent m = measure(fhir.operation("/Patient/" + patient + "/$recovery-profile?date=2026-07-09"),
                "quality-of-life", "wemwbs-total").orElseThrow();
        assertThat(part(m, "count").getValue().primitiveValue()).isEqualTo("1");
        assertThat(part(m, "reliable-change").getValue().primitiveValue()).isEqualTo("not-applicable");
    }

    @Test
    void employmentAndAccommodationStatusComeFromTheSocialInclusionAnswers() throws IOException {
        String baseline = post(response("social-inclusion-unemployed-not-settled.json", "2026-01-15T10:00:00Z",
                QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED));
        String latest = post(response("social-inclusion-employed-settled.json", "2026-07-15T10:00:00+01:00",
                QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED));
        // a response still being filled in does not count
        post(response("social-inclusion-unemployed-not-settled.json", "2026-08-01T10:00:00+01:00",
                QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS));

        ParametersParameterComponent d = domain(fhir.operation("/Patient/" + patient + "/$recovery-profile?date=2026-09-30"),
                "socially-valued-goals");
        List<ParametersParameterComponent> statuses = d.getPart().stream().filter(p -> p.getName().equals("status")).toList();
        assertThat(statuses).extracting(s -> part(s, "item").getValue().primitiveValue())
                .containsExactly("employment-status", "accommodation-status", "settled-accommodation");
        assertThat(statuses).extracting(s -> answer(s, "baseline") + " → " + answer(s, "latest") + " changed "
                + ((BooleanType) part(s, "changed").getValue()).booleanValue())
                .containsExactly("02 → 01 changed true", "HM04 → MA06 changed true", "no → yes changed true");
        ParametersParameterComponent employment = statuses.get(0);
        assertThat(((Reference) part(part(employment, "baseline"), "response").getValue()).getReference())
                .isEqualTo("QuestionnaireResponse/" + baseline);
        assertThat(((Reference) part(part(employment, "latest"), "response").getValue()).getReference())
                .isEqualTo("QuestionnaireResponse/" + latest);
        assertThat(part(part(employment, "latest"), "date").getValue().primitiveValue()).isEqualTo("2026-07-15T10:00:00+01:00");
        assertThat(part(employment, "count").getValue().primitiveValue()).isEqualTo("2");
    }

    @Test
    void bothOperationsAreInstalledAndLinkedFromTheCapabilityStatement() {
        for (String id : List.of("goal-attainment", "recovery-profile")) {
            OperationDefinition od = fhir.read(OperationDefinition.class, "/OperationDefinition/" + id);
            assertThat(od.getUrl()).isEqualTo(C + "/OperationDefinition/" + id);
            assertThat(fhir.search(OperationDefinition.class, "url=" + C + "/OperationDefinition/" + id)).hasSize(1);
        }
        CapabilityStatement cs = fhir.read(CapabilityStatement.class, "/metadata");
        List<String> patientOperations = cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Patient"))
                .flatMap(r -> r.getOperation().stream()).map(o -> o.getName() + " " + o.getDefinition()).toList();
        assertThat(patientOperations).contains("goal-attainment " + C + "/OperationDefinition/goal-attainment",
                "recovery-profile " + C + "/OperationDefinition/recovery-profile");
    }

    private void score(String code, String when, double value) {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "survey", null)));
        o.addCategory(new CodeableConcept(new Coding(C + "/CodeSystem/recovery-outcome-domain", "quality-of-life", null)));
        o.setCode(new CodeableConcept(new Coding(C + "/CodeSystem/recovery-score", code, null)));
        o.setSubject(new Reference("Patient/" + patient));
        o.setEffective(new DateTimeType(when));
        o.setValue(new Quantity().setValue(java.math.BigDecimal.valueOf(value)).setUnit("{score}").setSystem("http://unitsofmeasure.org")
                .setCode("{score}"));
        o.addDerivedFrom(new Reference("QuestionnaireResponse/scored-elsewhere"));
        fhir.create(o);
    }

    private QuestionnaireResponse response(String file, String authored, QuestionnaireResponse.QuestionnaireResponseStatus status)
            throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/profile/" + file)) {
            QuestionnaireResponse r = RestFhir.FHIR.newJsonParser().parseResource(QuestionnaireResponse.class,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            r.setSubject(new Reference("Patient/" + patient));
            r.setAuthoredElement(new DateTimeType(authored));
            r.setStatus(status);
            return r;
        }
    }

    private String post(QuestionnaireResponse r) {
        return fhir.create(r).getIdPart();
    }

    private static String answer(ParametersParameterComponent status, String which) {
        return ((Coding) part(part(status, which), "value").getValue()).getCode();
    }

    private static ParametersParameterComponent domain(Parameters out, String code) {
        return out.getParameters("domain").stream().filter(d -> ((Coding) part(d, "code").getValue()).getCode().equals(code))
                .findFirst().orElseThrow();
    }

    private static Optional<ParametersParameterComponent> measure(Parameters out, String domain, String code) {
        return domain(out, domain).getPart().stream().filter(p -> p.getName().equals("measure"))
                .filter(m -> ((Coding) part(m, "code").getValue()).getCode().equals(code)).findFirst();
    }

    static ParametersParameterComponent part(ParametersParameterComponent p, String name) {
        return p.getPart().stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name + " in " + p.getName()));
    }
}
