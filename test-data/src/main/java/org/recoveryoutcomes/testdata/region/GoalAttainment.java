package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Goal Attainment Scaling (contract §5): one to three gas-goal Goals set at the first review, each with a weight, a
 * baseline level of −1 or −2 and five generic level descriptions, and a gas-rating-observation per goal at every
 * later review. A rating moves from the baseline with the person's latent change, plus noise.
 */
final class GoalAttainment {

    private static final String EXTENSION = Instruments.CANON + "/StructureDefinition/";
    private static final String LOINC = "http://loinc.org";
    private static final String RATED_BY_PRACTITIONER = "107333-7";
    private static final String RATED_BY_PATIENT = "107334-5";

    private record SetGoal(Goal goal, int baseline) {
    }

    private final Person person;
    private final Instruments instruments;
    private final Dice dice;
    private final List<SetGoal> goals = new ArrayList<>();

    GoalAttainment(Person person, Instruments instruments, Dice dice, LocalDate setOn) {
        this.person = person;
        this.instruments = instruments;
        this.dice = dice;
        int count = dice.between(1, 3);
        for (int n = 1; n <= count; n++) {
            int baseline = dice.chance(0.7) ? -1 : -2;
            goals.add(new SetGoal(goal(n, baseline, dice.between(1, 3), setOn), baseline));
        }
    }

    List<Goal> goals() {
        return goals.stream().map(SetGoal::goal).toList();
    }

    /** The goals' descriptions, as the person would write them in the narrative. */
    List<String> descriptions() {
        return goals.stream().map(g -> g.goal().getDescription().getText()).toList();
    }

    /** Rates every goal at review number {@code review}; {@code change} is the latent level now minus at goal setting. */
    List<Observation> rate(int review, LocalDate day, int minute, double change, Organisations.Practitioner practitioner) {
        List<Observation> out = new ArrayList<>();
        boolean byPatient = dice.chance(0.2);
        for (SetGoal g : goals) {
            int level = (int) Math.max(-2, Math.min(2, Math.round(g.baseline() + 1.6 * change + 0.5 * dice.normal())));
            out.add(rating(g.goal(), review, level, day, minute, byPatient, practitioner));
        }
        return out;
    }

    private Goal goal(int n, int baseline, int weight, LocalDate setOn) {
        Goal goal = Synthetic.mark(new Goal(), person.id() + "-g" + n, "gas-goal");
        goal.addExtension(EXTENSION + "gas-weight", new DecimalType(weight));
        goal.addExtension(EXTENSION + "gas-baseline-level", new IntegerType(baseline));
        for (int level = -2; level <= 2; level++) {
            Extension description = new Extension(EXTENSION + "gas-level-description");
            description.addExtension("level", new IntegerType(level));
            description.addExtension("description", new StringType("Goal level " + (level > 0 ? "+" : "") + level + " for goal " + n));
            goal.addExtension(description);
        }
        goal.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
        goal.setDescription(new CodeableConcept().setText("Synthetic personal goal " + n));
        goal.setSubject(new Reference(person.reference()));
        goal.setStart(new DateType(setOn.toString()));
        goal.setExpressedBy(new Reference(person.reference()));
        return goal;
    }

    private Observation rating(Goal goal, int review, int level, LocalDate day, int minute, boolean byPatient,
            Organisations.Practitioner practitioner) {
        Observation o = Synthetic.mark(new Observation(), goal.getIdPart() + "-r" + review, "gas-rating-observation");
        o.setStatus(Observation.ObservationStatus.FINAL);
        Coding gas = instruments.coding("recovery-score", "gas-attainment");
        o.getCode().addCoding(gas).addCoding(new Coding(LOINC, byPatient ? RATED_BY_PATIENT : RATED_BY_PRACTITIONER, null));
        o.setSubject(new Reference(person.reference()));
        o.addFocus(new Reference("Goal/" + goal.getIdPart()));
        o.setEffective(Synthetic.at(day, minute));
        o.addPerformer(new Reference(byPatient ? person.reference() : "Practitioner/" + practitioner.id()));
        // both value forms of contract §5 occur, as they would from different record systems
        if (dice.chance(0.15)) {
            o.setValue(new CodeableConcept(instruments.gasLevel(level)));
        } else {
            o.setValue(new IntegerType(level));
        }
        return o;
    }
}
