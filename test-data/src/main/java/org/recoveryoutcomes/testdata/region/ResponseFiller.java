package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a Questionnaire the way an SDC form filler would: items in Questionnaire order and nesting, disabled items
 * (enableWhen) left out, display and calculated (read-only) items left out, empty groups dropped. The answers come
 * from an {@link Answers}; anything a valid completed response could not contain (an unknown code, a missing required
 * answer, a value outside minValue/maxValue) stops generation, so a bug shows up here and not as a 422 later.
 */
final class ResponseFiller {

    /** Answers one question; an empty list leaves it unanswered. */
    interface Answers {
        List<Type> answer(QuestionnaireItemComponent item);
    }

    private static final String MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
    private static final String MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";

    private final Questionnaire questionnaire;
    private final Answers answers;
    private final Map<String, List<Type>> given = new HashMap<>();

    private ResponseFiller(Questionnaire questionnaire, Answers answers) {
        this.questionnaire = questionnaire;
        this.answers = answers;
    }

    static List<QuestionnaireResponseItemComponent> fill(Questionnaire questionnaire, Answers answers) {
        ResponseFiller filler = new ResponseFiller(questionnaire, answers);
        return filler.items(questionnaire.getItem());
    }

    private List<QuestionnaireResponseItemComponent> items(List<QuestionnaireItemComponent> items) {
        List<QuestionnaireResponseItemComponent> out = new ArrayList<>();
        for (QuestionnaireItemComponent item : items) {
            if (item.getType() == Questionnaire.QuestionnaireItemType.DISPLAY || item.getReadOnly() || !enabled(item)) {
                continue;
            }
            QuestionnaireResponseItemComponent answered = item.getType() == Questionnaire.QuestionnaireItemType.GROUP
                    ? group(item) : question(item);
            if (answered != null) {
                out.add(answered);
            } else if (item.getRequired()) {
                throw new IllegalStateException(where(item) + " is required but was not answered");
            }
        }
        return out;
    }

    private QuestionnaireResponseItemComponent group(QuestionnaireItemComponent item) {
        List<QuestionnaireResponseItemComponent> children = items(item.getItem());
        if (children.isEmpty()) {
            return null;
        }
        QuestionnaireResponseItemComponent group = new QuestionnaireResponseItemComponent().setLinkId(item.getLinkId());
        group.setItem(children);
        return group;
    }

    private QuestionnaireResponseItemComponent question(QuestionnaireItemComponent item) {
        List<Type> values = answers.answer(item);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1 && !item.getRepeats()) {
            throw new IllegalStateException(where(item) + " does not repeat but got " + values.size() + " answers");
        }
        QuestionnaireResponseItemComponent out = new QuestionnaireResponseItemComponent().setLinkId(item.getLinkId());
        List<Type> stored = new ArrayList<>();
        for (Type value : values) {
            Type checked = check(item, value);
            stored.add(checked);
            out.addAnswer(new QuestionnaireResponseItemAnswerComponent().setValue(checked));
        }
        given.put(item.getLinkId(), stored);
        return out;
    }

    private Type check(QuestionnaireItemComponent item, Type value) {
        switch (item.getType()) {
            case CHOICE -> {
                Coding coding = expect(item, value, Coding.class);
                if (item.hasAnswerOption()) {
                    return item.getAnswerOption().stream()
                            .filter(o -> o.hasValueCoding() && o.getValueCoding().getSystem().equals(coding.getSystem())
                                    && o.getValueCoding().getCode().equals(coding.getCode()))
                            .findFirst().map(o -> (Type) o.getValueCoding().copy())
                            .orElseThrow(() -> new IllegalStateException(where(item) + " has no answerOption " + coding.getCode()));
                }
                if (!item.hasAnswerValueSet()) {
                    throw new IllegalStateException(where(item) + " has neither answerOption nor answerValueSet");
                }
                return coding;
            }
            case INTEGER -> {
                IntegerType integer = expect(item, value, IntegerType.class);
                Extension min = item.getExtensionByUrl(MIN_VALUE);
                Extension max = item.getExtensionByUrl(MAX_VALUE);
                if (min != null && integer.getValue() < ((IntegerType) min.getValue()).getValue()
                        || max != null && integer.getValue() > ((IntegerType) max.getValue()).getValue()) {
                    throw new IllegalStateException(where(item) + " value " + integer.getValue() + " is out of range");
                }
                return integer;
            }
            case STRING, TEXT -> {
                return expect(item, value, org.hl7.fhir.r4.model.StringType.class);
            }
            case DATE -> {
                return expect(item, value, org.hl7.fhir.r4.model.DateType.class);
            }
            default -> throw new IllegalStateException(where(item) + " has type " + item.getType() + ", which the generator does not answer");
        }
    }

    private boolean enabled(QuestionnaireItemComponent item) {
        if (!item.hasEnableWhen()) {
            return true;
        }
        boolean all = item.getEnableBehavior() == Questionnaire.EnableWhenBehavior.ALL;
        if (item.getEnableWhen().size() > 1 && !item.hasEnableBehavior()) {
            throw new IllegalStateException(where(item) + " has several enableWhen and no enableBehavior");
        }
        boolean any = false;
        for (QuestionnaireItemEnableWhenComponent condition : item.getEnableWhen()) {
            boolean met = met(item, condition);
            if (all && !met) {
                return false;
            }
            any |= met;
        }
        return any;
    }

    private boolean met(QuestionnaireItemComponent item, QuestionnaireItemEnableWhenComponent condition) {
        List<Type> values = given.getOrDefault(condition.getQuestion(), List.of());
        return switch (condition.getOperator()) {
            case EXISTS -> values.isEmpty() != condition.getAnswerBooleanType().booleanValue();
            case EQUAL -> values.stream().anyMatch(v -> v.equalsDeep(condition.getAnswer())
                    || v instanceof Coding c && condition.getAnswer() instanceof Coding want
                    && c.getSystem().equals(want.getSystem()) && c.getCode().equals(want.getCode()));
            case NOT_EQUAL -> values.stream().noneMatch(v -> v.equalsDeep(condition.getAnswer())
                    || v instanceof Coding c && condition.getAnswer() instanceof Coding want
                    && c.getSystem().equals(want.getSystem()) && c.getCode().equals(want.getCode()));
            default -> throw new IllegalStateException(where(item) + " uses enableWhen operator " + condition.getOperator().toCode()
                    + ", which the generator does not evaluate");
        };
    }

    private <T extends Type> T expect(QuestionnaireItemComponent item, Type value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalStateException(where(item) + " expects " + type.getSimpleName() + " but got " + value.fhirType());
        }
        return type.cast(value);
    }

    private String where(QuestionnaireItemComponent item) {
        return questionnaire.getIdElement().getIdPart() + " item " + item.getLinkId();
    }
}
