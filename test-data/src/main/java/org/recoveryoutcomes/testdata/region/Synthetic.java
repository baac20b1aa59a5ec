package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

import java.time.LocalDate;
import java.util.Locale;

/**
 * What every generated resource carries: a client id under the region's prefix, its profile, and the security label
 * HTEST ("test health data"), so synthetic data can be found and removed with {@code _security=...|HTEST}.
 */
final class Synthetic {

    static final String PATIENT_SYSTEM = "urn:recovery-outcomes:synthetic-patient";
    static final String ORGANISATION_SYSTEM = "urn:recovery-outcomes:synthetic-organisation";
    static final String PRACTITIONER_SYSTEM = "urn:recovery-outcomes:synthetic-practitioner";
    static final String RESPONSE_SYSTEM = "urn:recovery-outcomes:synthetic-response";
    static final String PROFILE = Instruments.CANON + "/StructureDefinition/";
    private static final Coding TEST_DATA =
            new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST", "test health data");

    private Synthetic() {
    }

    static <T extends Resource> T mark(T resource, String id, String profile) {
        resource.setId(id);
        if (profile != null) {
            resource.getMeta().addProfile(PROFILE + profile);
        }
        resource.getMeta().addSecurity(TEST_DATA.copy());
        return resource;
    }

    static Identifier identifier(String system, String value) {
        return new Identifier().setSystem(system).setValue(value);
    }

    /** A UTC time on a day, to the minute: fixed text, so output does not depend on the machine's time zone. */
    static DateTimeType at(LocalDate day, int minuteOfDay) {
        return new DateTimeType(String.format(Locale.ROOT, "%sT%02d:%02d:00Z", day, minuteOfDay / 60, minuteOfDay % 60));
    }

    /** A time in working hours (09:00–16:45, quarter hours). */
    static int workingMinute(Dice dice) {
        return 9 * 60 + 15 * dice.between(0, 31);
    }
}
