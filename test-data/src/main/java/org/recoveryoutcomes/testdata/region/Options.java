package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/** The answerOptions of a choice item, as the generator picks from them. */
final class Options {

    private static final String ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight";

    private Options() {
    }

    /** The options from lowest to highest itemWeight (options without a weight keep their place at the end). */
    static List<Coding> byWeight(QuestionnaireItemComponent item) {
        return item.getAnswerOption().stream()
                .sorted(Comparator.comparing(Options::weight, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(QuestionnaireItemAnswerOptionComponent::getValueCoding).toList();
    }

    /**
     * The option at {@code position} on the scale, 0 = the lowest weight; positions between options round to the
     * nearest, positions off the scale give its end.
     */
    static Coding at(QuestionnaireItemComponent item, double position) {
        List<Coding> scale = byWeight(item);
        int i = (int) Math.round(position);
        return scale.get(Math.max(0, Math.min(scale.size() - 1, i)));
    }

    static Coding code(QuestionnaireItemComponent item, String code) {
        return item.getAnswerOption().stream().map(QuestionnaireItemAnswerOptionComponent::getValueCoding)
                .filter(c -> c.getCode().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalStateException("item " + item.getLinkId() + " has no answerOption " + code));
    }

    static boolean offers(QuestionnaireItemComponent item, String code) {
        return item.getAnswerOption().stream().anyMatch(o -> o.hasValueCoding() && o.getValueCoding().getCode().equals(code));
    }

    private static BigDecimal weight(QuestionnaireItemAnswerOptionComponent option) {
        Extension w = option.getExtensionByUrl(ITEM_WEIGHT);
        return w != null && w.getValue() instanceof DecimalType d ? d.getValue() : null;
    }
}
