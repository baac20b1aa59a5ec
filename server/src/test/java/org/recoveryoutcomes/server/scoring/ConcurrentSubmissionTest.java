package org.recoveryoutcomes.server.scoring;

import org.recoveryoutcomes.server.testing.ServerTest;

/** {@link ConcurrentSubmissionContract} on the embedded H2 database. */
@ServerTest
class ConcurrentSubmissionTest extends ConcurrentSubmissionContract {
}
