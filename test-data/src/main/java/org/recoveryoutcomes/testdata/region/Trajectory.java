package org.recoveryoutcomes.testdata.region;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A person's latent recovery level over time, in standard deviations of the clinical population (0 = typical at
 * referral, higher = better). Every measure of the person is derived from it plus noise, so change is correlated
 * across measures: some people improve, some stay where they are, some get worse, all with ups and downs.
 */
record Trajectory(Course course, double baseline, double slopePerYear, double wobble, double wobblePeriodDays,
                  double wobblePhase, LocalDate origin) {

    enum Course { IMPROVING, STABLE, WORSENING }

    static Trajectory draw(Dice dice, LocalDate origin) {
        double u = dice.uniform();
        Course course = u < 0.5 ? Course.IMPROVING : u < 0.82 ? Course.STABLE : Course.WORSENING;
        double slope = switch (course) {
            case IMPROVING -> 0.35 + 0.55 * dice.uniform();
            case STABLE -> 0.1 * dice.normal();
            case WORSENING -> -(0.25 + 0.45 * dice.uniform());
        };
        return new Trajectory(course, 0.8 * dice.normal(), slope, 0.1 + 0.25 * dice.uniform(), 120 + 240 * dice.uniform(),
                2 * Math.PI * dice.uniform(), origin);
    }

    double level(LocalDate date) {
        double days = ChronoUnit.DAYS.between(origin, date);
        return baseline + slopePerYear * days / 365.25 + wobble * StrictMath.sin(2 * Math.PI * days / wobblePeriodDays + wobblePhase);
    }
}
