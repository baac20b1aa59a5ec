package org.recoveryoutcomes.server.database;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

import java.util.Set;

/**
 * Creates and upgrades HAPI's schema with HAPI's own migration tasks (what the {@code hapi-fhir-cli migrate-database}
 * command runs), recorded in HAPI's history table. Runs when this bean is created; Hibernate's entity manager factory
 * depends on it ({@link MigrateBeforeHibernate}), so Hibernate only validates the result.
 *
 * <p>The migration uses a small pool of its own built from {@code spring.datasource.url/username/password}: the
 * application pool carries a statement timeout that an index build on a large table would exceed. HAPI's migrator
 * takes a lock row in its history table, so nodes starting together migrate one after the other.
 */
@Component
class HapiSchemaMigration {

    static final String HISTORY_TABLE = "FLY_HFJ_MIGRATION";

    private static final Logger log = LoggerFactory.getLogger(HapiSchemaMigration.class);

    HapiSchemaMigration(DataSourceProperties dataSource, DatabaseSettings settings) {
        if (!settings.migrateSchema()) {
            return;
        }
        long start = System.currentTimeMillis();
        try (HikariDataSource pool = dataSource.initializeDataSourceBuilder().type(HikariDataSource.class).build()) {
            pool.setPoolName("hapi-schema-migration");
            pool.setMaximumPoolSize(2);
            MigrationResult result = run(pool, DriverTypeEnum.fromDriverClassName(dataSource.determineDriverClassName()));
            log.info("HAPI schema migrated in {} ms: {} tasks run, {} failed", System.currentTimeMillis() - start,
                    result.succeededTasks.size(), result.failedTasks.size());
        }
    }

    static MigrationResult run(javax.sql.DataSource dataSource, DriverTypeEnum driver) {
        HapiMigrator migrator = new HapiMigrator(HISTORY_TABLE, dataSource, driver);
        migrator.createMigrationTableIfRequired();
        migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        return migrator.migrate();
    }
}
