package org.recoveryoutcomes.testdata.region;

import java.time.LocalDate;

/**
 * What region to make. Everything generated follows from these values: the same settings give the same bytes.
 *
 * @param patients          number of people
 * @param organisations     number of provider organisations (trusts); each has its own teams
 * @param years             length of the observed period, ending on {@code end}
 * @param seed              seed of every random choice; also names the region (ids start with {@code r<seed>-})
 * @param end               last day of the observed period
 * @param patientsPerBundle people per transaction Bundle
 */
public record RegionSettings(int patients, int organisations, int years, long seed, LocalDate end, int patientsPerBundle) {

    /** End of the period when none is given: fixed, so that a seed alone fixes the output. */
    public static final LocalDate DEFAULT_END = LocalDate.of(2026, 1, 1);

    public RegionSettings {
        require(patients >= 0, "patients must be 0 or more");
        require(organisations >= 1, "organisations must be 1 or more");
        require(years >= 1 && years <= 20, "years must be between 1 and 20");
        require(seed >= 0, "seed must be 0 or more");
        require(end != null, "end is required");
        require(patientsPerBundle >= 1, "patientsPerBundle must be 1 or more");
    }

    public static RegionSettings of(int patients, int organisations, long seed) {
        return new RegionSettings(patients, organisations, 2, seed, DEFAULT_END, 10);
    }

    public RegionSettings withEnd(LocalDate newEnd) {
        return new RegionSettings(patients, organisations, years, seed, newEnd, patientsPerBundle);
    }

    LocalDate start() {
        return end.minusYears(years);
    }

    /** Prefix of every resource id and identifier value of this region. */
    String prefix() {
        return "r" + seed;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
