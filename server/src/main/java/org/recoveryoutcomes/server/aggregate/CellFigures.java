package org.recoveryoutcomes.server.aggregate;

/**
 * The additive figures of one cube row (people whose latest score in the cell has one value): people, how many of
 * them have a later score than their baseline, the sum of their changes, how many improved / deteriorated reliably.
 * Mutable accumulator; negative figures occur in deltas.
 */
final class CellFigures {

    int people;
    int withChange;
    double changeSum;
    int improved;
    int deteriorated;

    CellFigures() {
    }

    CellFigures(int people, int withChange, double changeSum, int improved, int deteriorated) {
        this.people = people;
        this.withChange = withChange;
        this.changeSum = changeSum;
        this.improved = improved;
        this.deteriorated = deteriorated;
    }

    void add(CellFigures o, int sign) {
        people += sign * o.people;
        withChange += sign * o.withChange;
        changeSum += sign * o.changeSum;
        improved += sign * o.improved;
        deteriorated += sign * o.deteriorated;
    }

    boolean isZero() {
        return people == 0 && withChange == 0 && improved == 0 && deteriorated == 0 && Math.abs(changeSum) < ChangeRule.EPSILON;
    }

    @Override
    public String toString() {
        return "people=" + people + " withChange=" + withChange + " changeSum=" + changeSum + " improved=" + improved
                + " deteriorated=" + deteriorated;
    }
}
