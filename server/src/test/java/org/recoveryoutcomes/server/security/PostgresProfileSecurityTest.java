package org.recoveryoutcomes.server.security;

import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.RecoveryOutcomesServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.ConfigurableEnvironment;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue #10 §1: the postgres profile is for production: no embedded issuer, no demo data, and the demo clients (whose
 * secrets are published) refused even when someone turns the embedded issuer back on. Both starts fail before any
 * database is touched, or at the first connection: there is no database at the URL.
 */
class PostgresProfileSecurityTest {

    // command-line arguments: they win over the profile's file, as an operator's settings do
    static final String NO_DATABASE = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none";

    @Test
    void thePostgresProfileTurnsTheEmbeddedIssuerAndTheDemoDataOff() {
        AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
        SpringApplicationBuilder app = new SpringApplicationBuilder(RecoveryOutcomesServer.class).profiles("postgres")
                .listeners(event -> {
                    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                        environment.set(prepared.getEnvironment());
                    }
                });
        assertThatThrownBy(() -> app.run("--server.port=0", NO_DATABASE)).as("no database there").isNotNull();

        assertThat(environment.get().getProperty("recovery.security.embedded-issuer.enabled", Boolean.class)).isFalse();
        assertThat(environment.get().getProperty("recovery.demo.enabled", Boolean.class)).isFalse();
        assertThat(environment.get().getProperty("spring.jpa.properties.hibernate.dialect")).endsWith("HapiFhirPostgresDialect");
        assertThat(environment.get().getProperty("spring.jpa.properties.hibernate.hbm2ddl.auto")).isEqualTo("validate");
    }

    @Test
    void thePostgresProfileRefusesToStartTheDemoClientsOfTheEmbeddedIssuer() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(RecoveryOutcomesServer.class).profiles("postgres");
        assertThatThrownBy(() -> app.run("--recovery.security.embedded-issuer.enabled=true", "--server.port=0", NO_DATABASE))
                .hasStackTraceContaining("refused with the postgres profile")
                .hasStackTraceContaining("demo-ehr");
    }

    @Test
    void theEmbeddedIssuerWithAnOperatorsOwnClientsPassesTheGuard() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(RecoveryOutcomesServer.class).profiles("postgres");
        // it gets as far as the database, which is not there
        assertThatThrownBy(() -> app.run("--recovery.security.embedded-issuer.enabled=true", "--server.port=0", NO_DATABASE,
                "--recovery.security.embedded-issuer.clients[0].id=trust-ehr",
                "--recovery.security.embedded-issuer.clients[0].secret=a-long-secret-of-the-trust",
                "--recovery.security.embedded-issuer.clients[0].grant-types[0]=client_credentials",
                "--recovery.security.embedded-issuer.clients[0].scopes[0]=system/*.cruds",
                "--recovery.security.embedded-issuer.users[0].username=someone",
                "--recovery.security.embedded-issuer.users[0].password=a-long-password")).satisfies(e -> assertThat(e).hasStackTraceContaining("127.0.0.1:1")
                .satisfies(x -> assertThat(stackTrace(x)).doesNotContain("refused with the postgres profile")));
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
