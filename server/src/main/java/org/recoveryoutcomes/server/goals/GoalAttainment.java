package org.recoveryoutcomes.server.goals;

import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's Goal Attainment Scaling as of a day: the T-score and the goals it is computed from. Used by
 * {@code Patient/$goal-attainment} and, for Box 3 domain 2, by the recovery profile.
 */
@Component
public class GoalAttainment {

    private final GasRecords records;
    private final GoalSettings settings;

    GoalAttainment(GasRecords records, GoalSettings settings) {
        this.records = records;
        this.settings = settings;
    }

    GasCalculation.Outcome evaluate(String patientId, LocalDate asOf) {
        return GasCalculation.asOf(records.goals(patientId), records.ratings(patientId), asOf, settings.timeZone(), settings.rho());
    }

    /** The zone in which this feature reads ratings' dates. */
    public ZoneId timeZone() {
        return settings.timeZone();
    }

    /** One {@code goal} part per goal scored and one {@code unrated-goal} part per active GAS goal not yet rated. */
    public List<ParametersParameterComponent> goalParts(String patientId, LocalDate asOf) {
        return goalParts(evaluate(patientId, asOf));
    }

    static List<ParametersParameterComponent> goalParts(GasCalculation.Outcome outcome) {
        List<ParametersParameterComponent> parts = new ArrayList<>();
        for (GasCalculation.ScoredGoal g : outcome.scored()) {
            ParametersParameterComponent p = new ParametersParameterComponent().setName("goal");
            p.addPart().setName("goal").setValue(goalReference(g.goal()));
            p.addPart().setName("weight").setValue(new DecimalType(g.weight()));
            p.addPart().setName("level").setValue(new IntegerType(g.level()));
            addBaseline(p, g.goal());
            p.addPart().setName("rating").setValue(new Reference(GasCalculation.ref(g.rating().getIdElement())));
            p.addPart().setName("date").setValue(g.rating().getEffectiveDateTimeType().copy());
            parts.add(p);
        }
        for (Goal goal : outcome.unrated()) {
            ParametersParameterComponent p = new ParametersParameterComponent().setName("unrated-goal");
            p.addPart().setName("goal").setValue(goalReference(goal));
            p.addPart().setName("weight").setValue(new DecimalType(Gas.weight(goal)));
            addBaseline(p, goal);
            parts.add(p);
        }
        return parts;
    }

    static OperationOutcome nothingToScore(GasCalculation.Outcome outcome, LocalDate asOf) {
        String why = outcome.unrated().isEmpty()
                ? "The person has no active goal with a Goal Attainment Scaling rating on or before " + asOf + ", so there is no T-score."
                : "None of the person's " + outcome.unrated().size() + " active GAS goal(s) has a rating on or before " + asOf
                        + ", so there is no T-score; the goals are listed as unrated-goal.";
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.NOTFOUND)
                .setDiagnostics(why);
        return oo;
    }

    private static void addBaseline(ParametersParameterComponent p, Goal goal) {
        Integer baseline = Gas.baseline(goal);
        if (baseline != null) {
            p.addPart().setName("baseline-level").setValue(new IntegerType(baseline));
        }
    }

    private static Reference goalReference(Goal goal) {
        Reference r = new Reference(GasCalculation.ref(goal.getIdElement()));
        if (goal.getDescription().hasText()) {
            r.setDisplay(goal.getDescription().getText());
        }
        return r;
    }
}
