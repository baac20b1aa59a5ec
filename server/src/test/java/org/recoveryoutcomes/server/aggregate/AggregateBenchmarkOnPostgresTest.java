package org.recoveryoutcomes.server.aggregate;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.recoveryoutcomes.server.testing.PostgresServerTest;

/** The benchmark on PostgreSQL (a fresh test cluster: the facts are loaded on every run). Skipped unless -Drecovery.bench=true. */
@EnabledIfSystemProperty(named = "recovery.bench", matches = "true")
@PostgresServerTest
class AggregateBenchmarkOnPostgresTest extends AggregateBenchmark {
}
