package org.recoveryoutcomes.server.database;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Creates and upgrades the project's own tables (everything outside HAPI's schema) with the versioned SQL migrations
 * under {@code classpath:db/recovery}, in their own history table {@code recovery_schema_history}. The migrations run
 * when this bean is created; a feature that uses the tables takes this bean as a constructor argument, so its tables
 * exist before it is used. Spring Boot's Flyway auto-configuration stays off (it would treat HAPI's schema as ours).
 *
 * <p>{@code baselineOnMigrate} lets Flyway start on a database that already holds HAPI's tables; the baseline is version
 * 0, so every project migration (V1 and later) still runs there. Migration SQL under {@code db/recovery} must run on
 * H2 and PostgreSQL alike; {@code db/recovery-postgresql} and {@code db/recovery-h2} hold migrations for one of them only
 * (e.g. partitioning, which H2 does not have). Version numbers are unique across the folders.
 */
@Component
public class DatabaseMigrations {

    private static final Logger log = LoggerFactory.getLogger(DatabaseMigrations.class);

    DatabaseMigrations(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/recovery", "classpath:db/recovery-" + vendor(dataSource))
                .table("recovery_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        log.info("Project tables at schema version {} ({} migrations applied)", result.targetSchemaVersion, result.migrationsExecuted);
    }

    /** {@code postgresql} or {@code h2}: the folder of the migrations for one database only. */
    static String vendor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            return product.toLowerCase(Locale.ROOT).contains("postgres") ? "postgresql" : product.toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database to migrate the project's tables", e);
        }
    }
}
