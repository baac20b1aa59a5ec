package org.recoveryoutcomes.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recoveryoutcomes.server.RecoveryOutcomesServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue #7 §6: security is off only on explicit request, never quietly, and never with the postgres profile. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityOffTest {

    @Test
    void securityIsOnUnlessThePropertySaysOtherwise(CapturedOutput output) {
        SecurityConfiguration.checkSecurityOff(new MockEnvironment());
        assertThat(output).doesNotContain("SECURITY IS OFF");
    }

    @Test
    void turningSecurityOffLogsAWarning(CapturedOutput output) {
        SecurityConfiguration.checkSecurityOff(new MockEnvironment().withProperty("recovery.security.enabled", "false"));
        assertThat(output).contains("WARN").contains("SECURITY IS OFF");
    }

    @Test
    void thePostgresProfileRefusesToStartWithSecurityOff() {
        // fails before any database is touched: there is none at this URL
        SpringApplicationBuilder app = new SpringApplicationBuilder(RecoveryOutcomesServer.class).profiles("postgres")
                .properties("recovery.security.enabled=false", "server.port=0",
                        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none");
        assertThatThrownBy(app::run).hasStackTraceContaining("recovery.security.enabled=false is refused with the postgres profile");
    }
}
