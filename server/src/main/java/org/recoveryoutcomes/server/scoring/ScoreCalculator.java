package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.UriType;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes every calculatedExpression of a response the way SDC 4.0 (and the reference oracle) does: Questionnaire
 * variables, then the ancestors' and the item's own variables, then the expression, with {@code %context} the item's
 * response item (or its nearest existing ancestor); each value is written into a working copy of the response and the
 * passes are repeated until nothing changes (at most {@code recovery.scoring.max-rounds}). The submitted response is
 * not changed.
 */
@Component
class ScoreCalculator {

    private final SdcFhirPath fhirPath;
    private final int maxRounds;

    ScoreCalculator(SdcFhirPath fhirPath, ScoringSettings settings) {
        this.fhirPath = fhirPath;
        this.maxRounds = settings.maxRounds();
    }

    /** The values of one calculated item: one entry per instance of its parent (one, unless it sits in a repeating group). */
    record ItemScore(SdcItem item, List<Instance> instances) {
    }

    /**
     * @param values  the calculated answers (empty = no value)
     * @param problem why the expression could not be evaluated, or null
     */
    record Instance(List<Type> values, String problem) {
    }

    record Result(QuestionnaireResponse completed, List<ItemScore> scores, String problem) {
    }

    Result calculate(SdcForm form, QuestionnaireResponse submitted) {
        QuestionnaireResponse qr = submitted.copy();
        Evaluation ev = new Evaluation(form, qr);
        Map<SdcItem, ItemScore> results = new LinkedHashMap<>();
        boolean stable = false;
        for (int round = 1; round <= maxRounds && !stable; round++) {
            stable = true;
            for (SdcItem item : form.calculated()) {
                List<Instance> instances = new ArrayList<>();
                for (Base parent : parents(qr, item, form)) {
                    QuestionnaireResponseItemComponent existing = child(parent, item.linkId());
                    Base context = existing != null ? existing : parent;
                    List<String> problems = new ArrayList<>();
                    ev.clearVariables();
                    fhirPath.defineVariables(form.variables(), ev, qr, item, problems);
                    for (SdcItem ancestor : ancestors(item)) {
                        Base instance = ancestorInstance(qr, parent, ancestor);
                        fhirPath.defineVariables(ancestor.variables(), ev, instance == null ? qr : instance, ancestor, problems);
                    }
                    fhirPath.defineVariables(item.variables(), ev, context, item, problems);
                    List<Type> values;
                    String problem = null;
                    ev.qitem(item);
                    try {
                        values = toAnswers(fhirPath.evaluate(item.calculated(), ev, context), item.type());
                    } catch (RuntimeException e) {
                        values = List.of();
                        problem = (problems.isEmpty() ? "" : String.join("; ", problems) + "; ")
                                + "the calculatedExpression could not be evaluated: " + e.getMessage();
                    }
                    instances.add(new Instance(values, problem));
                    if (writeBack(parent, existing, item, values, form)) {
                        stable = false;
                        ev.responseChanged();
                    }
                }
                results.put(item, new ItemScore(item, instances));
            }
        }
        String problem = stable ? null : "calculated values did not stabilise within " + maxRounds + " rounds";
        return new Result(qr, List.copyOf(results.values()), problem);
    }

    // ---------------------------------------------------------------------------------------------------- navigation

    private static List<SdcItem> ancestors(SdcItem item) {
        List<SdcItem> path = item.path();
        return path.subList(0, path.size() - 1);
    }

    /** The response nodes the item's instances hang under; missing ancestor groups are created (once) as the oracle does. */
    private static List<Base> parents(QuestionnaireResponse qr, SdcItem item, SdcForm form) {
        List<Base> parents = new ArrayList<>(List.of(qr));
        for (SdcItem ancestor : ancestors(item)) {
            List<Base> next = new ArrayList<>();
            for (Base p : parents) {
                next.addAll(instances(p, ancestor.linkId()));
            }
            if (next.isEmpty()) {
                for (Base p : parents) {
                    next.add(ensureChild(p, ancestor, form));
                }
            }
            parents = next;
        }
        return parents;
    }

