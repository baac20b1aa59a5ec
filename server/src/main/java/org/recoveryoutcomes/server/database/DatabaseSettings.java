package org.recoveryoutcomes.server.database;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the database layer.
 *
 * @param migrateSchema      create and upgrade HAPI's tables with HAPI's own migration tasks at start-up, before
 *                           Hibernate starts (the postgres profile); when false Hibernate's {@code hbm2ddl} manages
 *                           them (the embedded H2 default)
 * @param conformanceRefresh how often a node looks for conformance resources changed through another node; changes
 *                           take effect within this interval or HAPI's 10 s refresh tick, whichever is longer
 */
@ConfigurationProperties("recovery.database")
record DatabaseSettings(
        @DefaultValue("false") boolean migrateSchema,
        @DefaultValue("5s") Duration conformanceRefresh) {
}
