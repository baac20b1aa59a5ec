package org.recoveryoutcomes.server.organisation;

import org.recoveryoutcomes.server.testing.PostgresServerTest;

/** Organization/$recovery-indicators on PostgreSQL: the scenarios of {@link RecoveryIndicatorsScenarios}. */
@PostgresServerTest
class RecoveryIndicatorsOnPostgresTest extends RecoveryIndicatorsScenarios {
}
