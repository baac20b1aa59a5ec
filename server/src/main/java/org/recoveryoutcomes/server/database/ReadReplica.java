package org.recoveryoutcomes.server.database;

/**
 * Whether the current thread reads from the replica: set for the requests that {@link ReadReplicaRoutes} routes, and
 * read by {@link ReplicaRoutingDataSource} whenever a connection is taken. A transaction keeps the connection it began
 * with, so routing only ever applies to transactions that begin while the flag is set.
 */
final class ReadReplica {

    private static final ThreadLocal<Boolean> ROUTED = new ThreadLocal<>();

    private ReadReplica() {
    }

    static boolean routed() {
        return Boolean.TRUE.equals(ROUTED.get());
    }

    static void route() {
        ROUTED.set(Boolean.TRUE);
    }

    static void stop() {
        ROUTED.remove();
    }
}
