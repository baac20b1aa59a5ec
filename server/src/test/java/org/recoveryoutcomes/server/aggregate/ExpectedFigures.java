package org.recoveryoutcomes.server.aggregate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures $aggregate should publish, computed here from the test data with plain arithmetic — independently of
 * the server's code — following the definitions of OperationDefinition aggregate and docs/disclosure-control.md.
 * A stratum's figures are a map: measured, with-change, mean, median, standard-deviation, mean-change,
 * reliably-improved, reliably-deteriorated, percent-reliably-improved, percent-reliably-deteriorated → a number as
 * text, "masked" or "not-applicable".
 */
final class ExpectedFigures {

    static final ZoneId LONDON = ZoneId.of("Europe/London");

    private ExpectedFigures() {
    }

    /**
     * @param fromMonth  first month (year × 12 + month − 1) or null
     * @param toMonth    month after the period or null
     * @param orgs       organisation filter or null
     * @param dimensions the stratifier's dimensions (organization, year, quarter, month), empty for the group
     * @param threshold  the reliable-change threshold (higher is better) or null
     * @return figures by stratum label (dimension values joined with " | "; "" for the group)
     */
    static Map<String, Map<String, String>> of(List<ScoreData.Score> data, String code, Integer fromMonth, Integer toMonth,
            Set<String> orgs, List<String> dimensions, Double threshold) {
        List<ScoreData.Score> scores = data.stream().filter(s -> s.code().equals(code)).toList();
        Map<String, ScoreData.Score> baseline = new HashMap<>();
        for (ScoreData.Score s : scores) {
            baseline.merge(s.patient(), s, (a, b) -> a.when().isBefore(b.when()) ? a : b);
        }
        List<ScoreData.Score> inPeriod = new ArrayList<>();
        for (ScoreData.Score s : scores) {
            int m = month(s);
            if ((fromMonth == null || m >= fromMonth) && (toMonth == null || m < toMonth)
                    && (orgs == null || orgs.contains(s.organization()))) {
                inPeriod.add(s);
            }
        }
        Map<String, Set<String>> peopleByOrg = new HashMap<>();
        inPeriod.forEach(s -> peopleByOrg.computeIfAbsent(s.organization(), o -> new HashSet<>()).add(s.patient()));
        Set<String> small = new HashSet<>();
        peopleByOrg.forEach((o, people) -> {
            if (people.size() >= 1 && people.size() <= 7) {
                small.add(o);
            }
        });
        Map<String, Map<String, ScoreData.Score>> latest = new TreeMap<>();
        for (ScoreData.Score s : inPeriod) {
            if (small.contains(s.organization())) {
                continue;
            }
            latest.computeIfAbsent(label(s, dimensions), k -> new HashMap<>())
                    .merge(s.patient(), s, (a, b) -> a.when().isAfter(b.when()) ? a : b);
        }
        Map<String, Map<String, String>> out = new TreeMap<>();
        latest.forEach((label, byPerson) -> out.put(label, figures(byPerson.values(), baseline, threshold)));
        if (dimensions.equals(List.of("organization"))) {
            small.forEach(o -> out.put("Organization/" + o, masked()));
        }
        if (dimensions.isEmpty() && out.isEmpty()) {
            out.put("", figures(List.of(), baseline, threshold));
        }
        return out;
    }

    static int month(ScoreData.Score s) {
        ZonedDateTime z = s.when().atZone(LONDON);
        return z.getYear() * 12 + z.getMonthValue() - 1;
    }

    private static String label(ScoreData.Score s, List<String> dimensions) {
        ZonedDateTime z = s.when().atZone(LONDON);
        List<String> parts = new ArrayList<>();
        for (String d : dimensions) {
            parts.add(switch (d) {
                case "organization" -> s.organization().isEmpty() ? "(no organisation)" : "Organization/" + s.organization();
                case "year" -> String.format("%04d", z.getYear());
                case "quarter" -> String.format("%04d-Q%d", z.getYear(), (z.getMonthValue() - 1) / 3 + 1);
                case "month" -> String.format("%04d-%02d", z.getYear(), z.getMonthValue());
                default -> throw new IllegalArgumentException(d);
            });
        }
        return String.join(" | ", parts);
    }

