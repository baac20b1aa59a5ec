package org.recoveryoutcomes.server.aggregate;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Observation/$aggregate on the embedded H2 database; the shared scenarios plus input handling and content. */
@ServerTest
class AggregateOperationTest extends AggregateScenarios {

    @Test
    void bad_requests_get_an_operation_outcome_and_400() {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("", "code is required");
        bad.put("code=no-such-score", "not a code of");
        bad.put("code=http://loinc.org|12345-6", "only scores of");
        bad.put("code=wemwbs-total&date=ge1995-01-15", "first day of a month");
        bad.put("code=wemwbs-total&date=le1995-01-15", "last day of a month");
        bad.put("code=wemwbs-total&date=1995-01-01", "needs a year or a month");
        bad.put("code=wemwbs-total&date=ne1995", "not supported");
        bad.put("code=wemwbs-total&date=ge1995-13", "no valid month");
        bad.put("code=wemwbs-total&date=yesterday", "is not a date");
        bad.put("code=wemwbs-total&date=ge1996&date=lt1995", "the period is empty");
        bad.put("code=wemwbs-total&group-by=week", "group-by");
        bad.put("code=wemwbs-total&organization=Patient/1", "not a reference to an Organization");
        bad.put("code=wemwbs-total&subject=Patient/1", "Unknown parameter 'subject'");
        bad.forEach((query, message) -> {
            Response r = RestAssured.given().accept("application/fhir+json").urlEncodingEnabled(false)
                    .get("/fhir/Observation/$aggregate" + (query.isEmpty() ? "" : "?" + query.replace("|", "%7C")));
            assertThat(r.statusCode()).as(query + ": " + r.asString()).isEqualTo(400);
            OperationOutcome oo = ScoreData.FHIR.newJsonParser().parseResource(OperationOutcome.class, r.asString());
            assertThat(oo.getIssueFirstRep().getDiagnostics()).as(query).contains(message);
        });
    }

    @Test
    void several_codes_give_one_group_each_and_dates_of_every_form_are_whole_months() {
        MeasureReport mr = ScoreData.aggregate(s -> s.queryParam("code", WEMWBS + "," + ScoreData.SCORE_SYSTEM + "|" + PLACES)
                .queryParam("organization", data.a()).queryParam("date", "gt1994-12-31", "le1996").queryParam("group-by", "year"));
        assertThat(mr.getGroup()).extracting(g -> g.getCode().getCodingFirstRep().getCode()).containsExactly(WEMWBS, PLACES);
        assertThat(mr.getPeriod().getStartElement().getValueAsString()).isEqualTo("1995-01-01");
        assertThat(mr.getPeriod().getEndElement().getValueAsString()).isEqualTo("1996-12-31");
        assertThat(ReportFigures.of(mr, WEMWBS, List.of("year")))
                .isEqualTo(ExpectedFigures.of(data.scores(), WEMWBS, 1995 * 12, 1997 * 12, java.util.Set.of(data.a()), List.of("year"), 9.0));
        MeasureReport month = ScoreData.aggregate(s -> s.queryParam("code", WEMWBS).queryParam("organization", data.a())
                .queryParam("date", "1995-06"));
        assertThat(month.getPeriod().getStartElement().getValueAsString()).isEqualTo("1995-06-01");
        assertThat(month.getPeriod().getEndElement().getValueAsString()).isEqualTo("1995-06-30");
    }

    /**
     * Validated with the R4 definitions and the project's content, without the Measure: the HL7 validator's
     * Measure-aware rules (MeasureValidator) want every report to carry exactly the Measure's stratifiers, whereas
     * $aggregate stratifies by what each request asks for; HAPI's $validate therefore reports those rules as errors.
     */
    @Test
    void the_report_is_valid_fhir_r4_with_the_project_extension() {
        MeasureReport mr = ScoreData.aggregate(s -> s.queryParam("code", WEMWBS + "," + PLACES)
                .queryParam("organization", data.a(), data.c()).queryParam("group-by", "organization", "quarter"));
        var ctx = ScoreData.FHIR;
        var ours = new org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport(ctx);
        org.recoveryoutcomes.server.content.FhirPackages.load(ctx, "classpath*:fhir-packages/*.tgz").stream()
                .map(org.recoveryoutcomes.server.content.FhirPackages.PackagedResource::resource)
                .filter(r -> !(r instanceof org.hl7.fhir.r4.model.Measure)).forEach(ours::addResource);
        var chain = new org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain(
                new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(ctx), ours,
                new org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport(ctx),
                new org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport(ctx),
                new org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService(ctx));
        var result = ctx.newValidator()
                .registerValidatorModule(new org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator(chain))
                .validateWithResult(mr);
        assertThat(result.getMessages()).filteredOn(m -> m.getSeverity().ordinal() >= ca.uhn.fhir.validation.ResultSeverityEnum.ERROR.ordinal())
                .extracting(m -> m.getLocationString() + ": " + m.getMessage()).isEmpty();
    }

    @Test
    void the_operation_definitions_the_measure_and_the_extension_are_installed_and_linked() {
        // by url: GET OperationDefinition/{id} is answered by HAPI's capability statement provider, not the database
        for (String path : List.of("OperationDefinition/aggregate", "OperationDefinition/rebuild-score-facts",
                "Measure/recovery-outcomes", "StructureDefinition/aggregate-statistic", "CodeSystem/aggregate", "ValueSet/aggregate")) {
            String type = path.substring(0, path.indexOf('/'));
            Response r = RestAssured.given().accept("application/fhir+json").queryParam("url", "https://w3id.org/recovery-outcomes/fhir/" + path)
                    .get("/fhir/" + type);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.jsonPath().getInt("total")).as(path).isEqualTo(1);
        }
        CapabilityStatement cs = ScoreData.FHIR.newJsonParser().parseResource(CapabilityStatement.class,
                RestAssured.given().accept("application/fhir+json").get("/fhir/metadata").asString());
        var observation = cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Observation")).findFirst().orElseThrow();
        assertThat(observation.getOperation()).anySatisfy(op -> {
            assertThat(op.getName()).isEqualTo("aggregate");
            assertThat(op.getDefinition()).isEqualTo("https://w3id.org/recovery-outcomes/fhir/OperationDefinition/aggregate");
        });
        assertThat(cs.getRestFirstRep().getOperation()).anySatisfy(op ->
                assertThat(op.getDefinition()).isEqualTo("https://w3id.org/recovery-outcomes/fhir/OperationDefinition/rebuild-score-facts"));
    }
}
