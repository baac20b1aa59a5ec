package org.recoveryoutcomes.server.goals;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.DateTimeType;

import java.time.LocalDate;
import java.time.ZoneId;

/** The {@code date} (as of) parameter of the operations: a full date, or a dateTime read as its day in the zone. */
final class AsOf {

    private AsOf() {
    }

    static LocalDate day(DateTimeType date, ZoneId zone) {
        if (date == null || date.isEmpty()) {
            return LocalDate.now(zone);
        }
        if (date.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
            throw new InvalidRequestException("Parameter date must be a full date (YYYY-MM-DD) or dateTime, not '"
                    + date.getValueAsString() + "'");
        }
        return Gas.day(date, zone);
    }
}
