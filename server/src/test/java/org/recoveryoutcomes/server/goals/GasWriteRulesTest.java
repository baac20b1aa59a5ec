package org.recoveryoutcomes.server.goals;

import io.restassured.response.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The GAS Goal and rating profiles are enforced on write (contract §5); ratings keep the gas-t-score up to date. */
@ServerTest
class GasWriteRulesTest {

    private static final String SD = GasFixtures.CANON + "/StructureDefinition/";

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
    void aCompleteGasGoalIsStored() {
        assertThat(fhir.post(GasFixtures.goal(patient, new BigDecimal("2.5"), -2, "Cook a meal for friends")).statusCode()).isEqualTo(201);
    }

    @Test
    void theProjectsValidGoalExampleIsStoredAndItsInvalidExamplesAreRejected() throws IOException {
        Goal valid = example("Goal-valid-gas.json", Goal.class);
        valid.setId((String) null);
        valid.setSubject(new Reference("Patient/" + patient));
        assertThat(fhir.post(valid).statusCode()).isEqualTo(201);
        for (String invalid : List.of("Goal-invalid-gas-baseline-zero.json", "Goal-invalid-gas-four-levels.json",
                "Goal-invalid-gas-weight-zero.json")) {
            Goal g = example(invalid, Goal.class);
            g.setId((String) null);
            g.setSubject(new Reference("Patient/" + patient));
            assertThat(fhir.post(g).statusCode()).as(invalid).isEqualTo(422);
        }
    }

    @Test
    void aGasGoalWithSeveralProblemsGetsOneIssuePerProblemWithItsPath() {
        Goal g = GasFixtures.goal(patient, BigDecimal.ZERO, 0, "Go back to college");
        // extensions: [0] weight 0, [1] baseline 0, [2..6] levels -2..+2; make level +2 (index 6) a second -1
        Extension plusTwo = g.getExtension().get(6);
        plusTwo.getExtensionByUrl("level").setValue(new IntegerType(-1));
        Response r = fhir.post(g);

        assertThat(r.statusCode()).isEqualTo(422);
        OperationOutcome oo = RestFhir.outcome(r);
        assertThat(oo.getIssue()).allMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
        assertThat(RestFhir.expressions(oo)).containsExactly(
                "Goal.extension[0].value.ofType(decimal)",
                "Goal.extension[1].value.ofType(integer)",
                "Goal.extension[6].extension[0].value.ofType(integer)");
        assertThat(fhir.search(Goal.class, "subject=Patient/" + patient)).as("nothing stored").isEmpty();
    }

