package org.recoveryoutcomes.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Work a server has accepted but not finished: audit events waiting in the outbox for the relay, score-cube deltas
 * waiting for the compactor. Read over JDBC while the server runs (its H2 database is opened with AUTO_SERVER, so a
 * second process may connect). A throughput that leaves this growing is not sustained.
 */
final class Backlog {

    private final String jdbcUrl;

    Backlog(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    long pending() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement st = c.createStatement()) {
            return count(st, "recovery_audit_outbox") + count(st, "recovery_score_cube_delta");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the server's backlog at " + jdbcUrl, e);
        }
    }

    /** Waits until nothing is pending; returns the seconds it took. */
    double drain() {
        long t0 = System.nanoTime();
        long deadline = t0 + 15L * 60 * 1_000_000_000L;
        while (pending() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server's backlog did not drain within 15 minutes");
            }
            ServerProcess.sleep(200);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
