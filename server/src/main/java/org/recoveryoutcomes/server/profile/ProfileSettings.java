package org.recoveryoutcomes.server.profile;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the recovery profile ({@code Patient/$recovery-profile}).
 *
 * @param reliableChange  reliable-change threshold per recovery-score code: a change of at least this many points
 *                        between baseline and latest score is reliable. Defaults (instruments.md rule 4, the
 *                        individual-level values NHS England's outcome dashboards use): {@code wemwbs-total} 9 =
 *                        round(8.55), Maheswaran et al. 2012; {@code swemwbs-metric} 3 = round(2.87), Shah et al. 2018
 *                        (the SWEMWBS threshold is set on the metric score; the raw sum has none by default). Every
 *                        other score is not-applicable until a verified threshold is configured, e.g.
 *                        {@code recovery.profile.reliable-change.qpr15-total=5}; 0 switches a default off.
 * @param direction       direction per recovery-score code ({@code higher-is-better}, {@code lower-is-better},
 *                        {@code not-ordered}), overriding the recovery-score CodeSystem's {@code direction} property
 * @param timeZone        zone in which times are read as calendar days (as-of date, service-use windows, midnights)
 * @param serviceUseMonths length in months of the two service-use windows (before the first outcome measure; latest)
 */
@ConfigurationProperties("recovery.profile")
record ProfileSettings(
        Map<String, BigDecimal> reliableChange,
        Map<String, String> direction,
        @DefaultValue("Europe/London") ZoneId timeZone,
        @DefaultValue("12") int serviceUseMonths) {

    static final Map<String, BigDecimal> DEFAULT_THRESHOLDS = Map.of(
            "wemwbs-total", BigDecimal.valueOf(9),
            "swemwbs-metric", BigDecimal.valueOf(3));

    ProfileSettings {
        Map<String, BigDecimal> thresholds = new LinkedHashMap<>(DEFAULT_THRESHOLDS);
        if (reliableChange != null) {
            thresholds.putAll(reliableChange);
        }
        thresholds.values().removeIf(v -> v == null || v.signum() <= 0);
        reliableChange = Map.copyOf(thresholds);
        direction = direction == null ? Map.of() : Map.copyOf(direction);
    }

    /** The reliable-change threshold of a score, or null when none is configured. */
    BigDecimal threshold(String code) {
        return reliableChange.get(code);
    }
}
