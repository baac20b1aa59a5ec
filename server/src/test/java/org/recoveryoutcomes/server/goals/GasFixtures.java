package org.recoveryoutcomes.server.goals;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.math.BigDecimal;

/** GAS Goals and ratings as a client writes them (contract §5). */
public final class GasFixtures {

    public static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    public static final String SCORE = CANON + "/CodeSystem/recovery-score";

    private GasFixtures() {
    }

    /** A complete GAS goal: weight (null = no gas-weight extension), baseline, five level descriptions. */
    public static Goal goal(String patientId, BigDecimal weight, int baseline, String description) {
        Goal g = new Goal();
        g.getMeta().addProfile(CANON + "/StructureDefinition/gas-goal");
        if (weight != null) {
            g.addExtension(CANON + "/StructureDefinition/gas-weight", new DecimalType(weight));
        }
        g.addExtension(CANON + "/StructureDefinition/gas-baseline-level", new IntegerType(baseline));
        String[] words = {"Much less than expected", "Less than expected", "Expected outcome", "Better than expected",
                "Much better than expected"};
        for (int level = -2; level <= 2; level++) {
            Extension d = g.addExtension().setUrl(CANON + "/StructureDefinition/gas-level-description");
            d.addExtension("level", new IntegerType(level));
            d.addExtension("description", new StringType(words[level + 2] + ": " + description));
        }
        g.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
        g.getDescription().setText(description);
        g.setSubject(new Reference("Patient/" + patientId));
        return g;
    }

    public static Goal goal(String patientId, BigDecimal weight, int baseline, String description, String startDate) {
        Goal g = goal(patientId, weight, baseline, description);
        g.setStart(new DateType(startDate));
        return g;
    }

    /** A rating as valueInteger. */
    public static Observation rating(String patientId, String goalRef, String effective, int level) {
        Observation o = ratingWithoutValue(patientId, goalRef, effective);
        o.setValue(new IntegerType(level));
        return o;
    }

    /** A rating as the LOINC answer, rated by a practitioner (LOINC 107333-7). */
    public static Observation ratingAnswer(String patientId, String goalRef, String effective, String loincAnswer) {
        Observation o = ratingWithoutValue(patientId, goalRef, effective);
        o.getCode().addCoding(new Coding("http://loinc.org", "107333-7", "Practitioner follow-up goal attainment scaling score"));
        o.setValue(new CodeableConcept(new Coding("http://loinc.org", loincAnswer, null)));
        return o;
    }

    public static Observation ratingWithoutValue(String patientId, String goalRef, String effective) {
        Observation o = new Observation();
        o.getMeta().addProfile(CANON + "/StructureDefinition/gas-rating-observation");
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept(new Coding(SCORE, "gas-attainment", null)));
        o.setSubject(new Reference("Patient/" + patientId));
        if (goalRef != null) {
            o.addFocus(new Reference(goalRef));
        }
        o.setEffective(new DateTimeType(effective));
        return o;
    }
}
