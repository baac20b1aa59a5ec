package org.recoveryoutcomes.server.aggregate;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.recoveryoutcomes.server.testing.AllAccessToken;
import org.recoveryoutcomes.server.testing.RestAssuredReset;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The benchmark on the default database, an H2 file (kept under target/bench between runs). Skipped unless
 * -Drecovery.bench=true. Like {@code @ServerTest}, the server trusts the test issuer and requests carry an all-access
 * token; unlike it, the database is a file and the Spring context is its own.
 */
@EnabledIfSystemProperty(named = "recovery.bench", matches = "true")
@ExtendWith({RestAssuredReset.class, AllAccessToken.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:file:./target/bench/h2/recovery;DB_CLOSE_ON_EXIT=FALSE",
        "recovery.demo.enabled=false",
        TestTokens.ISSUER_PROPERTY, TestTokens.JWKS_PROPERTY, TestTokens.AUDIENCE_PROPERTY,
})
class AggregateBenchmarkOnH2Test extends AggregateBenchmark {
}
