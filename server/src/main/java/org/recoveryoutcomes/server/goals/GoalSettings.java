package org.recoveryoutcomes.server.goals;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * Settings of Goal Attainment Scaling.
 *
 * @param rho      expected correlation of the goal scales in the T-score formula (contract §5: 0.3)
 * @param timeZone the zone in which a rating's effectiveDateTime is read as a calendar day (for "as of" a date and for
 *                 the one gas-t-score Observation per rating day); a date without a time is that day
 */
@ConfigurationProperties("recovery.goals")
record GoalSettings(
        @DefaultValue("0.3") BigDecimal rho,
        @DefaultValue("Europe/London") ZoneId timeZone) {
}
