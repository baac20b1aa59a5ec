package org.recoveryoutcomes.server.database;

import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL the score-fact table of {@code Observation/$aggregate} is partitioned by year (migration V10_1 under
 * db/recovery-postgresql), and a query for a period reads only the partitions of its years. The aggregate scenarios
 * ({@code AggregateOnPostgresTest}) check the figures on the partitioned table.
 */
@PostgresServerTest
class ScoreFactPartitioningTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theScoreFactTableIsPartitionedByYearWithADefaultPartition() {
        assertThat(jdbc.queryForObject("select partstrat from pg_partitioned_table where partrelid = 'recovery_score_fact'::regclass",
                String.class)).isEqualTo("r");
        List<String> partitions = jdbc.queryForList("select inhrelid::regclass::text from pg_inherits"
                + " where inhparent = 'recovery_score_fact'::regclass order by 1", String.class);
        assertThat(partitions).contains("recovery_score_fact_y2000", "recovery_score_fact_y2025", "recovery_score_fact_y2040",
                "recovery_score_fact_other").hasSize(42);
    }

    @Test
    void aPeriodQueryReadsOnlyThePartitionsOfItsYears() {
        long from = LocalDate.of(2025, 4, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = LocalDate.of(2026, 4, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        // the shape of FactQueries' period query, with the values a prepared statement binds at execution time
        String plan = String.join("\n", jdbc.queryForList("explain (analyze, costs off) select organization_id, score_value"
                + " from recovery_score_fact where code = 'wemwbs-total' and effective >= " + from + " and effective < " + to,
                String.class));

        assertThat(plan).contains("recovery_score_fact_y2025", "recovery_score_fact_y2026")
                .doesNotContain("recovery_score_fact_y2024", "recovery_score_fact_y2027", "recovery_score_fact_other");
    }

    @Test
    void aScoreFactLandsInThePartitionOfItsYear() {
        long effective = LocalDate.of(2031, 6, 15).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        jdbc.update("insert into recovery_score_fact values ('partition-test', 'wemwbs-total', 1, 'partition-test', ?, 0, 40,"
                + " true, 40, ?)", effective, effective);
        try {
            assertThat(jdbc.queryForObject("select tableoid::regclass::text from recovery_score_fact where fact_key = 'partition-test'",
                    String.class)).isEqualTo("recovery_score_fact_y2031");
        } finally {
            jdbc.update("delete from recovery_score_fact where fact_key = 'partition-test'");
        }
    }
}
