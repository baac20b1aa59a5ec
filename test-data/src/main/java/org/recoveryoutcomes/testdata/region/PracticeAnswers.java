package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Type;

import java.util.List;

/** Box 1 (recovery-practice), completed for a person by their team: a practice is in place as often as the team manages. */
final class PracticeAnswers implements ResponseFiller.Answers {

    private final Dice dice;
    private final double inPlace;

    /** @param inPlace chance that a practice is in place for this person (the team's quality at the time) */
    PracticeAnswers(Dice dice, double inPlace) {
        this.dice = dice;
        this.inPlace = inPlace;
    }

    @Override
    public List<Type> answer(QuestionnaireItemComponent item) {
        String code = dice.chance(0.04) ? "not-applicable" : dice.chance(inPlace) ? "yes" : "no";
        return List.of(Options.code(item, code));
    }
}
