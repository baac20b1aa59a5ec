package org.recoveryoutcomes.server.profile;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** recovery.profile.* binds as documented: verified defaults, configurable thresholds and directions. */
class ProfileSettingsTest {

    private static ProfileSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("recovery.profile", ProfileSettings.class);
    }

    @Test
    void byDefaultOnlyWemwbsAndTheSwemwbsMetricScoreHaveAThreshold() {
        ProfileSettings s = bind(Map.of());
        assertThat(s.reliableChange()).containsOnly(Map.entry("wemwbs-total", BigDecimal.valueOf(9)),
                Map.entry("swemwbs-metric", BigDecimal.valueOf(3)));
        assertThat(s.threshold("swemwbs-raw")).isNull();
        assertThat(s.timeZone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(s.serviceUseMonths()).isEqualTo(12);
        assertThat(s.direction()).isEmpty();
    }

    @Test
    void aConfiguredThresholdIsAddedAZeroSwitchesADefaultOffAndDirectionsOverride() {
        ProfileSettings s = bind(Map.of(
                "recovery.profile.reliable-change.qpr15-total", "5",
                "recovery.profile.reliable-change.wemwbs-total", "0",
                "recovery.profile.direction.inclusion-people", "not-ordered",
                "recovery.profile.time-zone", "UTC"));
        assertThat(s.threshold("qpr15-total")).isEqualByComparingTo("5");
        assertThat(s.threshold("wemwbs-total")).isNull();
        assertThat(s.threshold("swemwbs-metric")).isEqualByComparingTo("3");
        assertThat(s.direction()).containsEntry("inclusion-people", "not-ordered");
        assertThat(s.timeZone()).isEqualTo(ZoneId.of("UTC"));
    }
}
