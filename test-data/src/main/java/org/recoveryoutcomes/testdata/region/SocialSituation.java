package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Type;

import java.util.List;

/**
 * A person's employment, accommodation, activities and Inclusion Web, carried from one review to the next and
 * answered in the social-inclusion Questionnaire. Each review some people's situation changes, towards what their
 * recovery level makes likely: people doing better find work and settled housing, people doing worse lose them.
 */
final class SocialSituation {

    private static final List<String> SETTLED = List.of("MA01", "MA02", "MA04", "MA05", "MA06", "MH01", "MH02", "MH03");
    private static final List<String> UNSETTLED = List.of("HM03", "HM04", "HM05", "HM06", "HM07");
    private static final List<String> NOT_EMPLOYED = List.of("02", "02", "04", "04", "04", "03", "05", "06", "07");

    private final Instruments instruments;
    private final Dice dice;
    private final int age;
    private String employment;
    private int hours;
    private String accommodation;
    private boolean settled;

    SocialSituation(Instruments instruments, Dice dice, int age, double level) {
        this.instruments = instruments;
        this.dice = dice;
        this.age = age;
        drawEmployment(level);
        drawAccommodation(level);
    }

    /** Moves the situation on to a review at which the person is at {@code level}. */
    void review(double level) {
        if (dice.chance(0.25)) {
            drawEmployment(level);
        }
        if (dice.chance(0.15)) {
            drawAccommodation(level);
        }
    }

    /** Answers for one social-inclusion response at {@code level}. */
    ResponseFiller.Answers answers(double level) {
        return item -> answer(item, level);
    }

    private List<Type> answer(QuestionnaireItemComponent item, double level) {
        String linkId = item.getLinkId();
        switch (linkId) {
            case "employment-status":
                return List.of(instruments.coding("employment-status", employment));
            case "hours-worked":
                return List.of(new IntegerType(hours));
            case "accommodation-status":
                return dice.chance(0.9) ? List.of(instruments.coding("accommodation-status", accommodation)) : List.of();
            case "settled-accommodation":
                return List.of(Options.code(item, settled ? "yes" : "no"));
            case "education-training":
                return optionalYesNo(item, Dice.logistic(-2.0 + 0.5 * level + (age < 30 ? 1.0 : 0)));
            case "volunteering":
                return optionalYesNo(item, Dice.logistic(-1.8 + 0.4 * level));
            default:
                if (linkId.startsWith("iw-") && (linkId.endsWith("-people") || linkId.endsWith("-places"))) {
                    double mean = (linkId.endsWith("-people") ? 1.1 : 0.7) * StrictMath.exp(0.35 * level);
                    return List.of(new IntegerType(dice.poisson(mean)));
                }
                throw new IllegalStateException("social-inclusion item " + linkId + " is not known to the generator");
        }
    }

    private List<Type> optionalYesNo(QuestionnaireItemComponent item, double pYes) {
        if (dice.chance(0.2)) {
            return List.of();
        }
        return List.of(Options.code(item, dice.chance(pYes) ? "yes" : "no"));
    }

    private void drawEmployment(double level) {
        if (dice.chance(0.02)) {
            employment = "ZZ";
        } else if (age >= 66) {
            employment = dice.chance(0.85) ? "08" : "07";
        } else if (dice.chance(Dice.logistic(-1.4 + 0.9 * level))) {
            employment = "01";
            hours = dice.chance(0.6) ? dice.between(8, 24) : dice.between(25, 40);
        } else {
            employment = dice.pick(NOT_EMPLOYED);
        }
    }

    private void drawAccommodation(double level) {
        settled = dice.chance(Dice.logistic(1.3 + 0.8 * level));
        accommodation = dice.pick(settled ? SETTLED : UNSETTLED);
    }
}
