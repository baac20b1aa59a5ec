package org.recoveryoutcomes.server.profile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.goals.RestFhir;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.stream.Stream;

/** The golden recovery-profile scenarios against the default (H2) server. */
@ServerTest
class RecoveryProfileGoldenTest {

    @LocalServerPort
    int port;

    private RestFhir fhir;

    @BeforeEach
    void client() {
        fhir = new RestFhir(port);
    }

    static Stream<String> scenarios() throws IOException, URISyntaxException {
        return ProfileScenario.all();
    }

    @ParameterizedTest(name = "{0} gives the hand-calculated profile")
    @MethodSource("scenarios")
    void theProfileMatchesTheHandCalculation(String scenario) throws IOException {
        ProfileScenario.run(fhir, scenario);
    }
}
