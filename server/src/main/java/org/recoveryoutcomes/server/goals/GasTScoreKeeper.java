package org.recoveryoutcomes.server.goals;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.UrlUtil;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Keeps each person's gas-t-score Observations up to date, in the database transaction that stores, changes or
 * deletes a GAS rating (for a batch/transaction Bundle: at its end, once its references are resolved).
 * <p>
 * There is one gas-t-score Observation per person and <em>rating day</em> (a calendar day on which one of the
 * person's goals was rated), identified by {@code {canon}/identifier/gas-t-score|<patient id>/<day>}: the T-score
 * as of that day, {@code effectiveDateTime} = the latest rating used, {@code derivedFrom} = the ratings used. So a
 * person's T-scores form a series that can be aggregated like any other score, with a baseline and later values.
 * A new or changed rating recomputes its day and every later day (a back-dated rating changes later T-scores);
 * a day whose T-score no longer rests on a rating of that day (or has nothing left to score) loses its Observation.
 * Earlier days are left as they were, so changing a goal's status today does not rewrite past T-scores.
 */
@Component
@Interceptor
class GasTScoreKeeper implements FhirInterceptor {

    private final FhirContext fhirContext;
    private final GasRecords records;
    private final GoalSettings settings;

    GasTScoreKeeper(FhirContext fhirContext, GasRecords records, GoalSettings settings) {
        this.fhirContext = fhirContext;
        this.records = records;
        this.settings = settings;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        if (resource instanceof Observation o && Gas.isRating(o)) {
            Goal goal = ratedGoal(o);
            refresh(Gas.patientId(o.getSubject()).orElseThrow(), day(o), o, null, goal);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        boolean wasRating = previous instanceof Observation p && Gas.isRating(p);
        boolean isRating = resource instanceof Observation o && Gas.isRating(o);
        if (!wasRating && !isRating) {
            return;
        }
        Observation now = (Observation) resource;
        Observation before = wasRating ? (Observation) previous : null;
        LocalDate from = isRating ? day(now) : null;
        if (before != null && before.hasEffectiveDateTimeType()) {
            LocalDate d = day(before);
            from = from == null || d.isBefore(from) ? d : from;
        }
        if (isRating) {
            Goal goal = ratedGoal(now);
            refresh(Gas.patientId(now.getSubject()).orElseThrow(), from, now, null, goal);
        }
        if (before != null) {
            // the rating may have moved to another person, or stopped being a rating
            Gas.patientId(before.getSubject()).filter(p -> !isRating || !p.equals(Gas.patientId(now.getSubject()).orElse(null)))
                    .ifPresent(p -> refresh(p, day(before), null, now.getIdElement().getIdPart(), null));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Observation o && Gas.isRating(o) && o.hasEffectiveDateTimeType()) {
            Gas.patientId(o.getSubject()).ifPresent(p -> refresh(p, day(o), null, o.getIdElement().getIdPart(), null));
        }
    }

    /** The rated Goal, once references are resolved: it must exist and be the same person's. */
    private Goal ratedGoal(Observation rating) {
        IdType goalId = Gas.focusGoal(rating).orElseThrow(() -> reject("Observation.focus[0]",
                "The focus of a GAS rating must reference a Goal, not '" + rating.getFocusFirstRep().getReference() + "'"));
        Goal goal;
        try {
            goal = records.readGoal(goalId.getIdPart());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw reject("Observation.focus[0]", "The rated Goal " + GasCalculation.ref(goalId) + " does not exist");
        }
        String ratingPatient = Gas.patientId(rating.getSubject()).orElse(null);
        String goalPatient = Gas.patientId(goal.getSubject()).orElse(null);
        if (!Objects.equals(ratingPatient, goalPatient)) {
            throw reject("Observation.subject", "The GAS rating is about Patient/" + ratingPatient + " but the rated Goal "
                    + GasCalculation.ref(goalId) + " is " + (goalPatient == null ? "not a Patient's goal" : "Patient/" + goalPatient + "'s"));
        }
        return goal;
    }

    /**
     * Recomputes the person's T-score Observations from {@code from} on. {@code current} is the rating being written
     * (it replaces any stored copy), {@code removedId} one being deleted; {@code goal} the rated Goal as read in this
     * transaction.
     */
    private void refresh(String patientId, LocalDate from, Observation current, String removedId, Goal goal) {
        ZoneId zone = settings.timeZone();
        Map<String, Goal> goals = new LinkedHashMap<>();
        Map<String, Goal> knownGoals = goal == null ? Map.of() : Map.of(goal.getIdElement().getIdPart(), goal);
        records.inTransaction(Goal.class, GasRecords.goalsOf(patientId), knownGoals)
                .forEach(g -> goals.put(g.getIdElement().getIdPart(), g));
        if (goal != null) {
            goals.put(goal.getIdElement().getIdPart(), goal);
        }
        Map<String, Observation> knownRatings = new java.util.HashMap<>();
        if (current != null) {
            knownRatings.put(current.getIdElement().getIdPart(), current);
        }
        Map<String, Observation> ratings = new LinkedHashMap<>();
        records.inTransaction(Observation.class, GasRecords.observationsOf(patientId, Gas.ATTAINMENT), withRemoved(knownRatings, removedId))
                .forEach(r -> ratings.put(r.getIdElement().getIdPart(), r));
        if (removedId != null) {
            ratings.remove(removedId);
        }
        if (current != null) {
            ratings.put(current.getIdElement().getIdPart(), current);
        }
        List<Observation> counted = ratings.values().stream()
                .filter(r -> Gas.counts(r) && r.hasEffectiveDateTimeType() && Gas.level(r).isPresent()).toList();

        Map<LocalDate, Observation> kept = new LinkedHashMap<>();
        for (Observation t : records.inTransaction(Observation.class, GasRecords.observationsOf(patientId, Gas.T_SCORE), Map.of())) {
            if (GasRecords.isKeptTScore(t) && t.hasEffectiveDateTimeType()) {
                kept.put(keptDay(t), t);
            }
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        counted.stream().map(this::day).filter(d -> !d.isBefore(from)).forEach(days::add);
        kept.keySet().stream().filter(d -> !d.isBefore(from)).forEach(days::add);

        for (LocalDate day : days) {
            GasCalculation.Outcome outcome = GasCalculation.asOf(new ArrayList<>(goals.values()), counted, day, zone, settings.rho());
            boolean restsOnThisDay = outcome.scored().stream().anyMatch(s -> day(s.rating()).equals(day));
            Observation existing = kept.get(day);
            if (outcome.t().isPresent() && restsOnThisDay) {
                write(patientId, day, outcome, existing);
            } else if (existing != null) {
                records.observationDao().delete(existing.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails());
            }
        }
    }

    /** A deleted rating is not read back (it is gone); a placeholder stands for it and is then dropped. */
    private static Map<String, Observation> withRemoved(Map<String, Observation> known, String removedId) {
        if (removedId == null) {
            return known;
        }
        Map<String, Observation> all = new java.util.HashMap<>(known);
        all.put(removedId, new Observation());
        return all;
    }

    private void write(String patientId, LocalDate day, GasCalculation.Outcome outcome, Observation existing) {
        Observation latest = outcome.latestRating(settings.timeZone()).orElseThrow();
        Observation t = new Observation();
        t.getMeta().addProfile(Gas.SCORE_PROFILE);
        t.addIdentifier().setSystem(Gas.T_SCORE_IDENTIFIER).setValue(patientId + "/" + day);
        t.setStatus(Observation.ObservationStatus.FINAL);
        t.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")));
        t.addCategory(new CodeableConcept(new Coding(Gas.DOMAIN_SYSTEM, "individual-recovery-goals",
                "Achievement of individual recovery goals")));
        t.setCode(new CodeableConcept(Gas.scoreCoding(Gas.T_SCORE, "GAS T-score over a person's goals")).setText("GAS T-score"));
        t.setSubject(new Reference("Patient/" + patientId));
        t.setEffective(latest.getEffectiveDateTimeType().copy());
        t.setValue(new Quantity().setValue(outcome.tScore()).setUnit("{score}").setSystem("http://unitsofmeasure.org").setCode("{score}"));
        List<String> performers = new ArrayList<>();
        for (GasCalculation.ScoredGoal s : outcome.scored()) {
            t.addDerivedFrom(new Reference(GasCalculation.ref(s.rating().getIdElement())));
            s.rating().getPerformer().stream().map(Reference::getReference).filter(Objects::nonNull)
                    .filter(r -> !performers.contains(r)).forEach(performers::add);
        }
        performers.forEach(p -> t.addPerformer(new Reference(p)));
        SystemRequestDetails request = new SystemRequestDetails();
        if (existing != null) {
            t.setId(existing.getIdElement().toUnqualifiedVersionless());
            records.observationDao().update(t, request);
        } else {
            String match = "Observation?identifier=" + UrlUtil.escapeUrlParam(Gas.T_SCORE_IDENTIFIER + "|" + patientId + "/" + day);
            var outcomeOfCreate = records.observationDao().create(t, match, request);
            if (!Boolean.TRUE.equals(outcomeOfCreate.getCreated())) {
                t.setId(outcomeOfCreate.getId().toUnqualifiedVersionless());
                records.observationDao().update(t, request);
            }
        }
    }

    private LocalDate day(Observation o) {
        return Gas.day(o.getEffectiveDateTimeType(), settings.timeZone());
    }

    /** The day a kept T-score stands for: from its identifier, else its date. */
    private LocalDate keptDay(Observation t) {
        return t.getIdentifier().stream().filter(i -> Gas.T_SCORE_IDENTIFIER.equals(i.getSystem()) && i.hasValue())
                .map(i -> i.getValue().substring(i.getValue().lastIndexOf('/') + 1)).findFirst()
                .map(s -> {
                    try {
                        return LocalDate.parse(s);
                    } catch (java.time.format.DateTimeParseException e) {
                        return null;
                    }
                }).orElseGet(() -> day(t));
    }

    private UnprocessableEntityException reject(String expression, String message) {
        OperationOutcome oo = new OperationOutcome();
        GasWriteRules.issue(oo, OperationOutcome.IssueType.BUSINESSRULE, expression, message);
        return new UnprocessableEntityException(fhirContext, oo);
    }
}
