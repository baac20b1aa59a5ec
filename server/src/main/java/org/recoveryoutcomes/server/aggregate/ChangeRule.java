package org.recoveryoutcomes.server.aggregate;

import java.math.BigDecimal;

/**
 * When a change (latest − baseline) of one score code is reliable: the code's direction (recovery-score CodeSystem
 * property {@code direction}) and its reliable-change threshold (settings). A change of at least the threshold in the
 * better direction is a reliable improvement, in the worse direction a reliable deterioration. Without a threshold,
 * or for a code that is not ordered, both figures are not applicable.
 */
record ChangeRule(Direction direction, BigDecimal threshold) {

    /** Scores are decimals held as doubles: 23.4 − 20.4 must still count as a change of 3. */
    static final double EPSILON = 1e-6;

    enum Direction { HIGHER_IS_BETTER, LOWER_IS_BETTER, NOT_ORDERED }

    static ChangeRule notApplicable() {
        return new ChangeRule(Direction.NOT_ORDERED, null);
    }

    boolean applicable() {
        return threshold != null && direction != Direction.NOT_ORDERED;
    }

    /** +1 reliable improvement, −1 reliable deterioration, 0 neither (or not applicable). */
    int classify(double change) {
        if (!applicable()) {
            return 0;
        }
        double t = threshold.doubleValue() - EPSILON;
        double better = direction == Direction.HIGHER_IS_BETTER ? change : -change;
        return better >= t ? 1 : better <= -t ? -1 : 0;
    }

    /** The same rule for SQL: improved when {@code change >= improvedAtLeast()} (higher is better) … */
    double improvedBound() {
        return direction == Direction.HIGHER_IS_BETTER ? threshold.doubleValue() - EPSILON : -threshold.doubleValue() + EPSILON;
    }

    double deterioratedBound() {
        return direction == Direction.HIGHER_IS_BETTER ? -threshold.doubleValue() + EPSILON : threshold.doubleValue() - EPSILON;
    }

    /** Signature of the rule, stored with the cube: a different rule means the cube must be rebuilt. */
    String signature() {
        return applicable() ? direction + ":" + threshold.stripTrailingZeros().toPlainString() : "-";
    }
}
