package org.recoveryoutcomes.server.aggregate;

import java.util.Map;
import java.util.TreeMap;

/**
 * The people of one stratum by the value of their latest score, with the change figures: everything the published
 * figures are computed from. Each person counts once per stratum.
 */
final class Histogram {

    /** Unrounded figures of a stratum; statistics are null where no person stands behind them. */
    record Figures(int people, int withChange, Double mean, Double median, Double standardDeviation, Double meanChange,
            int improved, int deteriorated) {
    }

    private final TreeMap<Double, CellFigures> byValue = new TreeMap<>();

    void add(double value, CellFigures f) {
        byValue.computeIfAbsent(value, v -> new CellFigures()).add(f, 1);
    }

    Map<Double, CellFigures> byValue() {
        return byValue;
    }

    Figures figures() {
        long n = 0;
        int withChange = 0;
        int improved = 0;
        int deteriorated = 0;
        double sum = 0;
        double changeSum = 0;
        for (Map.Entry<Double, CellFigures> e : byValue.entrySet()) {
            CellFigures f = e.getValue();
            n += f.people;
            sum += e.getKey() * f.people;
            withChange += f.withChange;
            changeSum += f.changeSum;
            improved += f.improved;
            deteriorated += f.deteriorated;
        }
        Double mean = n > 0 ? sum / n : null;
        Double sd = null;
        if (n > 1) {
            double squares = 0;
            for (Map.Entry<Double, CellFigures> e : byValue.entrySet()) {
                double d = e.getKey() - mean;
                squares += d * d * e.getValue().people;
            }
            sd = Math.sqrt(squares / (n - 1));
        }
        return new Figures((int) n, withChange, mean, n > 0 ? median(n) : null, sd,
                withChange > 0 ? changeSum / withChange : null, improved, deteriorated);
    }

    /** The middle value; the mean of the two middle values for an even number of people. */
    private double median(long n) {
        long lowRank = (n + 1) / 2; // 1-based ranks of the middle value(s)
        long highRank = n / 2 + 1;
        Double low = null;
        Double high = null;
        long seen = 0;
        for (Map.Entry<Double, CellFigures> e : byValue.entrySet()) {
            seen += e.getValue().people;
            if (low == null && seen >= lowRank) {
                low = e.getKey();
            }
            if (seen >= highRank) {
                high = e.getKey();
                break;
            }
        }
        return n % 2 == 1 ? low : (low + high) / 2;
    }
}
