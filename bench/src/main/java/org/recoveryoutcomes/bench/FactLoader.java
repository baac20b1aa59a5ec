package org.recoveryoutcomes.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * Score facts straight into the server's read model with JDBC batches (COPY on PostgreSQL), while the server is
 * stopped: no FHIR resources behind them (a million Observations through the API would take hours here). Tops the
 * code's facts up to the target with the baseline columns filled in, and clears the cube's signature so that the server rebuilds the cube from the
 * facts with its own code at the next start (ReadModelLifecycle); the facts' own signature is kept, so they stay.
 */
final class FactLoader {

    record Loaded(int existing, int inserted, int people, long millis) {
    }

    private static final String FACT_COLUMNS = "fact_key, code, person_key, organization_id, effective, month_index, score_value,"
            + " baseline, baseline_value, baseline_effective";

    private FactLoader() {
    }

    static Loaded topUp(String jdbcUrl, String user, String password, ScoreGenerator generator, int target) {
        long t0 = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.setAutoCommit(false);
            int existing;
            try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM recovery_score_fact WHERE code = ?")) {
                count.setString(1, ScoreGenerator.CODE);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    existing = rs.getInt(1);
                }
            }
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            int inserted = 0;
            int people = 0;
            byte[] key = new byte[32];
            // PostgreSQL: COPY (several times faster than batched INSERTs into the partitioned table); H2: JDBC batches
            StringBuilder copyFacts = new StringBuilder();
            StringBuilder copyPeople = new StringBuilder();
            try (PreparedStatement fact = c.prepareStatement("INSERT INTO recovery_score_fact (" + FACT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement person = c.prepareStatement("INSERT INTO recovery_score_person (code, person_key) VALUES (?, ?)")) {
                int pending = 0;
                int batches = 0;
                while (existing + inserted < target) {
                    List<ScoreGenerator.Score> scores = generator.next();
                    long personKey = generator.random().nextLong();
                    ScoreGenerator.Score first = scores.get(0);
                    for (int i = 0; i < scores.size() && existing + inserted < target; i++) {
                        ScoreGenerator.Score s = scores.get(i);
                        generator.random().nextBytes(key);
                        ZonedDateTime z = s.instant().atZone(ScoreGenerator.ZONE);
                        String factKey = HexFormat.of().formatHex(key);
                        int month = z.getYear() * 12 + z.getMonthValue() - 1;
                        if (postgres) {
                            copyFacts.append(factKey).append(',').append(ScoreGenerator.CODE).append(',').append(personKey).append(',')
                                    .append(s.organisation()).append(',').append(s.effective()).append(',').append(month).append(',')
                                    .append(s.value()).append(',').append(i == 0).append(',').append(first.value()).append(',')
                                    .append(first.effective()).append('\n');
                        } else {
                            fact.setString(1, factKey);
                            fact.setString(2, ScoreGenerator.CODE);
                            fact.setLong(3, personKey);
                            fact.setString(4, s.organisation());
                            fact.setLong(5, s.effective());
                            fact.setInt(6, month);
                            fact.setDouble(7, s.value());
                            fact.setBoolean(8, i == 0);
                            fact.setDouble(9, first.value());
                            fact.setLong(10, first.effective());
                            fact.addBatch();
                        }
                        inserted++;
                        pending++;
                    }
                    if (postgres) {
                        copyPeople.append(ScoreGenerator.CODE).append(',').append(personKey).append('\n');
                    } else {
                        person.setString(1, ScoreGenerator.CODE);
                        person.setLong(2, personKey);
                        person.addBatch();
                    }
                    people++;
                    if (pending >= (postgres ? 50_000 : 1_000)) {
                        flush(c, postgres, fact, person, copyFacts, copyPeople);
                        pending = 0;
                        if (postgres || ++batches % 50 == 0) {
                            c.commit();
                            System.out.printf("\r  %,d facts loaded", inserted);
                        }
                    }
                }
                flush(c, postgres, fact, person, copyFacts, copyPeople);
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM recovery_aggregate_state WHERE name = 'cube-signature'");
            }
            c.commit();
            System.out.printf("\r  %,d facts loaded%n", inserted);
            return new Loaded(existing, inserted, people, System.currentTimeMillis() - t0);
        } catch (SQLException e) {
            throw new IllegalStateException("loading score facts into " + jdbcUrl + " failed", e);
        }
    }

    private static void flush(Connection c, boolean postgres, PreparedStatement fact, PreparedStatement person, StringBuilder copyFacts,
            StringBuilder copyPeople) throws SQLException {
        if (!postgres) {
            fact.executeBatch();
            person.executeBatch();
            return;
        }
        try {
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            copy.copyIn("COPY recovery_score_fact (" + FACT_COLUMNS + ") FROM STDIN (FORMAT csv)", new java.io.StringReader(copyFacts.toString()));
            copy.copyIn("COPY recovery_score_person (code, person_key) FROM STDIN (FORMAT csv)", new java.io.StringReader(copyPeople.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException(e);
        }
        copyFacts.setLength(0);
        copyPeople.setLength(0);
    }

    static int count(String jdbcUrl, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM recovery_score_fact WHERE code = ?")) {
            count.setString(1, ScoreGenerator.CODE);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void analyze(String jdbcUrl, String user, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
