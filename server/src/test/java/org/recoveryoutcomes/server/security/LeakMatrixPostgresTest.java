package org.recoveryoutcomes.server.security;

import org.junit.jupiter.params.provider.Arguments;
import org.recoveryoutcomes.server.testing.PostgresServerTest;

import java.util.List;
import java.util.stream.Stream;

/**
 * The leak matrix on PostgreSQL, for the routes whose protection depends on the SQL that HAPI generates (narrowed and
 * chained searches, totals, includes, history, $everything, conditional writes, transactions, paging, export) and the
 * two attackers whose reach is a condition in that SQL (a patient, an organisation). Reads by id and the project's
 * operations are decided in Java and stay with {@link LeakMatrixTest} on H2.
 */
@PostgresServerTest
class LeakMatrixPostgresTest extends LeakMatrixTest {

    static final List<String> SQL_ROUTES = List.of("search", "include", "everything", "history", "batch", "transaction",
            "conditional", "If-None-Exist", "paging", "$export");

    /** Hides {@link LeakMatrixTest#cells()}: JUnit looks the method source up from this class. */
    static Stream<Arguments> cells() {
        return Stream.of("patient A", "organisation A").flatMap(attacker -> routes().stream()
                .filter(route -> SQL_ROUTES.stream().anyMatch(route.name()::contains))
                .map(route -> Arguments.of(attacker, route)));
    }
}
