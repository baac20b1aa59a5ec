package org.recoveryoutcomes.server.aggregate;

import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Mean, median and standard deviation from a histogram equal those of the plain list of values. */
class HistogramProperties {

    @Property
    @Label("figures of a histogram equal those of the values it counts")
    void figuresEqualThoseOfTheValues(@ForAll @Size(min = 1, max = 200) List<@IntRange(min = 14, max = 70) Integer> values) {
        Histogram h = new Histogram();
        values.forEach(v -> h.add(v, new CellFigures(1, 0, 0, 0, 0)));
        Histogram.Figures f = h.figures();
        List<Integer> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double mean = sorted.stream().mapToInt(Integer::intValue).sum() / (double) n;
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        assertThat(f.people()).isEqualTo(n);
        assertThat(f.mean()).isCloseTo(mean, within(1e-9));
        assertThat(f.median()).isEqualTo(median);
        if (n > 1) {
            double sq = 0;
            for (int v : sorted) {
                sq += (v - mean) * (v - mean);
            }
            assertThat(f.standardDeviation()).isCloseTo(Math.sqrt(sq / (n - 1)), within(1e-9));
        } else {
            assertThat(f.standardDeviation()).isNull();
        }
    }
}
