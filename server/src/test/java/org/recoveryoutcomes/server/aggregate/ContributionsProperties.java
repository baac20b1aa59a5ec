package org.recoveryoutcomes.server.aggregate;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** One person's cube contributions, against the definitions stated independently here. */
class ContributionsProperties {

    static final ChangeRule WEMWBS = new ChangeRule(ChangeRule.Direction.HIGHER_IS_BETTER, new BigDecimal("9"));

    @Provide
    Arbitrary<List<ScoreFact>> personFacts() {
        Arbitrary<ScoreFact> fact = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'f').ofLength(8),
                Arbitraries.of("o1", "o2", ""),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(14, 70))
                .as((key, org, month, value) -> new ScoreFact(key, "wemwbs-total", 1L, org,
                        (1995L * 12 + month) * 1000 + key.hashCode() % 500, 1995 * 12 + month, value));
        return fact.list().ofMinSize(0).ofMaxSize(12).uniqueElements(ScoreFact::factKey);
    }

    @Property
    @Label("before plus the delta is after")
    void deltasAddUp(@ForAll("personFacts") List<ScoreFact> before, @ForAll("personFacts") List<ScoreFact> after) {
        Map<CubeKey, CellFigures> b = Contributions.of(before, WEMWBS);
        Map<CubeKey, CellFigures> a = Contributions.of(after, WEMWBS);
        Map<CubeKey, CellFigures> sum = new TreeMap<>();
        b.forEach((k, v) -> sum.computeIfAbsent(k, x -> new CellFigures()).add(v, 1));
        Contributions.delta(b, a).forEach((k, v) -> sum.computeIfAbsent(k, x -> new CellFigures()).add(v, 1));
        sum.values().removeIf(CellFigures::isZero);
        assertThat(sum.keySet()).isEqualTo(a.keySet());
        a.forEach((k, v) -> assertThat(sum.get(k).toString()).isEqualTo(v.toString()));
    }

    @Property
    @Label("a person counts once per cell, with their latest score there, changed against their first score ever")
    void onePersonCountsOncePerCell(@ForAll("personFacts") List<ScoreFact> facts) {
        Map<CubeKey, CellFigures> c = Contributions.of(facts, WEMWBS);
        ScoreFact first = facts.stream().min(ScoreFact.ORDER).orElse(null);
        Map<String, ScoreFact> latest = new HashMap<>();
        for (ScoreFact f : facts) {
            for (String scope : List.of("*", f.organizationId())) {
                for (String cell : List.of("M" + f.monthIndex(), "Q" + f.monthIndex() / 3, "Y" + f.monthIndex() / 12, "L", "A")) {
                    latest.merge(scope + "/" + cell, f, (x, y) -> ScoreFact.ORDER.compare(x, y) >= 0 ? x : y);
                }
            }
        }
        int people = 0;
        for (CellFigures f : c.values()) {
            people += f.people;
        }
        assertThat(people).isEqualTo(latest.size());
        Set<String> seen = new HashSet<>();
        latest.forEach((cell, f) -> {
            String scope = cell.substring(0, cell.indexOf('/'));
            String g = cell.substring(cell.indexOf('/') + 1);
            Grain grain = Grain.ofCode(g.charAt(0));
            int bucket = grain == Grain.LATEST ? f.monthIndex() : grain == Grain.EVER ? 0 : Integer.parseInt(g.substring(1));
            CellFigures figures = c.get(new CubeKey(scope, grain, bucket, f.value()));
            assertThat(figures).as(cell).isNotNull();
            boolean later = f.effective() > first.effective();
            if (seen.add(cell)) {
                assertThat(figures.withChange).as(cell).isGreaterThanOrEqualTo(later ? 1 : 0);
            }
        });
        List<ScoreFact> none = new ArrayList<>();
        assertThat(Contributions.of(none, WEMWBS)).isEmpty();
    }

    @Property
    @Label("a change of at least the threshold is reliable, in the direction of the score")
    void reliableChange(@ForAll("changes") double change) {
        int c = WEMWBS.classify(change);
        assertThat(c).isEqualTo(change >= 9 ? 1 : change <= -9 ? -1 : 0);
        ChangeRule lower = new ChangeRule(ChangeRule.Direction.LOWER_IS_BETTER, new BigDecimal("9"));
        assertThat(lower.classify(change)).isEqualTo(-c);
        assertThat(ChangeRule.notApplicable().classify(change)).isZero();
    }

    @Provide
    Arbitrary<Double> changes() {
        return Arbitraries.integers().between(-56, 56).map(Integer::doubleValue);
    }
}
