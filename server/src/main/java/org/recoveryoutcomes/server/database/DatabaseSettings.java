package org.recoveryoutcomes.server.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the database layer.
 *
 * @param migrateSchema      create and upgrade HAPI's tables with HAPI's own migration tasks at start-up, before
 *                           Hibernate starts (the postgres profile); when false Hibernate's {@code hbm2ddl} manages
 *                           them (the embedded H2 default)
 * @param conformanceRefresh how often a node looks for conformance resources changed through another node; changes
 *                           take effect within this interval or HAPI's 10 s refresh tick, whichever is longer
 * @param replica            a PostgreSQL read replica for read-only work (off unless its URL is set)
 * @param h2QueryCacheSize   statements each embedded-H2 connection keeps parsed (H2's own default is 8: a write that
 *                           stores a response with its score Observations and facts uses several times that many, and
 *                           H2 parsed them again on every write); ignored for PostgreSQL
 */
@ConfigurationProperties("recovery.database")
record DatabaseSettings(
        @DefaultValue("false") boolean migrateSchema,
        @DefaultValue("5s") Duration conformanceRefresh,
        @DefaultValue Replica replica,
        @DefaultValue("128") int h2QueryCacheSize) {

    /** What may be routed to the replica: the operations by name, and {@value #SEARCH} for type searches. */
    static final String SEARCH = "search";

    /**
     * A read replica (a hot standby of the primary, e.g. streaming replication). Routed requests read data that may
     * be behind the primary by the replication lag.
     *
     * @param url               JDBC URL of the replica; blank: no replica, everything on the primary
     * @param username          its user (a read-only role is enough)
     * @param password          its password
     * @param maximumPoolSize   connections to the replica per node
     * @param connectionTimeout how long a routed request waits for a replica connection before it fails with 503
     * @param routes            what is read from the replica: {@code $aggregate}, {@code $recovery-profile} (operations
     *                          by name) and {@code search} (type-level searches, which are then paged by offset)
     */
    record Replica(
            String url,
            String username,
            String password,
            @DefaultValue("10") int maximumPoolSize,
            @DefaultValue("5s") Duration connectionTimeout,
            @DefaultValue({"$aggregate", "$recovery-profile", SEARCH}) List<String> routes) {

        boolean enabled() {
            return url != null && !url.isBlank();
        }
    }
}
