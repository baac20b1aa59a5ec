package org.recoveryoutcomes.server.aggregate;

/**
 * Time cells of the cube. A bucket is derived from the month index (year × 12 + month − 1) of a score's date.
 * {@link #EVER} and {@link #LATEST} are special: their one cell per person is the person's latest score ever, in one
 * bucket (0) for all time, or filed under that score's month (for periods that start in some month and never end).
 * The comment in V6_1__score_facts.sql predates {@link #EVER} and lists only L: an applied migration's text must not
 * change (Flyway checks its checksum at every start), and the grain column takes any code.
 */
enum Grain {
    MONTH('M', 1, "month"),
    QUARTER('Q', 3, "quarter"),
    YEAR('Y', 12, "year"),
    LATEST('L', 1, null),
    EVER('A', 1, null);

    final char code;
    final int months;
    final String dimension;

    Grain(char code, int months, String dimension) {
        this.code = code;
        this.months = months;
        this.dimension = dimension;
    }

    int bucket(int monthIndex) {
        return Math.floorDiv(monthIndex, months);
    }

    int firstMonth(int bucket) {
        return bucket * months;
    }

    String label(int bucket) {
        return switch (this) {
            case MONTH, LATEST, EVER -> String.format("%04d-%02d", Math.floorDiv(bucket, 12), Math.floorMod(bucket, 12) + 1);
            case QUARTER -> String.format("%04d-Q%d", Math.floorDiv(bucket, 4), Math.floorMod(bucket, 4) + 1);
            case YEAR -> String.format("%04d", bucket);
        };
    }

    static Grain ofDimension(String dimension) {
        for (Grain g : values()) {
            if (dimension.equals(g.dimension)) {
                return g;
            }
        }
        return null;
    }

    static Grain ofCode(char code) {
        for (Grain g : values()) {
            if (g.code == code) {
                return g;
            }
        }
        throw new IllegalArgumentException("grain " + code);
    }
}