    private static Map<String, String> figures(java.util.Collection<ScoreData.Score> latest, Map<String, ScoreData.Score> baseline,
            Double threshold) {
        // exact decimal arithmetic where the result is a decimal (the values have at most a few decimals)
        int n = latest.size();
        List<BigDecimal> values = latest.stream().map(s -> BigDecimal.valueOf(s.value())).sorted().toList();
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal v : values) {
            sum = sum.add(v);
        }
        BigDecimal mean = n == 0 ? null : sum.divide(BigDecimal.valueOf(n), java.math.MathContext.DECIMAL128);
        BigDecimal median = n == 0 ? null : n % 2 == 1 ? values.get(n / 2)
                : values.get(n / 2 - 1).add(values.get(n / 2)).divide(BigDecimal.valueOf(2));
        Double sd = null;
        if (n > 1) {
            double m = mean.doubleValue();
            double sq = 0;
            for (BigDecimal v : values) {
                sq += (v.doubleValue() - m) * (v.doubleValue() - m);
            }
            sd = Math.sqrt(sq / (n - 1));
        }
        int withChange = 0;
        BigDecimal changeSum = BigDecimal.ZERO;
        int improved = 0;
        int deteriorated = 0;
        for (ScoreData.Score s : latest) {
            ScoreData.Score b = baseline.get(s.patient());
            if (s.when().isAfter(b.when())) {
                withChange++;
                BigDecimal change = BigDecimal.valueOf(s.value()).subtract(BigDecimal.valueOf(b.value()));
                changeSum = changeSum.add(change);
                if (threshold != null && change.compareTo(BigDecimal.valueOf(threshold)) >= 0) {
                    improved++;
                }
                if (threshold != null && change.negate().compareTo(BigDecimal.valueOf(threshold)) >= 0) {
                    deteriorated++;
                }
            }
        }
        Map<String, String> f = new LinkedHashMap<>();
        String measured = count(n);
        String changed = count(withChange);
        f.put("measured", measured);
        f.put("with-change", changed);
        f.put("mean", statistic(mean, n));
        f.put("median", statistic(median, n));
        f.put("standard-deviation", statistic(sd == null ? null : BigDecimal.valueOf(sd), n));
        f.put("mean-change", statistic(withChange == 0 ? null
                : changeSum.divide(BigDecimal.valueOf(withChange), java.math.MathContext.DECIMAL128), withChange));
        String imp = threshold == null ? "not-applicable" : count(improved);
        String det = threshold == null ? "not-applicable" : count(deteriorated);
        f.put("reliably-improved", imp);
        f.put("reliably-deteriorated", det);
        f.put("percent-reliably-improved", percent(imp, changed));
        f.put("percent-reliably-deteriorated", percent(det, changed));
        return f;
    }

    static Map<String, String> masked() {
        Map<String, String> f = new LinkedHashMap<>();
        for (String k : List.of("measured", "with-change", "mean", "median", "standard-deviation", "mean-change",
                "reliably-improved", "reliably-deteriorated", "percent-reliably-improved", "percent-reliably-deteriorated")) {
            f.put(k, "masked");
        }
        return f;
    }

    /** 1–7 suppressed, others to the nearest 5. */
    static String count(int n) {
        if (n >= 1 && n <= 7) {
            return "masked";
        }
        return String.valueOf(Math.round(n / 5.0) * 5);
    }

    /** At least 8 people, 1 decimal. */
    static String statistic(BigDecimal v, int people) {
        if (people == 0 || v == null) {
            return "not-applicable";
        }
        return people < 8 ? "masked" : v.setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    static String percent(String numerator, String denominator) {
        if (numerator.equals("masked") || denominator.equals("masked")) {
            return "masked";
        }
        if (numerator.equals("not-applicable") || denominator.equals("0")) {
            return "not-applicable";
        }
        return new BigDecimal(numerator).multiply(BigDecimal.valueOf(100)).divide(new BigDecimal(denominator), 1, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
