package org.recoveryoutcomes.server.aggregate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * Settings of {@code Observation/$aggregate}, its disclosure control and its read model (docs/disclosure-control.md).
 *
 * @param smallCountBelow        counts from 1 to this value minus one are suppressed (default 8: 1–7 suppressed)
 * @param roundTo                every other count is rounded to the nearest multiple of this (default 5; 1 = no rounding)
 * @param minPeopleForStatistics means, medians, standard deviations and mean changes need at least this many people
 * @param decimals               decimals of published means, medians, standard deviations, mean changes and percentages
 * @param reliableChange         reliable-change threshold per recovery-score code (instruments.md rule 4: WEMWBS 9,
 *                               SWEMWBS 3); codes without one report "not-applicable". Replaces the defaults when set.
 * @param zone                   time zone of months, quarters and years and of dates without a time zone
 * @param personKeySecret        secret of the HMAC that turns Patient ids into person keys; when blank a random secret
 *                               is generated once and kept in the database. Changing it requires $rebuild-score-facts
 *                               (done automatically at the next start).
 * @param compactEvery           how often pending cube changes are folded into the cube
 * @param rebuildOnStart         rebuild facts / cube at start-up when the settings they were built with changed
 */
@ConfigurationProperties("recovery.aggregate")
record AggregateSettings(
        @DefaultValue("8") int smallCountBelow,
        @DefaultValue("5") int roundTo,
        @DefaultValue("8") int minPeopleForStatistics,
        @DefaultValue("1") int decimals,
        Map<String, BigDecimal> reliableChange,
        @DefaultValue("Europe/London") ZoneId zone,
        @DefaultValue("") String personKeySecret,
        @DefaultValue("5s") Duration compactEvery,
        @DefaultValue("true") boolean rebuildOnStart) {

    /**
     * Individual-level thresholds of NHS England's outcome dashboards (instruments.md rule 4): WEMWBS round(8.55) = 9
     * (Maheswaran et al. 2012), SWEMWBS round(2.87) = 3 (Shah et al. 2018, 2.77 SEM of the metric score). The SWEMWBS
     * figure is on the metric scale, so the raw sum ({@code swemwbs-raw}) has none until one is configured.
     */
    static final Map<String, BigDecimal> DEFAULT_RELIABLE_CHANGE = Map.of(
            "wemwbs-total", new BigDecimal("9"),
            "swemwbs-metric", new BigDecimal("3"));

    AggregateSettings {
        if (smallCountBelow < 1 || roundTo < 1 || minPeopleForStatistics < 1 || decimals < 0) {
            throw new IllegalArgumentException("recovery.aggregate: thresholds must be positive");
        }
        reliableChange = reliableChange == null || reliableChange.isEmpty() ? DEFAULT_RELIABLE_CHANGE : Map.copyOf(reliableChange);
    }
}
