package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Scores a response and says, for every score without a value, why: the scored items that are not answered
 * ("needs every scored item answered: missing wemwbs-3"), an expression that failed, or a rule that gives no value.
 * Compares the values the client submitted for calculated items with the recomputed ones.
 */
@Component
class ResponseScoring {

    /**
     * One value (or the absence of one) of a calculated item.
     *
     * @param values   the recomputed values, rounded for reporting; empty when there is none
     * @param why      why there is no value (null when there is one)
     * @param mismatch how the submitted value differs from the recomputed one, or null
     */
    record Score(SdcItem item, List<Type> values, String why, String mismatch) {
        boolean hasValue() {
            return !values.isEmpty();
        }
    }

    record Scored(SdcForm form, QuestionnaireResponse response, List<Score> scores, String problem) {
    }

    private final ScoreCalculator calculator;
    private final Enablement enablement;
    private final int decimalPlaces;

    ResponseScoring(ScoreCalculator calculator, Enablement enablement, ScoringSettings settings) {
        this.calculator = calculator;
        this.enablement = enablement;
        this.decimalPlaces = settings.decimalPlaces();
    }

    Scored score(SdcForm form, QuestionnaireResponse response) {
        ScoreCalculator.Result result = calculator.calculate(form, response);
        List<Score> scores = new ArrayList<>();
        for (ScoreCalculator.ItemScore itemScore : result.scores()) {
            List<List<Type>> submitted = submitted(response, itemScore.item().linkId());
            for (int i = 0; i < itemScore.instances().size(); i++) {
                ScoreCalculator.Instance instance = itemScore.instances().get(i);
                List<Type> values = instance.values().stream().map(this::rounded).toList();
                String why = values.isEmpty() ? why(form, itemScore.item(), result.completed(), instance) : null;
                String mismatch = mismatch(i < submitted.size() ? submitted.get(i) : List.of(), instance.values(), why);
                scores.add(new Score(itemScore.item(), values, why, mismatch));
            }
        }
        return new Scored(form, response, scores, result.problem());
    }

    // ---------------------------------------------------------------------------------------------------- reporting

    private Type rounded(Type v) {
        if (v instanceof DecimalType d && d.getValue() != null && d.getValue().scale() > decimalPlaces) {
            BigDecimal r = d.getValue().setScale(decimalPlaces, RoundingMode.HALF_UP).stripTrailingZeros();
            return new DecimalType(r.scale() < 0 ? r.setScale(0) : r);
        }
        return v;
    }

    private static List<List<Type>> submitted(QuestionnaireResponse response, String linkId) {
        List<List<Type>> out = new ArrayList<>();
        collect(response.getItem(), linkId, out);
        return out;
    }

    private static void collect(List<QuestionnaireResponseItemComponent> items, String linkId, List<List<Type>> out) {
        for (QuestionnaireResponseItemComponent i : items) {
            if (linkId.equals(i.getLinkId())) {
                out.add(i.getAnswer().stream().map(QuestionnaireResponseItemAnswerComponent::getValue).filter(Objects::nonNull).toList());
            }
            collect(i.getItem(), linkId, out);
            for (QuestionnaireResponseItemAnswerComponent a : i.getAnswer()) {
                collect(a.getItem(), linkId, out);
            }
        }
    }

    /** A submitted value agrees with the recomputed one when it is that value rounded to the submitted precision. */
    private static String mismatch(List<Type> submitted, List<Type> computed, String why) {
        if (submitted.isEmpty()) {
            return null;
        }
        if (computed.isEmpty()) {
            return "the response gives " + show(submitted) + " but the server computes no value (" + why + ")";
        }
        boolean agree = submitted.size() == computed.size();
        for (int i = 0; agree && i < submitted.size(); i++) {
            agree = agrees(submitted.get(i), computed.get(i));
        }
        return agree ? null : "the response gives " + show(submitted) + " but the server computes " + show(computed)
                + "; the server's value is used";
    }

    private static boolean agrees(Type submitted, Type computed) {
        BigDecimal s = Weights.number(submitted);
        BigDecimal c = Weights.number(computed);
        if (s != null && c != null) {
            BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(Math.max(s.scale(), 0)).divide(BigDecimal.valueOf(2));
            return s.subtract(c).abs().compareTo(halfUnit) <= 0;
        }
        if (submitted instanceof Coding a && computed instanceof Coding b) {
            return Objects.equals(a.getSystem(), b.getSystem()) && Objects.equals(a.getCode(), b.getCode());
        }
        if (submitted instanceof BooleanType a && computed instanceof BooleanType b) {
            return a.booleanValue() == b.booleanValue();
        }
        return submitted instanceof PrimitiveType<?> a && computed instanceof PrimitiveType<?> b
                && Objects.equals(a.getValueAsString(), b.getValueAsString());
    }

