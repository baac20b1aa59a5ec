package org.recoveryoutcomes.testdata.region;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    @Test
    void everyOptionReachesTheSettings() {
        RegionSettings s = Main.parse(new String[] {"--patients", "12", "--organisations", "4", "--years", "3", "--seed", "9",
                "--end", "2025-06-30", "--bundle-size", "5", "--threads", "1", "--out", "target/x"}).settings();
        assertThat(s).isEqualTo(new RegionSettings(12, 4, 3, 9, LocalDate.of(2025, 6, 30), 5));
    }

    @Test
    void gzipIsAFlag() {
        Main.Arguments a = Main.parse(new String[] {"--gzip", "--out", "target/x", "--patients", "3"});
        assertThat(a.gzip()).isTrue();
        assertThat(a.settings().patients()).isEqualTo(3);
        assertThat(Main.parse(new String[] {"--out", "target/x"}).gzip()).isFalse();
    }

    @Test
    void exactlyOneOfOutAndLoadIsRequired() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--patients", "1"})).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "x", "--load", "http://localhost:8080/fhir"}))
                .hasMessageContaining("exactly one");
    }

    @Test
    void badValuesAreRefusedWithTheOptionName() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "x", "--patients", "many"})).hasMessageContaining("--patients");
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "x", "--organisations", "0"})).hasMessageContaining("organisations");
        assertThatThrownBy(() -> Main.parse(new String[] {"--out", "x", "--colour", "red"})).hasMessageContaining("unknown option --colour");
    }
}
