package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.LocalDate;
import java.util.List;

/**
 * Box 2 (organisational-indicators) and the key-challenges self-assessment of a trust, from its maturity (0–1) in
 * the year of the assessment: a more mature trust has more in place and rates its progress higher.
 */
final class OrganisationAnswers implements ResponseFiller.Answers {

    private final Dice dice;
    private final double maturity;
    private final LocalDate authored;
    private final int year;
    private boolean planned;

    OrganisationAnswers(Dice dice, double maturity, LocalDate authored, int year) {
        this.dice = dice;
        this.maturity = maturity;
        this.authored = authored;
        this.year = year;
    }

    @Override
    public List<Type> answer(QuestionnaireItemComponent item) {
        String linkId = item.getLinkId();
        if (linkId.startsWith("kc-")) {
            return keyChallenge(item, linkId);
        }
        return List.of(Options.code(item, dice.chance(maturity) ? "yes" : "no"));
    }

    private List<Type> keyChallenge(QuestionnaireItemComponent item, String linkId) {
        String challenge = linkId.substring(3, 5);
        if (linkId.endsWith("-progress")) {
            // progress comes first in each group; whether the trust records a PDSA cycle is decided with it
            planned = maturity > 0.3 && dice.chance(0.5);
            int steps = item.getAnswerOption().size() - 1;
            return List.of(Options.at(item, steps * (maturity + 0.15 * dice.normal())));
        }
        if (!planned) {
            return List.of();
        }
        return switch (linkId.substring(6)) {
            case "goal" -> List.of(new StringType("Synthetic PDSA goal for key challenge " + challenge + ", year " + year));
            case "action" -> List.of(new StringType("Synthetic PDSA action for key challenge " + challenge + ", year " + year));
            case "review-date" -> List.of(new DateType(authored.plusMonths(6).toString()));
            case "evidence" -> List.of(new StringType("Synthetic PDSA evidence for key challenge " + challenge + ", year " + year));
            default -> throw new IllegalStateException("key-challenges item " + linkId + " is not known to the generator");
        };
    }
}
