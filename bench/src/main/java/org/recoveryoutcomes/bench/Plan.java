package org.recoveryoutcomes.bench;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How much each benchmark does: the full suite (the figures of docs/performance.md) or {@code --quick}, a reduced run
 * for checking a change (shorter windows, 100,000 instead of 1,000,000 score facts; its files go to bench/target/quick).
 */
record Plan(boolean quick, Set<String> sections, boolean jfr,
            int clients, Duration warmUp, Duration measure, int warmUpPatients, int patients,
            int jmhForks, int jmhWarmups, int jmhIterations, Duration jmhTime,
            int profilePeople, int profileWarmUps, int profileCalls,
            int facts, int scoresEach, int organisations, int pagingPeople, int pagingRuns, int aggregateWarmUps, int aggregateRuns) {

    static final List<String> SECTIONS = List.of("score", "ingest", "profile", "aggregate-h2", "aggregate-pg", "soak");
    static final String SERVER_HEAP = "-Xmx1g";

    static Plan full(Set<String> sections, boolean jfr) {
        return new Plan(false, sections, jfr,
                4, Duration.ofSeconds(30), Duration.ofSeconds(60), 4_000, 60_000,
                1, 5, 10, Duration.ofSeconds(2),
                20, 20, 400,
                1_000_000, 10, 20, 2_000, 3, 5, 25);
    }

    static Plan quick(Set<String> sections, boolean jfr) {
        return new Plan(true, sections, jfr,
                4, Duration.ofSeconds(10), Duration.ofSeconds(15), 1_000, 15_000,
                1, 2, 3, Duration.ofSeconds(1),
                4, 5, 60,
                100_000, 10, 20, 300, 1, 2, 10);
    }

    boolean runs(String section) {
        return sections.contains(section);
    }
}
