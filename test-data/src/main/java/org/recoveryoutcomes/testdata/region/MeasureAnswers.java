package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Type;

import java.util.List;

/**
 * Answers to the rating-scale instruments (WEMWBS, SWEMWBS, QPR, INSPIRE, MANSA) from a person's latent level at
 * the time: each item sits at {@code centre + spread × (loading × level + noise)} of its scale, so item answers
 * scatter around the level and the totals follow it.
 */
final class MeasureAnswers implements ResponseFiller.Answers {

    /** Where an item sits on its scale, as a share of the scale's length. */
    private record Calibration(double centre, double spread, double loading) {
    }

    private static final double ITEM_NOISE = 0.75;

    private final Calibration calibration;
    private final double level;
    private final Dice dice;
    private final int importanceItems;
    private int importanceAsked;
    private boolean anyImportant;

    /** @param supportQuality how well the person's team supports recovery (0–1), for the INSPIRE ratings */
    MeasureAnswers(String questionnaireId, double level, double supportQuality, Dice dice) {
        this.calibration = switch (questionnaireId) {
            case "wemwbs", "swemwbs" -> new Calibration(0.45, 0.2, 1.0);
            case "qpr-15", "qpr-22" -> new Calibration(0.5, 0.2, 1.0);
            case "mansa" -> new Calibration(0.5, 0.17, 0.9);
            case "inspire", "inspire-brief" -> new Calibration(0.5 + 0.25 * supportQuality, 0.15, 0.5);
            default -> throw new IllegalArgumentException(questionnaireId + " is not a rating-scale instrument");
        };
        this.level = level;
        this.dice = dice;
        this.importanceItems = questionnaireId.equals("inspire") ? 20 : 0;
    }

    @Override
    public List<Type> answer(QuestionnaireItemComponent item) {
        if (item.getLinkId().endsWith("-importance")) {
            return List.of(importance(item));
        }
        if (Options.offers(item, "yes") && Options.offers(item, "no")) {
            return mansaCircumstance(item);
        }
        int steps = item.getAnswerOption().size() - 1;
        double z = calibration.loading() * level + ITEM_NOISE * dice.normal();
        return List.of(Options.at(item, steps * (calibration.centre() + calibration.spread() * z)));
    }

    /** INSPIRE: most kinds of support matter to a person; the Support score needs at least one that does. */
    private Type importance(QuestionnaireItemComponent item) {
        importanceAsked++;
        boolean important = dice.chance(0.7) || importanceAsked == importanceItems && !anyImportant;
        anyImportant |= important;
        return Options.code(item, important ? "important" : "not-important");
    }

    /** MANSA's objective yes/no items: optional, mostly answered; being better off makes the good answer likelier. */
    private List<Type> mansaCircumstance(QuestionnaireItemComponent item) {
        if (dice.chance(0.1)) {
            return List.of();
        }
        double p = switch (item.getLinkId()) {
            case "mansa-7" -> Dice.logistic(-2.0 - 0.5 * level);  // victim of violence
            case "mansa-9" -> Dice.logistic(-2.5 - 0.3 * level);  // accused of a crime
            default -> Dice.logistic(0.6 + 0.6 * level);          // has a close friend / saw a friend
        };
        return List.of(Options.code(item, dice.chance(p) ? "yes" : "no"));
    }
}
