package org.recoveryoutcomes.server.aggregate;

import org.recoveryoutcomes.server.database.DatabaseMigrations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JDBC access to the read model's tables. Every method runs in the caller's transaction: the JdbcTemplate uses the
 * DataSource that HAPI's JpaTransactionManager is bound to, so within a FHIR write it joins that write's transaction.
 */
@Component
class FactStore {

    /** A stored fact with the baseline columns as stored. */
    record StoredFact(ScoreFact fact, boolean baseline, double baselineValue, long baselineEffective) {
    }

    private static final String COLUMNS = "fact_key, code, person_key, organization_id, effective, month_index, score_value,"
            + " baseline, baseline_value, baseline_effective";

    private static final RowMapper<StoredFact> ROW = (rs, i) -> new StoredFact(
            new ScoreFact(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getInt(6),
                    rs.getDouble(7)),
            rs.getBoolean(8), rs.getDouble(9), rs.getLong(10));

    private final JdbcTemplate jdbc;
    private final Database database;

    FactStore(DataSource dataSource, DatabaseMigrations migrations) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.database = Database.of(jdbc);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    Database database() {
        return database;
    }

    /** Serialises changes to one person's facts of one code until the transaction ends. */
    void lockPerson(String code, long personKey) {
        jdbc.update(database.insertPersonIfAbsent, code, personKey);
        jdbc.queryForList("SELECT person_key FROM recovery_score_person WHERE code = ? AND person_key = ? FOR UPDATE",
                Long.class, code, personKey);
    }

    Optional<StoredFact> find(String factKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM recovery_score_fact WHERE fact_key = ?", ROW, factKey).stream().findFirst();
    }

    List<StoredFact> personFacts(String code, long personKey) {
        return jdbc.query("SELECT " + COLUMNS + " FROM recovery_score_fact WHERE code = ? AND person_key = ?"
                + " ORDER BY effective, fact_key", ROW, code, personKey);
    }

    void delete(String factKey) {
        jdbc.update("DELETE FROM recovery_score_fact WHERE fact_key = ?", factKey);
    }

    /** The fact as {@link #insert} stores it. */
    static StoredFact inserted(ScoreFact f) {
        return new StoredFact(f, true, f.value(), f.effective());
    }

    /** Inserts with the fact as its own baseline ({@link #inserted}); {@link #updateBaselines} corrects that. */
    void insert(ScoreFact f) {
        jdbc.update("INSERT INTO recovery_score_fact (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                f.factKey(), f.code(), f.personKey(), f.organizationId(), f.effective(), f.monthIndex(), f.value(),
                true, f.value(), f.effective());
    }

    void insertAll(List<ScoreFact> facts) {
        jdbc.batchUpdate("INSERT INTO recovery_score_fact (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", facts, 1000,
                (ps, f) -> {
                    ps.setString(1, f.factKey());
                    ps.setString(2, f.code());
                    ps.setLong(3, f.personKey());
                    ps.setString(4, f.organizationId());
                    ps.setLong(5, f.effective());
                    ps.setInt(6, f.monthIndex());
                    ps.setDouble(7, f.value());
                    ps.setBoolean(8, true);
                    ps.setDouble(9, f.value());
                    ps.setLong(10, f.effective());
                });
    }

    void insertPeopleIfAbsent(List<Object[]> codeAndPersonKeys) {
        jdbc.batchUpdate(database.insertPersonIfAbsent, codeAndPersonKeys);
    }

    void updateBaselines(List<StoredFact> corrected) {
        if (corrected.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE recovery_score_fact SET baseline = ?, baseline_value = ?, baseline_effective = ? WHERE fact_key = ?",
                corrected, 1000, (ps, s) -> {
                    ps.setBoolean(1, s.baseline());
                    ps.setDouble(2, s.baselineValue());
                    ps.setLong(3, s.baselineEffective());
                    ps.setString(4, s.fact().factKey());
                });
    }

    /**
     * The stored facts with baseline columns that match their person's first fact ({@link ScoreFact#ORDER}); returns
     * those that were wrong.
     */
    static List<StoredFact> withBaselines(List<StoredFact> personFacts) {
        List<StoredFact> wrong = new ArrayList<>();
        if (personFacts.isEmpty()) {
            return wrong;
        }
        ScoreFact first = personFacts.stream().map(StoredFact::fact).min(ScoreFact.ORDER).orElseThrow();
        for (StoredFact s : personFacts) {
            StoredFact right = new StoredFact(s.fact(), s.fact().factKey().equals(first.factKey()), first.value(), first.effective());
            if (right.baseline() != s.baseline() || right.baselineValue() != s.baselineValue()
                    || right.baselineEffective() != s.baselineEffective()) {
                wrong.add(right);
            }
        }
        return wrong;
    }

    void appendDeltas(String code, Map<CubeKey, CellFigures> delta) {
        if (delta.isEmpty()) {
            return;
        }
        List<Map.Entry<CubeKey, CellFigures>> rows = new ArrayList<>(delta.entrySet());
        jdbc.batchUpdate("INSERT INTO recovery_score_cube_delta (code, grain, organization_id, bucket, score_value, people,"
                + " with_change, change_sum, improved, deteriorated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, 1000, (ps, e) -> {
                    ps.setString(1, code);
                    ps.setString(2, String.valueOf(e.getKey().grain().code));
                    ps.setString(3, e.getKey().organizationId());
                    ps.setInt(4, e.getKey().bucket());
                    ps.setDouble(5, e.getKey().value());
                    ps.setInt(6, e.getValue().people);
                    ps.setInt(7, e.getValue().withChange);
                    ps.setDouble(8, e.getValue().changeSum);
                    ps.setInt(9, e.getValue().improved);
                    ps.setInt(10, e.getValue().deteriorated);
                });
    }

    Optional<String> state(String name) {
        return jdbc.queryForList("SELECT state_value FROM recovery_aggregate_state WHERE name = ?", String.class, name)
                .stream().findFirst();
    }

    void putState(String name, String value) {
        jdbc.update(database.putState, name, value);
    }
}