    private static String show(List<Type> values) {
        List<String> out = new ArrayList<>();
        for (Type v : values) {
            out.add(v instanceof Coding c ? c.getSystem() + "#" + c.getCode() : v instanceof PrimitiveType<?> p ? p.getValueAsString() : v.fhirType());
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------------------------------------------- why no value

    private String why(SdcForm form, SdcItem item, QuestionnaireResponse completed, ScoreCalculator.Instance instance) {
        if (instance.problem() != null) {
            return "could not be computed: " + instance.problem();
        }
        Set<SdcItem> scored = scoredItems(form, item);
        List<String> missing = new ArrayList<>();
        if (!scored.isEmpty()) {
            Evaluation ev = new Evaluation(form, completed);
            List<Base> lineage = new ArrayList<>(List.of(completed));
            missing(form.items(), completed, lineage, scored, ev, missing);
        }
        if (!missing.isEmpty()) {
            String list = missing.size() <= 10 ? String.join(", ", missing)
                    : String.join(", ", missing.subList(0, 10)) + " and " + (missing.size() - 10) + " more";
            return "needs every scored item answered: missing " + list;
        }
        return "these answers give no value under the score's rule (its calculatedExpression is empty for them)";
    }

    /** Enabled scored items without an answer, in Questionnaire order. */
    private void missing(List<SdcItem> level, Base node, List<Base> lineage, Set<SdcItem> scored, Evaluation ev, List<String> out) {
        for (SdcItem q : level) {
            List<QuestionnaireResponseItemComponent> instances = node == null ? List.of() : children(node, q.linkId());
            if (instances.isEmpty()) {
                if (enablement.enabled(q, lineage, null, ev)) {
                    if (scored.contains(q)) {
                        out.add(q.linkId());
                    }
                    missing(q.children(), null, lineage, scored, ev, out);
                }
                continue;
            }
            for (QuestionnaireResponseItemComponent instance : instances) {
                if (!enablement.enabled(q, lineage, instance, ev)) {
                    continue;
                }
                if (scored.contains(q) && instance.getAnswer().stream().noneMatch(QuestionnaireResponseItemAnswerComponent::hasValue)) {
                    out.add(q.linkId());
                }
                List<Base> deeper = new ArrayList<>(lineage);
                deeper.add(instance);
                missing(q.children(), instance, deeper, scored, ev, out);
            }
        }
    }

    private static List<QuestionnaireResponseItemComponent> children(Base node, String linkId) {
        List<QuestionnaireResponseItemComponent> out = new ArrayList<>();
        for (QuestionnaireResponseItemComponent c : ScoreCalculator.itemsOf(node)) {
            if (linkId.equals(c.getLinkId())) {
                out.add(c);
            }
        }
        if (node instanceof QuestionnaireResponseItemComponent i) {
            for (QuestionnaireResponseItemAnswerComponent a : i.getAnswer()) {
                for (QuestionnaireResponseItemComponent c : a.getItem()) {
                    if (linkId.equals(c.getLinkId())) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The questions a score reads, as far as its expressions name them: linkIds written as string literals, or
     * matched by the literals given to endsWith(), startsWith() or matches().
     */
    private static Set<SdcItem> scoredItems(SdcForm form, SdcItem item) {
        List<ExpressionNode> roots = new ArrayList<>();
        List<SdcExpression> expressions = new ArrayList<>(form.variables());
        for (SdcItem i : item.path()) {
            expressions.addAll(i.variables());
        }
        expressions.add(item.calculated());
        for (SdcExpression e : expressions) {
            if (e != null && e.node() != null) {
                roots.add(e.node());
            }
        }
        List<Matcher> matchers = new ArrayList<>();
        for (ExpressionNode root : roots) {
            literals(root, null, matchers);
        }
        Set<SdcItem> out = new LinkedHashSet<>();
        addMatching(form.items(), matchers, out);
        return out;
    }

    private record Matcher(String literal, String function) {
        boolean matches(String linkId) {
            if (function == null) {
                return linkId.equals(literal);
            }
            return switch (function) {
                case "endsWith" -> linkId.endsWith(literal);
                case "startsWith" -> linkId.startsWith(literal);
                case "matches", "matchesFull" -> {
                    try {
                        yield Pattern.compile(literal).matcher(linkId).find();
                    } catch (PatternSyntaxException e) {
                        yield false;
                    }
                }
                default -> linkId.equals(literal);
            };
        }
    }

    private static void literals(ExpressionNode n, String function, List<Matcher> out) {
        for (ExpressionNode e = n; e != null; e = e.getOperation() != null ? e.getOpNext() : null) {
            if (e.getKind() == ExpressionNode.Kind.Constant && e.getConstant() instanceof StringType s) {
                out.add(new Matcher(s.getValue(), function));
            }
            String f = e.getKind() == ExpressionNode.Kind.Function && e.getFunction() != null ? e.getFunction().toCode() : null;
            boolean pattern = "endsWith".equals(f) || "startsWith".equals(f) || "matches".equals(f) || "matchesFull".equals(f);
            if (e.getParameters() != null) {
                for (ExpressionNode p : e.getParameters()) {
                    literals(p, pattern ? f : null, out);
                }
            }
            if (e.getInner() != null) {
                literals(e.getInner(), null, out);
            }
            if (e.getGroup() != null) {
                literals(e.getGroup(), null, out);
            }
        }
    }

    private static void addMatching(List<SdcItem> items, List<Matcher> matchers, Set<SdcItem> out) {
        for (SdcItem i : items) {
            if (!i.isGroup() && !i.isDisplay() && i.calculated() == null && matchers.stream().anyMatch(m -> m.matches(i.linkId()))) {
                out.add(i);
            }
            addMatching(i.children(), matchers, out);
        }
    }
}
