package org.recoveryoutcomes.server.database;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.taskdef.BaseTask;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The postgres profile's schema comes from HAPI's own migration tasks, not from Hibernate. */
@PostgresServerTest
class HapiSchemaMigrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    JpaProperties jpa;

    @Test
    void everyMigrationTaskOfHapiIsRecordedAsDoneOnTheFreshDatabase() {
        // HAPI skips its heavyweight tasks (long index builds on big tables) unless told; a fresh schema has their result
        List<String> expected = StreamSupport.stream(
                        new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()).spliterator(), false)
                .filter(task -> !task.isHeavyweightSkippableTask()).map(BaseTask::getMigrationVersion).toList();
        Set<String> recorded = new HashSet<>(jdbc.queryForList(
                "select version from \"" + HapiSchemaMigration.HISTORY_TABLE + "\" where success", String.class));
        Integer failed = jdbc.queryForObject(
                "select count(*) from \"" + HapiSchemaMigration.HISTORY_TABLE + "\" where not success", Integer.class);

        assertThat(expected).hasSizeGreaterThan(500);
        assertThat(recorded).containsAll(expected);
        assertThat(failed).isZero();
    }

    @Test
    void hibernateOnlyValidatesTheSchema() {
        assertThat(jpa.getProperties()).containsEntry("hibernate.hbm2ddl.auto", "validate");
    }

    @Test
    void migratingAgainFindsNothingToDo() {
        MigrationResult again = HapiSchemaMigration.run(dataSource, DriverTypeEnum.POSTGRES_9_4);

        assertThat(again.succeededTasks).isEmpty();
        assertThat(again.failedTasks).isEmpty();
    }
}
