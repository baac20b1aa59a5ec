package org.recoveryoutcomes.server.goals;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** The project's Goal Attainment Scaling vocabulary (contract §5, profiles gas-goal and gas-rating-observation). */
final class Gas {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final String SCORE_SYSTEM = CANON + "/CodeSystem/recovery-score";
    static final String DOMAIN_SYSTEM = CANON + "/CodeSystem/recovery-outcome-domain";
    static final String ATTAINMENT = "gas-attainment";
    static final String T_SCORE = "gas-t-score";
    static final String GOAL_PROFILE = CANON + "/StructureDefinition/gas-goal";
    static final String RATING_PROFILE = CANON + "/StructureDefinition/gas-rating-observation";
    static final String SCORE_PROFILE = CANON + "/StructureDefinition/recovery-score-observation";
    static final String EXTENSION_PREFIX = CANON + "/StructureDefinition/gas-";
    static final String WEIGHT = CANON + "/StructureDefinition/gas-weight";
    static final String BASELINE = CANON + "/StructureDefinition/gas-baseline-level";
    static final String LEVEL_DESCRIPTION = CANON + "/StructureDefinition/gas-level-description";
    /** Identifies the one gas-t-score Observation per person and rating day: value {@code <patient id>/<yyyy-mm-dd>}. */
    static final String T_SCORE_IDENTIFIER = CANON + "/identifier/gas-t-score";
    static final String LOINC = "http://loinc.org";
    /** LOINC answers of the GAS scale (ValueSet gas-attainment-level) and their level. */
    static final Map<String, Integer> LOINC_LEVELS = Map.of(
            "LA34484-8", -2, "LA34483-0", -1, "LA34481-4", 0, "LA34480-6", 1, "LA34479-8", 2);
    static final Map<Integer, String> LOINC_DISPLAYS = Map.of(
            -2, "Much less than expected", -1, "Less than expected", 0, "Expected outcome",
            1, "Better than expected", 2, "Much better than expected");
    /** LOINC codes a rating may carry besides gas-attainment: practitioner and patient follow-up GAS score. */
    static final java.util.Set<String> LOINC_RATING_CODES = java.util.Set.of("107333-7", "107334-5");

    private Gas() {
    }

    /** A Goal claims the gas-goal profile or carries one of the gas-* extensions. */
    static boolean isGasGoal(Goal goal) {
        return goal.getMeta().getProfile().stream().map(CanonicalType::getValue)
                .anyMatch(p -> p != null && p.split("\\|")[0].equals(GOAL_PROFILE))
                || goal.getExtension().stream().anyMatch(e -> e.getUrl() != null && e.getUrl().startsWith(EXTENSION_PREFIX));
    }

    static boolean hasScoreCode(Observation o, String code) {
        return o.getCode().getCoding().stream().anyMatch(c -> SCORE_SYSTEM.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    static boolean isRating(Observation o) {
        return hasScoreCode(o, ATTAINMENT);
    }

    /** Ratings and goals that count: not entered in error, cancelled, preliminary or registered. */
    static boolean counts(Observation o) {
        return o.getStatus() == Observation.ObservationStatus.FINAL || o.getStatus() == Observation.ObservationStatus.AMENDED
                || o.getStatus() == Observation.ObservationStatus.CORRECTED;
    }

    /** The goal's weight: the gas-weight extension, 1 when absent. */
    static BigDecimal weight(Goal goal) {
        Extension e = goal.getExtensionByUrl(WEIGHT);
        return e != null && e.getValue() instanceof DecimalType d && d.getValue() != null ? d.getValue() : BigDecimal.ONE;
    }

    static Integer baseline(Goal goal) {
        Extension e = goal.getExtensionByUrl(BASELINE);
        return e != null && e.getValue() instanceof IntegerType i ? i.getValue() : null;
    }

    /** The level −2…+2 of a rating, from valueInteger or the LOINC answer; empty when neither gives one. */
    static Optional<Integer> level(Observation o) {
        if (o.getValue() instanceof IntegerType i && i.getValue() != null) {
            return Optional.of(i.getValue()).filter(v -> v >= -2 && v <= 2);
        }
        if (o.getValue() instanceof CodeableConcept cc) {
            return cc.getCoding().stream().filter(c -> LOINC.equals(c.getSystem()) && LOINC_LEVELS.containsKey(c.getCode()))
                    .map(c -> LOINC_LEVELS.get(c.getCode())).findFirst();
        }
        return Optional.empty();
    }

    static Optional<IdType> focusGoal(Observation o) {
        return o.getFocus().stream().map(Reference::getReference).filter(r -> r != null && !r.isBlank())
                .map(IdType::new).filter(id -> "Goal".equals(id.getResourceType()) && id.hasIdPart()).findFirst();
    }

    static Optional<String> patientId(Reference subject) {
        if (subject == null || !subject.hasReference()) {
            return Optional.empty();
        }
        IdType id = new IdType(subject.getReference());
        return "Patient".equals(id.getResourceType()) && id.hasIdPart() ? Optional.of(id.getIdPart()) : Optional.empty();
    }

    /** The calendar day of a date or dateTime: as written for a date, in {@code zone} for a dateTime. */
    static LocalDate day(BaseDateTimeType t, ZoneId zone) {
        if (t.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
            return LocalDate.of(t.getYear(), t.getMonth() + 1, t.getDay());
        }
        return t.getValue().toInstant().atZone(zone).toLocalDate();
    }

    /** An instant for ordering: a date without a time is the start of its day in {@code zone}. */
    static Instant instant(BaseDateTimeType t, ZoneId zone) {
        if (t.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
            return day(t, zone).atStartOfDay(zone).toInstant();
        }
        return t.getValue().toInstant();
    }

    static Coding scoreCoding(String code, String display) {
        return new Coding(SCORE_SYSTEM, code, display);
    }
}
