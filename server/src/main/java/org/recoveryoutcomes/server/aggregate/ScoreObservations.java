package org.recoveryoutcomes.server.aggregate;

import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which Observations are score facts, and what they say (contract §3): status final, amended or corrected; a code
 * from the recovery-score CodeSystem; subject a Patient; effectiveDateTime (or effectiveInstant); a valueQuantity,
 * valueInteger or valueBoolean (or, for GAS ratings, the LOINC answer codes of contract §5); performer an Organization
 * (optional). Anything else — other statuses such as entered-in-error, no value, a data-absent-reason — is no fact.
 */
final class ScoreObservations {

    record Score(String code, String patientId, String organizationId, Instant effective, int monthIndex, double value) {
    }

    private static final Set<Observation.ObservationStatus> COUNTED = Set.of(Observation.ObservationStatus.FINAL,
            Observation.ObservationStatus.AMENDED, Observation.ObservationStatus.CORRECTED);

    /** Contract §5: GAS rating answers. */
    private static final Map<String, Integer> GAS_LOINC_ANSWERS = Map.of("LA34484-8", -2, "LA34483-0", -1,
            "LA34481-4", 0, "LA34480-6", 1, "LA34479-8", 2);

    private ScoreObservations() {
    }

    static Optional<Score> read(Observation o, ZoneId zone) {
        if (o.getStatus() == null || !COUNTED.contains(o.getStatus())) {
            return Optional.empty();
        }
        String code = o.getCode().getCoding().stream().filter(c -> ScoreCodes.SYSTEM.equals(c.getSystem()) && c.hasCode())
                .map(Coding::getCode).findFirst().orElse(null);
        String patient = idOf(o.getSubject(), "Patient");
        Instant effective = effective(o, zone);
        Double value = value(o);
        if (code == null || patient == null || effective == null || value == null) {
            return Optional.empty();
        }
        String organization = o.getPerformer().stream().map(r -> idOf(r, "Organization")).filter(id -> id != null)
                .findFirst().orElse("");
        ZonedDateTime local = effective.atZone(zone);
        int month = local.getYear() * 12 + local.getMonthValue() - 1;
        return Optional.of(new Score(code, patient, organization, effective, month, value));
    }

    static String idOf(Reference r, String type) {
        if (r == null || !r.hasReference()) {
            return null;
        }
        IIdType id = r.getReferenceElement();
        String t = id.getResourceType() != null ? id.getResourceType() : r.getType();
        return type.equals(t) && id.hasIdPart() ? id.getIdPart() : null;
    }

    private static Instant effective(Observation o, ZoneId zone) {
        BaseDateTimeType dt = o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType()
                : o.hasEffectiveInstantType() ? o.getEffectiveInstantType() : null;
        if (dt == null || dt.getValueAsString() == null) {
            return null;
        }
        String s = dt.getValueAsString();
        if (s.length() <= 10) { // YYYY, YYYY-MM, YYYY-MM-DD: the start of that day / month / year where the service is
            String[] p = s.split("-");
            LocalDate d = LocalDate.of(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 1,
                    p.length > 2 ? Integer.parseInt(p[2]) : 1);
            return d.atStartOfDay(zone).toInstant();
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null; // a time without a time zone is not a valid FHIR dateTime
        }
    }

    private static Double value(Observation o) {
        if (o.hasValueQuantity() && o.getValueQuantity().hasValue()) {
            return o.getValueQuantity().getValue().doubleValue();
        }
        if (o.hasValueIntegerType() && o.getValueIntegerType().getValue() != null) {
            return o.getValueIntegerType().getValue().doubleValue();
        }
        if (o.hasValueBooleanType() && o.getValueBooleanType().getValue() != null) {
            return o.getValueBooleanType().booleanValue() ? 1.0 : 0.0;
        }
        if (o.hasValueCodeableConcept()) {
            return o.getValueCodeableConcept().getCoding().stream()
                    .filter(c -> "http://loinc.org".equals(c.getSystem()) && GAS_LOINC_ANSWERS.containsKey(c.getCode()))
                    .map(c -> GAS_LOINC_ANSWERS.get(c.getCode()).doubleValue()).findFirst().orElse(null);
        }
        return null;
    }
}
