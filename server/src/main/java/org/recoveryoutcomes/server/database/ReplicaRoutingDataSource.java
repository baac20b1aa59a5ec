package org.recoveryoutcomes.server.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The application's DataSource when a replica is configured: connections come from the primary's pool, or from the
 * replica's pool while the thread is routed ({@link ReadReplica}). Everything that is not routed (every write, the
 * audit trail, HAPI's jobs) uses the primary.
 */
final class ReplicaRoutingDataSource extends DelegatingDataSource implements AutoCloseable {

    private final HikariDataSource replica;

    ReplicaRoutingDataSource(DataSource primary, HikariDataSource replica) {
        super(primary);
        this.replica = replica;
    }

    DataSource primary() {
        return obtainTargetDataSource();
    }

    HikariDataSource replica() {
        return replica;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return ReadReplica.routed() ? replica.getConnection() : primary().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return ReadReplica.routed() ? replica.getConnection(username, password) : primary().getConnection(username, password);
    }

    @Override
    public void close() throws Exception {
        replica.close();
        if (primary() instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
