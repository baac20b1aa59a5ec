package org.recoveryoutcomes.testdata.region;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The random source of one generated thing (a person, an organisation). Each is seeded from the region seed and the
 * thing's own number, so a person comes out the same whatever bundle size or order they are generated in.
 * SplitMix64 and StrictMath are fully specified, so output does not depend on the JDK or the CPU.
 */
final class Dice {

    private final SplittableRandom random;

    private Dice(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static Dice of(long regionSeed, String stream, long number) {
        long h = regionSeed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < stream.length(); i++) {
            h = (h ^ stream.charAt(i)) * 0x100000001B3L;
        }
        return new Dice(h ^ (number * 0xC2B2AE3D27D4EB4FL));
    }

    double uniform() {
        return random.nextDouble();
    }

    /** Whole number from {@code low} to {@code high}, both included. */
    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** Standard normal (Box–Muller; one value per call keeps the stream simple to reason about). */
    double normal() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Poisson count (Knuth); the generator only asks for small means. */
    int poisson(double mean) {
        double limit = StrictMath.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static double logistic(double x) {
        return 1.0 / (1.0 + StrictMath.exp(-x));
    }
}
