package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire.EnableWhenBehavior;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemOperator;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether an item is enabled (R4 enableWhen with enableBehavior, SDC enableWhenExpression), judged on the answers of
 * a response. A question's answers are those of its nearest occurrence: searched below the item's closest ancestor
 * in the response first, then further out (R4: ancestor axis first).
 */
@Component
public class Enablement {

    private final SdcFhirPath fhirPath;

    Enablement(SdcFhirPath fhirPath) {
        this.fhirPath = fhirPath;
    }

    /**
     * @param item    the Questionnaire item
     * @param lineage the response nodes from the response down to the node the item's instance belongs under
     * @param own     the item's response item, or null when it is not in the response
     * @param ev      the evaluation for enableWhenExpression (its variables are redefined here)
     */
    public boolean enabled(SdcItem item, List<Base> lineage, QuestionnaireResponseItemComponent own, Evaluation ev) {
        if (item.definition().hasEnableWhen() && !byEnableWhen(item, lineage)) {
            return false;
        }
        SdcExpression expression = item.enableWhenExpression();
        if (expression == null || expression.problem() != null) {
            return true;
        }
        try {
            Base context = own != null ? own : lineage.get(lineage.size() - 1);
            List<String> ignored = new ArrayList<>();
            ev.clearVariables();
            QuestionnaireResponse qr = ev.response();
            fhirPath.defineVariables(ev.form().variables(), ev, qr, item, ignored);
            List<SdcItem> path = item.path();
            for (int i = 0; i < path.size() - 1; i++) {
                Base instance = i + 1 < lineage.size() ? lineage.get(i + 1) : qr;
                fhirPath.defineVariables(path.get(i).variables(), ev, instance, path.get(i), ignored);
            }
            fhirPath.defineVariables(item.variables(), ev, context, item, ignored);
            ev.qitem(item);
            List<Base> result = fhirPath.evaluate(expression, ev, context);
            return result.size() == 1 && result.get(0) instanceof BooleanType b && b.booleanValue();
        } catch (RuntimeException e) {
            // an expression that cannot be evaluated does not hide the item
            return true;
        }
    }

    private boolean byEnableWhen(SdcItem item, List<Base> lineage) {
        boolean any = item.definition().getEnableBehavior() == EnableWhenBehavior.ANY;
        for (QuestionnaireItemEnableWhenComponent ew : item.definition().getEnableWhen()) {
            boolean met = met(ew, answersOf(ew.getQuestion(), lineage));
            if (any && met) {
                return true;
            }
            if (!any && !met) {
                return false;
            }
        }
        return !any;
    }

    static List<Type> answersOf(String linkId, List<Base> lineage) {
        for (int i = lineage.size() - 1; i >= 0; i--) {
            QuestionnaireResponseItemComponent found = first(ScoreCalculator.itemsOf(lineage.get(i)), linkId);
            if (found == null && lineage.get(i) instanceof QuestionnaireResponseItemComponent node) {
                for (QuestionnaireResponseItemAnswerComponent a : node.getAnswer()) {
                    found = first(a.getItem(), linkId);
                    if (found != null) {
                        break;
                    }
                }
            }
            if (found != null) {
                List<Type> values = new ArrayList<>();
                for (QuestionnaireResponseItemAnswerComponent a : found.getAnswer()) {
                    if (a.getValue() != null) {
                        values.add(a.getValue());
                    }
                }
                return values;
            }
        }
        return List.of();
    }

    private static QuestionnaireResponseItemComponent first(List<QuestionnaireResponseItemComponent> items, String linkId) {
        for (QuestionnaireResponseItemComponent c : items) {
            if (linkId.equals(c.getLinkId())) {
                return c;
            }
        }
        for (QuestionnaireResponseItemComponent c : items) {
            QuestionnaireResponseItemComponent deeper = first(c.getItem(), linkId);
            for (int a = 0; deeper == null && a < c.getAnswer().size(); a++) {
                deeper = first(c.getAnswer().get(a).getItem(), linkId);
            }
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }

    static boolean met(QuestionnaireItemEnableWhenComponent ew, List<Type> answers) {
        QuestionnaireItemOperator op = ew.getOperator();
        Type expected = ew.getAnswer();
        if (op == QuestionnaireItemOperator.EXISTS) {
            boolean want = !(expected instanceof BooleanType b) || b.booleanValue();
            return answers.isEmpty() != want;
        }
        if (answers.isEmpty()) {
            return op == QuestionnaireItemOperator.NOT_EQUAL;
        }
        switch (op) {
            case EQUAL:
                return answers.stream().anyMatch(a -> same(a, expected));
            case NOT_EQUAL:
                return answers.stream().noneMatch(a -> same(a, expected));
            case GREATER_THAN:
                return answers.stream().anyMatch(a -> { Integer c = compare(a, expected); return c != null && c > 0; });
            case LESS_THAN:
                return answers.stream().anyMatch(a -> { Integer c = compare(a, expected); return c != null && c < 0; });
            case GREATER_OR_EQUAL:
                return answers.stream().anyMatch(a -> { Integer c = compare(a, expected); return c != null && c >= 0; });
            case LESS_OR_EQUAL:
                return answers.stream().anyMatch(a -> { Integer c = compare(a, expected); return c != null && c <= 0; });
            default:
                return false;
        }
    }

    private static boolean same(Type answer, Type expected) {
        if (expected instanceof Coding e) {
            return answer instanceof Coding a && Objects.equals(a.getCode(), e.getCode()) && (!e.hasSystem() || Objects.equals(a.getSystem(), e.getSystem()));
        }
        if (expected instanceof Reference e) {
            return answer instanceof Reference a && Objects.equals(a.getReference(), e.getReference());
        }
        Integer c = compare(answer, expected);
        if (c != null) {
            return c == 0;
        }
        return expected instanceof PrimitiveType<?> e && answer instanceof PrimitiveType<?> a
                && Objects.equals(e.getValueAsString(), a.getValueAsString());
    }

    /** Compares numbers, quantities (same unit) and date/time/string values; null when they cannot be compared. */
    private static Integer compare(Type answer, Type expected) {
        if (answer instanceof Quantity a && expected instanceof Quantity e) {
            return Objects.equals(a.getCode(), e.getCode()) && a.hasValue() && e.hasValue() ? a.getValue().compareTo(e.getValue()) : null;
        }
        BigDecimal x = Weights.number(answer);
        BigDecimal y = Weights.number(expected);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        if (answer instanceof PrimitiveType<?> a && expected instanceof PrimitiveType<?> e && x == null && y == null
                && !(answer instanceof BooleanType) && a.hasValue() && e.hasValue()) {
            return a.getValueAsString().compareTo(e.getValueAsString());
        }
        return null;
    }
}