    @Test
    void aGoalWithOnlyAGasExtensionIsCheckedAsAGasGoal() {
        Goal g = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE).setSubject(new Reference("Patient/" + patient));
        g.getDescription().setText("Weighted but not scaled");
        g.addExtension(SD + "gas-weight", new DecimalType(2));
        Response r = fhir.post(g);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.outcome(r).getIssue()).extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .anyMatch(d -> d.contains("baseline level")).anyMatch(d -> d.contains("five gas-level-description"));
    }

    @Test
    void aGoalWithoutGasIsNotChecked() {
        Goal g = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.PROPOSED).setSubject(new Reference("Patient/" + patient));
        g.getDescription().setText("Stop smoking");
        assertThat(fhir.post(g).statusCode()).isEqualTo(201);
    }

    @Test
    void aGasGoalCannotBeUpdatedIntoAnInvalidOne() {
        Goal g = GasFixtures.goal(patient, null, -1, "Join a choir");
        String id = fhir.create(g).getIdPart();
        g.setId(id);
        g.getExtension().removeIf(e -> e.getUrl().equals(SD + "gas-baseline-level"));
        Response r = fhir.put(g);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Goal.extension");
    }

    @Test
    void aLevelDescriptionWithoutTextIsRejected() {
        Goal g = GasFixtures.goal(patient, null, -1, "Walk the dog");
        g.getExtension().get(3).getExtensionByUrl("description").setValue(new StringType(" "));
        Response r = fhir.post(g);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Goal.extension[3].extension[1].value");
    }

    @Test
    void ratingsAreStoredInEitherValueForm() {
        String goal = fhir.create(GasFixtures.goal(patient, null, -1, "Swim")).getValue();
        assertThat(fhir.post(GasFixtures.rating(patient, goal, "2026-05-01", -2)).statusCode()).isEqualTo(201);
        assertThat(fhir.post(GasFixtures.ratingAnswer(patient, goal, "2026-05-02", "LA34479-8")).statusCode()).isEqualTo(201);
    }

    @Test
    void theProjectsRatingExamplesAreStoredOrRejectedAsTheyShouldBe() throws IOException {
        String goal = fhir.create(GasFixtures.goal(patient, null, -1, "Swim")).getValue();
        for (String name : List.of("Observation-valid-gas-rating-integer.json", "Observation-valid-gas-rating-loinc-answer.json",
                "Observation-invalid-gas-rating-out-of-range.json")) {
            Observation o = example(name, Observation.class);
            o.setId((String) null);
            o.setSubject(new Reference("Patient/" + patient));
            o.getFocusFirstRep().setReference(goal);
            assertThat(fhir.post(o).statusCode()).as(name).isEqualTo(name.contains("invalid") ? 422 : 201);
        }
    }

    @Test
    void aRatingOutOfRangeIsRejected() {
        String goal = fhir.create(GasFixtures.goal(patient, null, -1, "Swim")).getValue();
        Response r = fhir.post(GasFixtures.rating(patient, goal, "2026-05-01", 3));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Observation.value.ofType(integer)");
    }

    @Test
    void aRatingWithAnUnknownAnswerIsRejected() {
        String goal = fhir.create(GasFixtures.goal(patient, null, -1, "Swim")).getValue();
        Response r = fhir.post(GasFixtures.ratingAnswer(patient, goal, "2026-05-01", "LA6576-8"));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Observation.value.ofType(CodeableConcept).coding[0]");
    }

    @Test
    void aRatingWithAnAnswerFromAnotherSystemIsRejected() {
        String goal = fhir.create(GasFixtures.goal(patient, null, -1, "Swim")).getValue();
        Observation o = GasFixtures.ratingWithoutValue(patient, goal, "2026-05-01");
        o.setValue(new CodeableConcept(new Coding("http://snomed.info/sct", "385669000", "Successful")));
        Response r = fhir.post(o);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Observation.value.ofType(CodeableConcept)");
    }

    @Test
    void aRatingWithoutFocusValueOrDateGetsOneIssueEach() {
        Observation o = GasFixtures.ratingWithoutValue(patient, null, "2026-05-01");
        o.setEffective(null);
        Response r = fhir.post(o);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r)))
                .containsExactly("Observation.focus", "Observation.effective", "Observation.value");
    }

    @Test
    void aRatingWithAQuantityValueOrAWrongLoincCodeIsRejected() {
        String goal = fhir.create(GasFixtures.goal(patient, null, -1, "Swim")).getValue();
        Observation o = GasFixtures.ratingWithoutValue(patient, goal, "2026-05-01");
        o.getCode().addCoding(new Coding("http://loinc.org", "107332-9", "Goal attainment scale"));
        o.setValue(new Quantity(1));
        Response r = fhir.post(o);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Observation.code.coding[1]", "Observation.value");
    }

    @Test
    void aRatingOfAGoalThatDoesNotExistIsRejected() {
        Response r = fhir.post(GasFixtures.rating(patient, "Goal/no-such-goal", "2026-05-01", 0));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Observation.focus[0]");
        assertThat(fhir.search(Observation.class, "subject=Patient/" + patient)).as("nothing stored").isEmpty();
    }

    @Test
    void aRatingOfSomeoneElsesGoalIsRejected() {
        String other = fhir.newPatient();
        String goal = fhir.create(GasFixtures.goal(other, null, -1, "Swim")).getValue();
        Response r = fhir.post(GasFixtures.rating(patient, goal, "2026-05-01", 0));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(RestFhir.expressions(RestFhir.outcome(r))).containsExactly("Observation.subject");
    }

    @Test
    void aTransactionWithAGoalAndItsRatingsStoresThemAndTheTScore() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Goal g1 = GasFixtures.goal(patient, new BigDecimal(2), -1, "Find paid work");
        Goal g2 = GasFixtures.goal(patient, null, -2, "Sleep through the night");
        b.addEntry().setFullUrl("urn:uuid:7d3c1a2e-0000-4000-8000-000000000001").setResource(g1).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        b.addEntry().setFullUrl("urn:uuid:7d3c1a2e-0000-4000-8000-000000000002").setResource(g2).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        b.addEntry().setResource(GasFixtures.rating(patient, "urn:uuid:7d3c1a2e-0000-4000-8000-000000000001",
                "2026-06-01T10:00:00+01:00", 1)).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        b.addEntry().setResource(GasFixtures.ratingAnswer(patient, "urn:uuid:7d3c1a2e-0000-4000-8000-000000000002",
                "2026-06-01T10:30:00+01:00", "LA34483-0")).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Response r = fhir.transaction(b);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);

        List<Observation> t = fhir.search(Observation.class, "subject=Patient/" + patient + "&code=" + GasFixtures.SCORE + "|gas-t-score");
        // w 2 at +1, w 1 at -1: Σwx = 2 - 1 = 1; Σw² = 4 + 1 = 5; (Σw)² = 9; √(3.5 + 2.7) = √6.2 = 2.48997992
        // T = 50 + 10/2.48997992 = 50 + 4.01609664 = 54.01609664 → 54.016097
        assertThat(t).hasSize(1);
        assertThat(t.get(0).getValueQuantity().getValue()).isCloseTo(new BigDecimal("54.016097"), within(new BigDecimal("0.0000005")));
        assertThat(t.get(0).getDerivedFrom()).hasSize(2);
        assertThat(t.get(0).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-06-01T10:30:00+01:00");
    }

    @Test
    void aTransactionWithAnInvalidRatingStoresNothing() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        b.addEntry().setFullUrl("urn:uuid:7d3c1a2e-0000-4000-8000-000000000003")
                .setResource(GasFixtures.goal(patient, null, -1, "Visit my sister")).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        b.addEntry().setResource(GasFixtures.rating(patient, "urn:uuid:7d3c1a2e-0000-4000-8000-000000000003", "2026-06-01", -3))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Response r = fhir.transaction(b);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(fhir.search(Goal.class, "subject=Patient/" + patient)).isEmpty();
        assertThat(fhir.search(Observation.class, "subject=Patient/" + patient)).isEmpty();
    }

    @Test
    void aTransactionRatingAGoalOfAnotherPersonStoresNothing() {
        String other = fhir.newPatient();
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        b.addEntry().setFullUrl("urn:uuid:7d3c1a2e-0000-4000-8000-000000000004")
                .setResource(GasFixtures.goal(other, null, -1, "Visit my sister")).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Goal");
        b.addEntry().setResource(GasFixtures.rating(patient, "urn:uuid:7d3c1a2e-0000-4000-8000-000000000004", "2026-06-01", 1))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        Response r = fhir.transaction(b);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(fhir.search(Goal.class, "subject=Patient/" + other)).isEmpty();
    }

    @Test
    void correctingARatingRecomputesItsDayAndLaterDays() {
        String a = fhir.create(GasFixtures.goal(patient, null, -1, "Read a book a month")).getValue();
        String b = fhir.create(GasFixtures.goal(patient, null, -1, "Cycle to the shops")).getValue();
        Observation first = GasFixtures.rating(patient, a, "2026-03-01", 0);
        first.setId(fhir.create(first).getIdPart());
        fhir.create(GasFixtures.rating(patient, b, "2026-04-01", 0));
        // as first written: 1 Mar a 0 → T 50.0; 1 Apr a 0, b 0 → T 50.0
        first.setValue(new IntegerType(2));
        assertThat(fhir.put(first).statusCode()).isEqualTo(200);

        List<Observation> t = fhir.search(Observation.class, "subject=Patient/" + patient + "&code=" + GasFixtures.SCORE
                + "|gas-t-score&_sort=date");
        // 1 Mar: a +2 alone: Σwx = 2, Σw² = 1, (Σw)² = 1, √1 = 1, T = 50 + 20 = 70.0
        // 1 Apr: a +2, b 0: Σwx = 2, Σw² = 2, (Σw)² = 4, √(1.4 + 1.2) = √2.6 = 1.61245155, T = 50 + 20/1.61245155 = 62.403473
        assertThat(t).extracting(o -> o.getValueQuantity().getValue().doubleValue())
                .containsExactly(70.0, 62.403473);
    }

    @Test
    void deletingTheOnlyRatingOfADayRemovesThatDaysTScore() {
        String a = fhir.create(GasFixtures.goal(patient, null, -1, "Read a book a month")).getValue();
        fhir.create(GasFixtures.rating(patient, a, "2026-03-01", 1));
        String second = fhir.create(GasFixtures.rating(patient, a, "2026-04-01", 2)).getIdPart();
        assertThat(fhir.request().delete("/Observation/" + second).statusCode()).isEqualTo(200);

        List<Observation> t = fhir.search(Observation.class, "subject=Patient/" + patient + "&code=" + GasFixtures.SCORE + "|gas-t-score");
        // left: 1 Mar, a +1 alone: T = 50 + 10·1/1 = 60.0
        assertThat(t).extracting(o -> o.getIdentifierFirstRep().getValue()).containsExactly(patient + "/2026-03-01");
        assertThat(t.get(0).getValueQuantity().getValue().doubleValue()).isEqualTo(60.0);
    }

    @Test
    void anUnknownPatientGets404() {
        Response r = fhir.get("/Patient/no-such-person/$goal-attainment");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(RestFhir.parse(r)).isInstanceOf(OperationOutcome.class);
    }

    @Test
    void aPartialDateGets400() {
        Response r = fhir.get("/Patient/" + patient + "/$goal-attainment?date=2026-05");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(RestFhir.parse(r)).isInstanceOf(OperationOutcome.class);
    }

    @Test
    void aPersonWithoutGoalsHasNoTScoreAndIsToldWhy() {
        Parameters out = fhir.operation("/Patient/" + patient + "/$goal-attainment?date=2026-05-01");

        assertThat(out.getParameter("t-score")).isNull();
        assertThat(out.getParameters("goal")).isEmpty();
        OperationOutcome why = (OperationOutcome) out.getParameter("issue").getResource();
        assertThat(why.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.INFORMATION);
        assertThat(why.getIssueFirstRep().getDiagnostics()).contains("no active goal");
    }

    @Test
    void withoutADateTheResultIsAsOfToday() {
        String a = fhir.create(GasFixtures.goal(patient, null, -1, "Cook")).getValue();
        fhir.create(GasFixtures.rating(patient, a, java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).minusDays(1).toString(), 1));
        Parameters out = fhir.operation("/Patient/" + patient + "/$goal-attainment");
        // a +1 alone: T = 50 + 10·1/1 = 60.0
        assertThat(out.getParameter("date").getValue().primitiveValue())
                .isEqualTo(java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString());
        assertThat(((DecimalType) out.getParameter("t-score").getValue()).getValue()).isEqualByComparingTo("60.0");
    }

    private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T example(String name, Class<T> type) throws IOException {
        try (InputStream in = GasWriteRulesTest.class.getResourceAsStream("/test-data/examples/" + name)) {
            return RestFhir.FHIR.newJsonParser().parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
