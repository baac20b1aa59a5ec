package org.recoveryoutcomes.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of one run (the keys of bench/results.json) and what else each benchmark observed, for the document. */
final class Results {

    static final List<String> KEYS = List.of("ingest_plain_per_s", "ingest_pipeline_per_s", "ingest_ratio", "score_p50_ms",
            "profile_p50_ms", "aggregate_1m_p50_ms_h2", "aggregate_1m_p50_ms_pg", "aggregate_vs_paging_ratio", "startup_s", "rss_mb",
            "soak_requests", "soak_errors", "soak_p50_ms", "soak_p95_ms", "soak_p99_ms", "soak_heap_first_mb", "soak_heap_last_mb",
            "soak_heap_slope_mb_per_min");

    /** A figure's target, if it has one: {@code atLeast} true for "≥". */
    record Target(double value, boolean atLeast, String source) {
        boolean met(double v) {
            return atLeast ? v >= value : v < value;
        }

        String text() {
            return (atLeast ? "≥ " : "< ") + Report.number(value);
        }
    }

    static final Map<String, Target> TARGETS = Map.of(
            "ingest_ratio", new Target(0.70, true, "issue 4"),
            "score_p50_ms", new Target(0.5, false, "issue 4"),
            "aggregate_1m_p50_ms_h2", new Target(300, false, "issue 6"),
            "aggregate_1m_p50_ms_pg", new Target(300, false, "issue 6"),
            "soak_errors", new Target(1, false, "issue 10"));

    private final Map<String, Double> figures = new LinkedHashMap<>();
    /** section → observations ("4 clients, 0 errors, p50 9.1 ms ...") */
    private final Map<String, List<String>> notes = new LinkedHashMap<>();

    Results() {
        KEYS.forEach(k -> figures.put(k, null));
    }

    void put(String key, double value) {
        if (!figures.containsKey(key)) {
            throw new IllegalArgumentException("not a result key: " + key);
        }
        figures.put(key, value);
    }

    Double get(String key) {
        return figures.get(key);
    }

    Map<String, Double> figures() {
        return figures;
    }

    void note(String section, String format, Object... args) {
        String text = String.format(format, args);
        notes.computeIfAbsent(section, s -> new ArrayList<>()).add(text);
        System.out.println("  " + text);
    }

    List<String> notes(String section) {
        return notes.getOrDefault(section, List.of());
    }

    /** The p-th percentile (0–100, nearest rank) of durations in nanoseconds, in milliseconds. */
    static double percentileMs(long[] nanos, double p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}
