package org.recoveryoutcomes.server.aggregate;

import org.recoveryoutcomes.server.testing.PostgresServerTest;

/** The same scenarios as {@link AggregateOperationTest}, on PostgreSQL: read model, cube, rollback and rebuild. */
@PostgresServerTest
class AggregateOnPostgresTest extends AggregateScenarios {
}
