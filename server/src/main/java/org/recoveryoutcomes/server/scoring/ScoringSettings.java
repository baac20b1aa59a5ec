package org.recoveryoutcomes.server.scoring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the response pipeline (validation on write, SDC scoring, score Observations).
 *
 * @param enabled       validate completed/amended QuestionnaireResponses on write and store their score Observations;
 *                      {@code false} stores responses like plain HAPI (used to measure the pipeline's cost).
 *                      {@code $score} and {@code $extract} work either way.
 * @param maxRounds     passes over the calculated items until their values stop changing (SDC / the oracle: 10)
 * @param cacheSize     compiled Questionnaires and terminology entries kept in memory (the caches are emptied when full)
 * @param decimalPlaces decimal places kept in reported decimal scores (computed with 34 significant digits)
 */
@ConfigurationProperties("recovery.scoring")
public record ScoringSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") int maxRounds,
        @DefaultValue("500") int cacheSize,
        @DefaultValue("10") int decimalPlaces) {
}
