package org.recoveryoutcomes.server.profile;

import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.goals.RestFhir;
import org.recoveryoutcomes.server.testing.PostgresServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;

/** The main scenario (goals, ratings, two WEMWBS questionnaire responses six months apart, a hospital stay) on PostgreSQL. */
@PostgresServerTest
class RecoveryProfilePostgresTest {

    @LocalServerPort
    int port;

    @Test
    void theProfileOfAPersonWithGoalsTwoWemwbsResponsesAndAHospitalStayMatchesTheHandCalculationOnPostgres() throws IOException {
        ProfileScenario.run(new RestFhir(port), "goals-two-wemwbs-responses-and-a-hospital-stay.json");
    }
}
