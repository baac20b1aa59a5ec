package org.recoveryoutcomes.server.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one person's scores of one code contribute to the cube. This is the definition of the figures:
 * <ul>
 * <li>baseline: the person's first score ever with this code (any organisation, any date);</li>
 * <li>for every cell (organisation or any organisation × month, quarter, year, or ever), the person counts once,
 *     with their latest score in the cell;</li>
 * <li>that latest score has a change when it is later than the baseline: change = latest − baseline, reliable per
 *     {@link ChangeRule}.</li>
 * </ul>
 * The general SQL query of {@link FactQueries} computes the same figures straight from the facts.
 */
final class Contributions {

    private Contributions() {
    }

    /** @param facts one person's facts of one code, in any order */
    static Map<CubeKey, CellFigures> of(List<ScoreFact> facts, ChangeRule rule) {
        Map<CubeKey, CellFigures> out = new TreeMap<>();
        if (facts.isEmpty()) {
            return out;
        }
        List<ScoreFact> ordered = new ArrayList<>(facts);
        ordered.sort(ScoreFact.ORDER);
        ScoreFact baseline = ordered.get(0);
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(CubeKey.ANY_ORGANISATION);
        ordered.forEach(f -> scopes.add(f.organizationId()));
        for (String scope : scopes) {
            // latest per (grain, bucket): later facts overwrite earlier ones
            Map<Grain, Map<Integer, ScoreFact>> latest = new HashMap<>();
            for (ScoreFact f : ordered) {
                if (!scope.equals(CubeKey.ANY_ORGANISATION) && !scope.equals(f.organizationId())) {
                    continue;
                }
                for (Grain g : Grain.values()) {
                    int bucket = g == Grain.LATEST || g == Grain.EVER ? 0 : g.bucket(f.monthIndex());
                    latest.computeIfAbsent(g, x -> new HashMap<>()).put(bucket, f);
                }
            }
            latest.forEach((grain, byBucket) -> byBucket.forEach((bucket, f) -> {
                int cellBucket = grain == Grain.LATEST ? f.monthIndex() : bucket;
                CubeKey key = new CubeKey(scope, grain, cellBucket, f.value());
                out.computeIfAbsent(key, k -> new CellFigures()).add(figures(f, baseline, rule), 1);
            }));
        }
        return out;
    }

    static CellFigures figures(ScoreFact latest, ScoreFact baseline, ChangeRule rule) {
        if (latest.effective() <= baseline.effective()) {
            return new CellFigures(1, 0, 0, 0, 0);
        }
        double change = latest.value() - baseline.value();
        int c = rule.classify(change);
        return new CellFigures(1, 1, change, c > 0 ? 1 : 0, c < 0 ? 1 : 0);
    }

    /** after − before, without the keys that do not change. */
    static Map<CubeKey, CellFigures> delta(Map<CubeKey, CellFigures> before, Map<CubeKey, CellFigures> after) {
        Map<CubeKey, CellFigures> out = new TreeMap<>();
        after.forEach((k, v) -> out.computeIfAbsent(k, x -> new CellFigures()).add(v, 1));
        before.forEach((k, v) -> out.computeIfAbsent(k, x -> new CellFigures()).add(v, -1));
        out.values().removeIf(CellFigures::isZero);
        return out;
    }
}
