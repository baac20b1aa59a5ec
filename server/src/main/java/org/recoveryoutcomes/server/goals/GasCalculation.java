package org.recoveryoutcomes.server.goals;

import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GAS T-score of a person as of a day, from their Goals and ratings (pure: no storage).
 * <p>
 * A goal takes part when it is {@code active}, has not started after the day, and either is a GAS goal or has been
 * rated. Its level is its latest counting rating dated on or before the day (ties: the later stored). Then
 * T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²), reported to 6 decimal places (trailing zeros dropped).
 * Active GAS goals without a rating by then are listed as unrated and take no part in T.
 */
final class GasCalculation {

    /** Decimal places of the reported T-score: enough for any hand check, no binary floating-point noise. */
    static final int SCALE = 6;

    record ScoredGoal(Goal goal, BigDecimal weight, int level, Observation rating) {
    }

    record Outcome(BigDecimal tScore, List<ScoredGoal> scored, List<Goal> unrated) {
        Optional<BigDecimal> t() {
            return Optional.ofNullable(tScore);
        }

        /** The latest rating used (its date is the T-score's date). */
        Optional<Observation> latestRating(ZoneId zone) {
            return scored.stream().map(ScoredGoal::rating).max(byTime(zone));
        }
    }

    private GasCalculation() {
    }

    static Outcome asOf(List<Goal> goals, List<Observation> ratings, LocalDate day, ZoneId zone, BigDecimal rho) {
        Map<String, Observation> latest = new LinkedHashMap<>();
        ratings.stream()
                .filter(Gas::counts)
                .filter(r -> r.hasEffectiveDateTimeType() && !Gas.day(r.getEffectiveDateTimeType(), zone).isAfter(day))
                .filter(r -> Gas.level(r).isPresent())
                .sorted(byTime(zone))
                .forEach(r -> Gas.focusGoal(r).ifPresent(g -> latest.put(g.getIdPart(), r)));

        List<ScoredGoal> scored = new ArrayList<>();
        List<Goal> unrated = new ArrayList<>();
        goals.stream().sorted(Comparator.comparing(GasCalculation::startOrMin).thenComparing(g -> g.getIdElement().getIdPart(), ID_ORDER))
                .filter(g -> g.getLifecycleStatus() == Goal.GoalLifecycleStatus.ACTIVE)
                .filter(g -> !g.hasStartDateType() || !Gas.day(g.getStartDateType(), zone).isAfter(day))
                .forEach(g -> {
                    Observation r = latest.get(g.getIdElement().getIdPart());
                    if (r != null) {
                        scored.add(new ScoredGoal(g, Gas.weight(g), Gas.level(r).orElseThrow(), r));
                    } else if (Gas.isGasGoal(g)) {
                        unrated.add(g);
                    }
                });
        return new Outcome(scored.isEmpty() ? null : tScore(scored, rho), scored, unrated);
    }

    /** T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²). */
    static BigDecimal tScore(List<ScoredGoal> goals, BigDecimal rho) {
        BigDecimal sumWx = BigDecimal.ZERO;
        BigDecimal sumW = BigDecimal.ZERO;
        BigDecimal sumW2 = BigDecimal.ZERO;
        for (ScoredGoal g : goals) {
            sumWx = sumWx.add(g.weight().multiply(BigDecimal.valueOf(g.level())));
            sumW = sumW.add(g.weight());
            sumW2 = sumW2.add(g.weight().multiply(g.weight()));
        }
        MathContext mc = MathContext.DECIMAL64;
        BigDecimal denominator = BigDecimal.ONE.subtract(rho).multiply(sumW2).add(rho.multiply(sumW.multiply(sumW))).sqrt(mc);
        BigDecimal t = BigDecimal.valueOf(50).add(BigDecimal.TEN.multiply(sumWx).divide(denominator, mc));
        return present(t);
    }

    /** Rounded to {@link #SCALE} places, trailing zeros dropped, at least one decimal place (60 → 60.0). */
    static BigDecimal present(BigDecimal t) {
        BigDecimal r = t.setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return r.scale() < 1 ? r.setScale(1, RoundingMode.UNNECESSARY) : r;
    }

    static Comparator<Observation> byTime(ZoneId zone) {
        return Comparator.comparing((Observation o) -> Gas.instant(o.getEffectiveDateTimeType(), zone))
                .thenComparing(o -> o.getMeta().getLastUpdated(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(o -> o.getIdElement().getIdPart(), Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    private static LocalDate startOrMin(Goal g) {
        return g.hasStartDateType() ? LocalDate.of(g.getStartDateType().getYear(), g.getStartDateType().getMonth() + 1,
                g.getStartDateType().getDay()) : LocalDate.MIN;
    }

    /** Server-assigned ids are numbers: order them as numbers, others as text after them. */
    static final Comparator<String> ID_ORDER = Comparator.nullsLast((a, b) -> {
        boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
        boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
        if (na && nb) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        return na ? -1 : nb ? 1 : a.compareTo(b);
    });

    static String ref(IdType id) {
        return id.getResourceType() + "/" + id.getIdPart();
    }
}
