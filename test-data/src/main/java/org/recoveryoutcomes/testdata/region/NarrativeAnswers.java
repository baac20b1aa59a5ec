package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.util.ArrayList;
import java.util.List;

/** The recovery-narrative response: invented, plainly synthetic text that follows the person's course. */
final class NarrativeAnswers implements ResponseFiller.Answers {

    private static final List<String> THEMES = List.of("connectedness", "hope", "identity", "meaning", "empowerment");

    private final Instruments instruments;
    private final Dice dice;
    private final double change;
    private final List<String> goals;

    /** @param change latent level now minus at the first review */
    NarrativeAnswers(Instruments instruments, Dice dice, double change, List<String> goals) {
        this.instruments = instruments;
        this.dice = dice;
        this.change = change;
        this.goals = goals;
    }

    @Override
    public List<Type> answer(QuestionnaireItemComponent item) {
        return switch (item.getLinkId()) {
            case "narrative" -> List.of(new StringType(narrative()));
            case "themes" -> themes();
            case "goals" -> goals.stream().map(g -> (Type) new StringType(g)).toList();
            default -> throw new IllegalStateException("recovery-narrative item " + item.getLinkId() + " is not known to the generator");
        };
    }

    private String narrative() {
        String how = change > 0.4 ? "Things have been going better since my first review."
                : change < -0.4 ? "Things have been harder since my first review."
                : "Things are about the same as at my first review.";
        return "Synthetic account (generated test data). " + how;
    }

    private List<Type> themes() {
        List<Type> chosen = new ArrayList<>();
        for (String theme : THEMES) {
            if (dice.chance(0.35)) {
                chosen.add(instruments.coding("chime-theme", theme));
            }
        }
        return chosen;
    }
}
