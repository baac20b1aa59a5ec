package org.recoveryoutcomes.server.aggregate;

import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Statistical disclosure control of every published figure (docs/disclosure-control.md):
 * <ol>
 * <li>a count of 1 to {@code smallCountBelow − 1} people is suppressed (masked); 0 is published;</li>
 * <li>every other count is rounded to the nearest multiple of {@code roundTo} (halves up);</li>
 * <li>a mean, median, standard deviation or mean change is published only when at least
 *     {@code minPeopleForStatistics} people stand behind it, rounded to {@code decimals};</li>
 * <li>a percentage is published only when its numerator and denominator are, and is computed from their published
 *     (rounded) values, so it reveals nothing the counts do not.</li>
 * </ol>
 */
@Component
class DisclosureControl {

    /** A published figure: a value, or why there is none (a data-absent-reason code). */
    record Published(BigDecimal value, String absentReason) {

        static final String MASKED = "masked";
        static final String NOT_APPLICABLE = "not-applicable";

        static Published of(BigDecimal v) {
            return new Published(v, null);
        }

        static Published absent(String reason) {
            return new Published(null, reason);
        }

        boolean isPublished() {
            return value != null;
        }
    }

    private final int smallCountBelow;
    private final int roundTo;
    private final int minPeopleForStatistics;
    private final int decimals;

    DisclosureControl(AggregateSettings settings) {
        this.smallCountBelow = settings.smallCountBelow();
        this.roundTo = settings.roundTo();
        this.minPeopleForStatistics = settings.minPeopleForStatistics();
        this.decimals = settings.decimals();
    }

    boolean isSmall(int count) {
        return count > 0 && count < smallCountBelow;
    }

    Published count(int count) {
        if (isSmall(count)) {
            return Published.absent(Published.MASKED);
        }
        long rounded = Math.floorDiv(count + roundTo / 2, roundTo) * (long) roundTo;
        return Published.of(BigDecimal.valueOf(rounded));
    }

    /** @param people how many people the statistic is computed from */
    Published statistic(Double value, int people) {
        if (people == 0 || value == null) {
            return Published.absent(Published.NOT_APPLICABLE);
        }
        if (people < minPeopleForStatistics) {
            return Published.absent(Published.MASKED);
        }
        // first to 9 decimals: sums of doubles are a few ulps off (20.4499999999 is 20.45, which rounds to 20.5)
        return Published.of(BigDecimal.valueOf(value).setScale(9, RoundingMode.HALF_UP).setScale(decimals, RoundingMode.HALF_UP));
    }

    /** numerator / denominator × 100 from the published counts. */
    Published percentage(Published numerator, Published denominator) {
        if (Published.MASKED.equals(numerator.absentReason()) || Published.MASKED.equals(denominator.absentReason())) {
            return Published.absent(Published.MASKED);
        }
        if (!numerator.isPublished() || !denominator.isPublished() || denominator.value().signum() == 0) {
            return Published.absent(Published.NOT_APPLICABLE);
        }
        return Published.of(numerator.value().multiply(BigDecimal.valueOf(100))
                .divide(denominator.value(), decimals, RoundingMode.HALF_UP));
    }
}
