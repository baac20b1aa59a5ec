package org.recoveryoutcomes.server.aggregate;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;

/** The few statements that H2 and PostgreSQL spell differently. */
enum Database {
    H2("MERGE INTO recovery_score_person KEY (code, person_key) VALUES (?, ?)",
            "MERGE INTO recovery_aggregate_state KEY (name) VALUES (?, ?)",
            " USE INDEX (recovery_score_fact_person)"),
    POSTGRESQL("INSERT INTO recovery_score_person (code, person_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
            "INSERT INTO recovery_aggregate_state (name, state_value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET state_value = EXCLUDED.state_value",
            "");

    /** Adds the person's lock row unless it exists; waits for a concurrent insert of the same row instead of failing. */
    final String insertPersonIfAbsent;
    final String putState;
    /**
     * After the fact table's name: read a code's facts person by person. H2 otherwise takes the period index (code,
     * effective) and sorts the whole period in a temporary table.
     */
    final String personOrder;

    Database(String insertPersonIfAbsent, String putState, String personOrder) {
        this.insertPersonIfAbsent = insertPersonIfAbsent;
        this.putState = putState;
        this.personOrder = personOrder;
    }

    static Database of(JdbcTemplate jdbc) {
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("h2")) {
            return H2;
        }
        throw new IllegalStateException("Observation/$aggregate supports H2 and PostgreSQL, not " + product);
    }
}
