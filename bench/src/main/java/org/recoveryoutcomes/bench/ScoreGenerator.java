package org.recoveryoutcomes.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's population (as feat/aggregate's ScoreFactLoader makes it): people with {@code scoresEach} WEMWBS
 * totals at random times over three years, each at one of {@code organisations} organisations, 10 % of them moving
 * to another organisation half-way; a score is a random walk within 14–70. The same sequence feeds both the score
 * Observations written through the API (the first people) and the facts loaded with JDBC (the rest).
 */
final class ScoreGenerator {

    static final String SYSTEM = "https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score";
    static final String CODE = "wemwbs-total";
    static final String ORG = "bench-org-";
    static final ZoneId ZONE = ZoneId.of("Europe/London");
    static final int FIRST_YEAR = 2021;

    record Score(String organisation, long effective, double value) {
        Instant instant() {
            return Instant.ofEpochMilli(effective);
        }
    }

    private final Random random;
    private final int scoresEach;
    private final int organisations;
    private final long start;
    private final long span;
    private int person;

    ScoreGenerator(long seed, int scoresEach, int organisations) {
        this.random = new Random(seed);
        this.scoresEach = scoresEach;
        this.organisations = organisations;
        this.start = LocalDate.of(FIRST_YEAR, 1, 1).atStartOfDay(ZONE).toInstant().toEpochMilli();
        this.span = LocalDate.of(FIRST_YEAR + 3, 1, 1).atStartOfDay(ZONE).toInstant().toEpochMilli() - start;
    }

    /** The next person's scores, in time order. */
    List<Score> next() {
        int p = person++;
        String org = ORG + (p % organisations);
        String movedTo = random.nextInt(10) == 0 ? ORG + ((p + 1) % organisations) : org;
        long[] when = new long[scoresEach];
        for (int i = 0; i < scoresEach; i++) {
            when[i] = start + (long) (random.nextDouble() * span);
        }
        Arrays.sort(when);
        double value = 14 + random.nextInt(57);
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < scoresEach; i++) {
            if (i > 0) {
                value = Math.max(14, Math.min(70, value + random.nextInt(13) - 5));
            }
            scores.add(new Score(i < scoresEach / 2 ? org : movedTo, when[i], value));
        }
        return scores;
    }

    Random random() {
        return random;
    }
}