    static List<QuestionnaireResponseItemComponent> itemsOf(Base node) {
        if (node instanceof QuestionnaireResponse qr) {
            return qr.getItem();
        }
        return ((QuestionnaireResponseItemComponent) node).getItem();
    }

    /** Children with the linkId: in item, and under answers (items nested in a question). */
    private static List<QuestionnaireResponseItemComponent> instances(Base node, String linkId) {
        List<QuestionnaireResponseItemComponent> out = new ArrayList<>();
        for (QuestionnaireResponseItemComponent c : itemsOf(node)) {
            if (linkId.equals(c.getLinkId())) {
                out.add(c);
            }
        }
        if (node instanceof QuestionnaireResponseItemComponent item) {
            for (QuestionnaireResponseItemAnswerComponent a : item.getAnswer()) {
                for (QuestionnaireResponseItemComponent c : a.getItem()) {
                    if (linkId.equals(c.getLinkId())) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    private static QuestionnaireResponseItemComponent child(Base node, String linkId) {
        for (QuestionnaireResponseItemComponent c : itemsOf(node)) {
            if (linkId.equals(c.getLinkId())) {
                return c;
            }
        }
        return null;
    }

    /** Adds a response item for the Questionnaire item under the node, in Questionnaire order. */
    private static QuestionnaireResponseItemComponent ensureChild(Base node, SdcItem item, SdcForm form) {
        QuestionnaireResponseItemComponent existing = child(node, item.linkId());
        if (existing != null) {
            return existing;
        }
        List<QuestionnaireResponseItemComponent> items = itemsOf(node);
        List<SdcItem> siblings = item.parent() == null ? form.items() : item.parent().children();
        int pos = items.size();
        for (int i = 0; i < items.size(); i++) {
            if (order(siblings, items.get(i).getLinkId()) > item.index()) {
                pos = i;
                break;
            }
        }
        QuestionnaireResponseItemComponent created = new QuestionnaireResponseItemComponent().setLinkId(item.linkId());
        items.add(pos, created);
        return created;
    }

    private static int order(List<SdcItem> siblings, String linkId) {
        for (SdcItem s : siblings) {
            if (s.linkId().equals(linkId)) {
                return s.index();
            }
        }
        return -1;
    }

    /** The response instance of an ancestor item that contains the node (or is it). */
    private static Base ancestorInstance(QuestionnaireResponse qr, Base node, SdcItem ancestor) {
        if (node instanceof QuestionnaireResponseItemComponent i && ancestor.linkId().equals(i.getLinkId())) {
            return i;
        }
        return find(qr.getItem(), ancestor.linkId(), node);
    }

    private static Base find(List<QuestionnaireResponseItemComponent> items, String linkId, Base target) {
        for (QuestionnaireResponseItemComponent c : items) {
            if (linkId.equals(c.getLinkId()) && contains(c, target)) {
                return c;
            }
            Base deeper = find(c.getItem(), linkId, target);
            if (deeper != null) {
                return deeper;
            }
            for (QuestionnaireResponseItemAnswerComponent a : c.getAnswer()) {
                deeper = find(a.getItem(), linkId, target);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        return null;
    }

    private static boolean contains(QuestionnaireResponseItemComponent node, Base target) {
        if (node == target) {
            return true;
        }
        for (QuestionnaireResponseItemComponent c : node.getItem()) {
            if (contains(c, target)) {
                return true;
            }
        }
        for (QuestionnaireResponseItemAnswerComponent a : node.getAnswer()) {
            for (QuestionnaireResponseItemComponent c : a.getItem()) {
                if (contains(c, target)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------- values

    /** Writes the values into the working response; returns whether the answers changed. */
    private static boolean writeBack(Base parent, QuestionnaireResponseItemComponent existing, SdcItem item, List<Type> values, SdcForm form) {
        QuestionnaireResponseItemComponent target = existing;
        if (target == null) {
            if (values.isEmpty()) {
                return false;
            }
            target = ensureChild(parent, item, form);
        }
        String before = signature(target.getAnswer());
        List<QuestionnaireResponseItemAnswerComponent> answers = new ArrayList<>();
        for (Type v : values) {
            answers.add(new QuestionnaireResponseItemAnswerComponent().setValue(v));
        }
        target.setAnswer(answers);
        boolean changed = !before.equals(signature(answers));
        if (answers.isEmpty() && target.getItem().isEmpty()) {
            itemsOf(parent).remove(target);
        }
        return changed;
    }

    private static String signature(List<QuestionnaireResponseItemAnswerComponent> answers) {
        StringBuilder sb = new StringBuilder();
        for (QuestionnaireResponseItemAnswerComponent a : answers) {
            sb.append(describe(a.getValue())).append('\u0000');
        }
        return sb.toString();
    }

    static String describe(Type v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Coding c) {
            return "Coding " + c.getSystem() + "|" + c.getVersion() + "|" + c.getCode() + "|" + c.getDisplay();
        }
        if (v instanceof Quantity q) {
            return "Quantity " + q.getValue() + " " + q.getSystem() + "|" + q.getCode() + " " + q.getUnit();
        }
        if (v instanceof Reference r) {
            return "Reference " + r.getReference();
        }
        if (v instanceof PrimitiveType<?> p) {
            return v.fhirType() + " " + p.getValueAsString();
        }
        return v.fhirType() + " " + v.hashCode();
    }

    /** FHIRPath results as answer values of the item's type (the conversion the oracle does). */
    static List<Type> toAnswers(List<Base> results, QuestionnaireItemType type) {
        List<Type> out = new ArrayList<>();
        for (Base r : results) {
            Type v = toAnswer(r, type);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private static Type toAnswer(Base r, QuestionnaireItemType type) {
        if (r instanceof Coding c) {
            return new Coding(c.getSystem(), c.getCode(), c.getDisplay()).setVersion(c.getVersion());
        }
        if (r instanceof Quantity q) {
            return q.copy();
        }
        if (r instanceof Reference ref) {
            return ref.copy();
        }
        if (r instanceof Attachment a) {
            return a.copy();
        }
        if (!(r instanceof PrimitiveType<?> p) || !p.hasValue()) {
            return null;
        }
        BigDecimal number = Weights.number((Type) r);
        switch (type == null ? QuestionnaireItemType.NULL : type) {
            case INTEGER:
                return number != null ? integerOrDecimal(number) : parse(p.getValueAsString());
            case DECIMAL:
                return number != null ? new DecimalType(number) : parse(p.getValueAsString());
            case BOOLEAN:
                if (r instanceof BooleanType b) {
                    return new BooleanType(b.booleanValue());
                }
                return new BooleanType(number != null ? number.signum() != 0 : !p.getValueAsString().isEmpty());
            case DATE:
                return new DateType(p.getValueAsString());
            case DATETIME:
                return new DateTimeType(p.getValueAsString());
            case TIME:
                return new TimeType(p.getValueAsString());
            case URL:
                return number != null ? integerOrDecimal(number) : new UriType(p.getValueAsString());
            case STRING:
            case TEXT:
                return new StringType(p.getValueAsString());
            case CHOICE:
            case OPENCHOICE:
                return number != null ? integerOrDecimal(number) : new StringType(p.getValueAsString());
            default:
                if (number != null) {
                    return integerOrDecimal(number);
                }
                if (r instanceof BooleanType b) {
                    return new BooleanType(b.booleanValue());
                }
                return new StringType(p.getValueAsString());
        }
    }

    private static Type integerOrDecimal(BigDecimal n) {
        return n.stripTrailingZeros().scale() <= 0 && n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) < 0
                ? new IntegerType(n.intValueExact()) : new DecimalType(n);
    }

    private static Type parse(String text) {
        try {
            return new DecimalType(new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
    }

    static boolean sameValues(List<Type> a, List<Type> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Objects.equals(describe(a.get(i)), describe(b.get(i)))) {
                return false;
            }
        }
        return true;
    }
}
