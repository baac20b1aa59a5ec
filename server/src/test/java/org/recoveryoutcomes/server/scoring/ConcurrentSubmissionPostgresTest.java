package org.recoveryoutcomes.server.scoring;

import org.recoveryoutcomes.server.testing.PostgresServerTest;

/** {@link ConcurrentSubmissionContract} on PostgreSQL. */
@PostgresServerTest
class ConcurrentSubmissionPostgresTest extends ConcurrentSubmissionContract {
}
