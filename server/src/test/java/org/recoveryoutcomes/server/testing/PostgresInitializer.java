package org.recoveryoutcomes.server.testing;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the postgres profile at a fresh database on the shared test PostgreSQL server. */
public class PostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static String url;

    @Override
    public void initialize(ConfigurableApplicationContext ctx) {
        synchronized (PostgresInitializer.class) {
            if (url == null) {
                url = PostgresServer.shared().createDatabase("recovery_it");
            }
        }
        TestPropertyValues.of(
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "spring.datasource.password=").applyTo(ctx);
    }
}
