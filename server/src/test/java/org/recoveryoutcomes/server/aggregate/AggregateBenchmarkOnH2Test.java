package org.recoveryoutcomes.server.aggregate;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;

/** The benchmark on the default database, an H2 file (kept under target/bench between runs). */
@EnabledIfSystemProperty(named = "recovery.bench", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:file:./target/bench/h2/recovery;DB_CLOSE_ON_EXIT=FALSE",
})
class AggregateBenchmarkOnH2Test extends AggregateBenchmark {
}
