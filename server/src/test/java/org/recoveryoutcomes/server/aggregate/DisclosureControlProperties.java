package org.recoveryoutcomes.server.aggregate;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every disclosure-control rule of docs/disclosure-control.md, as properties over all counts and values. */
class DisclosureControlProperties {

    static final AggregateSettings DEFAULTS = new AggregateSettings(8, 5, 8, 1, Map.of(), ZoneId.of("Europe/London"), "", Duration.ofSeconds(5), true);
    final DisclosureControl sdc = new DisclosureControl(DEFAULTS);

    @Property
    @Label("counts of 1 to 7 people are masked")
    void countsOfOneToSevenAreMasked(@ForAll @IntRange(min = 1, max = 7) int n) {
        assertThat(sdc.count(n).isPublished()).isFalse();
        assertThat(sdc.count(n).absentReason()).isEqualTo("masked");
    }

    @Example
    @Label("zero people is published as 0")
    void zeroIsPublished() {
        assertThat(sdc.count(0).value()).isEqualByComparingTo("0");
    }

    @Property
    @Label("every other count is rounded to the nearest multiple of 5")
    void otherCountsAreRoundedToTheNearestFive(@ForAll @IntRange(min = 8, max = 50_000_000) int n) {
        int published = sdc.count(n).value().intValueExact();
        assertThat(published % 5).isZero();
        assertThat(Math.abs(published - n)).isLessThanOrEqualTo(2);
        assertThat(published).isGreaterThanOrEqualTo(10);
    }

    @Property
    @Label("a statistic of fewer than 8 people is masked")
    void statisticsOfFewPeopleAreMasked(@ForAll @DoubleRange(min = -1000, max = 1000) double v, @ForAll @IntRange(min = 1, max = 7) int people) {
        assertThat(sdc.statistic(v, people).absentReason()).isEqualTo("masked");
    }

    @Property
    @Label("a statistic of 8 or more people is published to one decimal")
    void statisticsOfEnoughPeopleAreRounded(@ForAll @DoubleRange(min = -1000, max = 1000) double v,
            @ForAll @IntRange(min = 8, max = 1_000_000) int people) {
        BigDecimal published = sdc.statistic(v, people).value();
        assertThat(published.scale()).isEqualTo(1);
        assertThat(published.subtract(BigDecimal.valueOf(v)).abs()).isLessThanOrEqualTo(new BigDecimal("0.05"));
    }

    @Example
    @Label("a statistic of nobody is not applicable")
    void statisticOfNobody() {
        assertThat(sdc.statistic(null, 0).absentReason()).isEqualTo("not-applicable");
    }

    @Property
    @Label("a percentage is masked when its numerator or its denominator is")
    void percentagesFollowTheirCounts(@ForAll @IntRange(min = 0, max = 100_000) int numerator, @ForAll @IntRange(min = 0, max = 100_000) int extra) {
        int denominator = numerator + extra;
        DisclosureControl.Published num = sdc.count(numerator);
        DisclosureControl.Published den = sdc.count(denominator);
        DisclosureControl.Published pct = sdc.percentage(num, den);
        if (!num.isPublished() || !den.isPublished()) {
            assertThat(pct.absentReason()).isEqualTo("masked");
        } else if (den.value().signum() == 0) {
            assertThat(pct.absentReason()).isEqualTo("not-applicable");
        } else {
            // from the published counts: it reveals nothing they do not
            BigDecimal expected = num.value().multiply(BigDecimal.valueOf(100)).divide(den.value(), 1, java.math.RoundingMode.HALF_UP);
            assertThat(pct.value()).isEqualByComparingTo(expected);
        }
    }

    /**
     * Differencing: two requests whose populations differ by one small group (1–7 people) — say an organisation, or the
     * people measured in one extra month — publish counts that fit at least two different sizes of that group, so the
     * size is never revealed exactly.
     */
    @Property
    @Label("the published difference of two counts never reveals the exact size of a group of 1 to 7")
    void differencingNeverRevealsASmallGroup(@ForAll @IntRange(min = 0, max = 1_000_000) int n, @ForAll @IntRange(min = 1, max = 7) int k) {
        DisclosureControl.Published without = sdc.count(n);
        DisclosureControl.Published with = sdc.count(n + k);
        Set<Integer> sizes = new HashSet<>();
        for (int m = Math.max(0, n - 20); m <= n + 20; m++) {
            if (!sdc.count(m).equals(without)) {
                continue;
            }
            for (int j = 0; j <= 7; j++) {
                if (sdc.count(m + j).equals(with)) {
                    sizes.add(j);
                }
            }
        }
        assertThat(sizes).contains(k).hasSizeGreaterThanOrEqualTo(2);
    }
}
