package org.recoveryoutcomes.server.organisation;

import org.recoveryoutcomes.server.testing.ServerTest;

/** Organization/$recovery-indicators on the embedded H2 database: the scenarios of {@link RecoveryIndicatorsScenarios}. */
@ServerTest
class RecoveryIndicatorsOperationTest extends RecoveryIndicatorsScenarios {
}
