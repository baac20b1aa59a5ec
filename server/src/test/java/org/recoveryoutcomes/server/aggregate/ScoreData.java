package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Test data: score Observations shaped as contract §3 says, written through the FHIR API. */
final class ScoreData {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String SCORE_SYSTEM = "https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score";

    /** One score: a Patient id, an Organization id ('' for none), a code, a date and a value. */
    record Score(String patient, String organization, String code, Instant when, double value) {
    }

    private ScoreData() {
    }

    static Observation observation(Score s) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")));
        o.setCode(new CodeableConcept(new Coding(SCORE_SYSTEM, s.code(), null)));
        o.setSubject(new Reference("Patient/" + s.patient()));
        o.setEffective(new DateTimeType(java.util.Date.from(s.when()), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
                java.util.TimeZone.getTimeZone("UTC")));
        if (!s.organization().isEmpty()) {
            o.addPerformer(new Reference("Organization/" + s.organization()));
        }
        if (s.code().equals("employment-paid") || s.code().equals("accommodation-settled")) {
            o.setValue(new org.hl7.fhir.r4.model.BooleanType(s.value() != 0));
        } else if (s.code().startsWith("inclusion-")) {
            o.setValue(new org.hl7.fhir.r4.model.IntegerType((int) s.value()));
        } else {
            o.setValue(new Quantity().setValue(BigDecimal.valueOf(s.value())).setUnit("{score}")
                    .setSystem("http://unitsofmeasure.org").setCode("{score}"));
        }
        return o;
    }

    static Bundle transaction(List<? extends Resource> resources) {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource r : resources) {
            Bundle.BundleEntryComponent e = b.addEntry().setResource(r);
            if (r.hasId()) {
                e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart());
            } else {
                e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType());
            }
        }
        return b;
    }

    /** Writes the scores as Observations, in transaction Bundles of 250. */
    static void post(List<Score> scores) {
        for (int i = 0; i < scores.size(); i += 250) {
            List<Observation> chunk = new ArrayList<>();
            scores.subList(i, Math.min(scores.size(), i + 250)).forEach(s -> chunk.add(observation(s)));
            Response r = postBundle(transaction(chunk));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        }
    }

    static Response postBundle(Bundle b) {
        return RestAssured.given().contentType("application/fhir+json")
                .body(FHIR.newJsonParser().encodeResourceToString(b)).post("/fhir");
    }

    static MeasureReport aggregate(Consumer<io.restassured.specification.RequestSpecification> params) {
        var spec = RestAssured.given().accept("application/fhir+json");
        params.accept(spec);
        Response r = spec.get("/fhir/Observation/$aggregate");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(MeasureReport.class, r.asString());
    }
}
