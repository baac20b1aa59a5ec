package org.recoveryoutcomes.server.profile;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Calendar days of FHIR dates and dateTimes: a date is its own day, a dateTime its day in the profile's zone. */
final class Days {

    private Days() {
    }

    static LocalDate day(BaseDateTimeType t, ZoneId zone) {
        if (t.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            return LocalDate.of(t.getYear(), t.getMonth() + 1, t.getDay());
        }
        return t.getValue().toInstant().atZone(zone).toLocalDate();
    }

    /** For ordering and for counting midnights: a date without a time is the start of its day. */
    static Instant instant(BaseDateTimeType t, ZoneId zone) {
        if (t.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            return day(t, zone).atStartOfDay(zone).toInstant();
        }
        return t.getValue().toInstant();
    }

    /** The operation's {@code date} parameter: a full date or a dateTime (its day); today when absent. */
    static LocalDate asOf(DateTimeType date, ZoneId zone) {
        if (date == null || date.isEmpty()) {
            return LocalDate.now(zone);
        }
        if (date.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
            throw new InvalidRequestException("Parameter date must be a full date (YYYY-MM-DD) or dateTime, not '"
                    + date.getValueAsString() + "'");
        }
        return day(date, zone);
    }
}
