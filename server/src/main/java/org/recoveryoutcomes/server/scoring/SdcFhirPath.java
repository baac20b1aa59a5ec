package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Operation;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * HAPI's R4 FHIRPath engine with what SDC adds: {@code %questionnaire}, {@code %qitem}, variables, and the functions
 * fhirpath.js has and HAPI's engine lacks ({@code weight()}/{@code ordinal()}, {@code sum()}, {@code min()},
 * {@code max()}, {@code avg()}). Division is evaluated with 34 significant digits (HAPI derives a quotient's precision
 * from its operands: {@code 125 / 3} = 41.7), so results agree with fhirpath.js.
 */
@Component
public class SdcFhirPath {

    private static final String DIVIDE = "__divide";
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    private final FhirContext fhirContext;
    private final IValidationSupport validationSupport;
    private final Terminology terminology;
    private volatile FHIRPathEngine engine;

    SdcFhirPath(FhirContext fhirContext, IValidationSupport validationSupport, Terminology terminology) {
        this.fhirContext = fhirContext;
        this.validationSupport = validationSupport;
        this.terminology = terminology;
    }

    private FHIRPathEngine engine() {
        FHIRPathEngine e = engine;
        if (e == null) {
            synchronized (this) {
                if (engine == null) {
                    FHIRPathEngine created = new TypedChoiceNames(new HapiWorkerContext(fhirContext, validationSupport));
                    created.setHostServices(new Host());
                    engine = created;
                }
                e = engine;
            }
        }
        return e;
    }

    ExpressionNode parse(String text) {
        return rewriteChain(engine().parse(text));
    }

    /** Evaluates a compiled expression; throws when it cannot be evaluated (as fhirpath.js does). */
    public List<Base> evaluate(SdcExpression expression, Evaluation evaluation, Base context) {
        if (expression.node() == null) {
            throw new PathEngineException(expression.problem());
        }
        return engine().evaluate(evaluation, evaluation.response(), evaluation.response(), context, expression.node());
    }

    /**
     * Evaluates variables in order, each seeing the ones before; a variable that fails is left undefined (using it
     * then fails), as in the reference oracle. Problems are added to {@code problems}.
     */
    void defineVariables(List<SdcExpression> variables, Evaluation evaluation, Base context, SdcItem qitem, List<String> problems) {
        SdcItem previous = evaluation.qitem();
        evaluation.qitem(qitem);
        try {
            for (SdcExpression v : variables) {
                if (v.name() == null) {
                    continue;
                }
                try {
                    evaluation.define(v.name(), evaluate(v, evaluation, context));
                } catch (RuntimeException e) {
                    evaluation.undefine(v.name());
                    problems.add("variable %" + v.name() + " could not be evaluated: " + e.getMessage());
                }
            }
        } finally {
            evaluation.qitem(previous);
        }
    }

    // ---------------------------------------------------------------------------------------------------- division
    // After HAPI's parser, a chain of operations of one precedence level hangs off its first node (operation/opNext).
    // A chain containing '/' is rebuilt as a left fold where each '/' becomes __divide(left, right).

    private ExpressionNode rewriteChain(ExpressionNode head) {
        if (head == null) {
            return null;
        }
        boolean divides = false;
        for (ExpressionNode n = head; n != null; n = n.getOperation() != null ? n.getOpNext() : null) {
            rewriteChildren(n);
            divides |= n.getOperation() == Operation.DivideBy;
        }
        if (!divides) {
            return head;
        }
        boolean proximal = head.isProximal();
        ExpressionNode acc = head;
        Operation op = head.getOperation();
        ExpressionNode next = head.getOpNext();
        acc.setOperation(null);
        acc.setOpNext(null);
        while (op != null && next != null) {
            Operation nextOp = next.getOperation();
            ExpressionNode after = next.getOpNext();
            next.setOperation(null);
            next.setOpNext(null);
            next.setProximal(true);
            if (op == Operation.DivideBy) {
                ExpressionNode f = new ExpressionNode(0);
                f.setKind(Kind.Function);
                f.setFunction(ExpressionNode.Function.Custom);
                f.setName(DIVIDE);
                if (f.getParameters() == null) {
                    throw new IllegalStateException("HAPI's ExpressionNode has no parameter list for a function node");
                }
                f.setStart(acc.getStart());
                f.setEnd(next.getEnd());
                f.getParameters().add(acc);
                f.getParameters().add(next);
                acc = f;
            } else {
                ExpressionNode g = new ExpressionNode(0);
                g.setKind(Kind.Group);
                g.setStart(acc.getStart());
                g.setEnd(next.getEnd());
                acc.setOperation(op);
                acc.setOpNext(next);
                acc.setProximal(true);
                g.setGroup(acc);
                acc = g;
            }
            op = nextOp;
            next = after;
        }
        acc.setProximal(proximal);
        return acc;
    }

    private void rewriteChildren(ExpressionNode n) {
        if (n.getInner() != null) {
            n.setInner(rewriteChain(n.getInner()));
        }
        if (n.getGroup() != null) {
            n.setGroup(rewriteChain(n.getGroup()));
        }
        List<ExpressionNode> params = n.getParameters();
        for (int i = 0; params != null && i < params.size(); i++) {
            params.set(i, rewriteChain(params.get(i)));
        }
    }

    /**
     * Reads choice elements by their typed name too ({@code answer.valueCoding}, {@code extension.valueDecimal}), as
     * fhirpath.js does. HAPI's own option for this (allowPolymorphicNames) breaks the plain name ({@code answer.value}).
     */
    private static final class TypedChoiceNames extends FHIRPathEngine {

        TypedChoiceNames(HapiWorkerContext worker) {
            super(worker);
        }

        @Override
        protected void getChildrenByName(Base item, String name, List<Base> result) throws FHIRException {
            int before = result.size();
            super.getChildrenByName(item, name, result);
            if (result.size() != before || name.chars().noneMatch(Character::isUpperCase)) {
                return;
            }
            for (Property p : item.children()) {
                String choice = p.getName();
                if (!choice.endsWith("[x]")) {
                    continue;
                }
                String base = choice.substring(0, choice.length() - 3);
                if (name.length() > base.length() && name.startsWith(base)) {
                    String type = name.substring(base.length());
                    for (Base v : p.getValues()) {
                        if (v != null && v.fhirType().equalsIgnoreCase(type)) {
                            result.add(v);
                        }
                    }
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- host
    private final class Host implements IHostApplicationServices {

        @Override
        public List<Base> resolveConstant(FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            if (mode != FHIRPathConstantEvaluationMode.EXPLICIT || !(appContext instanceof Evaluation ev)) {
                return new ArrayList<>();
            }
            switch (name) {
                case "questionnaire":
                    return new ArrayList<>(List.of(ev.form().questionnaire()));
                case "qitem":
                    return ev.qitem() == null ? new ArrayList<>() : new ArrayList<>(List.of(ev.qitem().definition()));
                default:
                    List<Base> value = ev.variable(name);
                    if (value == null) {
                        throw new PathEngineException("undefined environment variable %" + name);
                    }
                    return new ArrayList<>(value);
            }
        }

        @Override
        public TypeDetails resolveConstantType(FHIRPathEngine engine, Object appContext, String name, FHIRPathConstantEvaluationMode mode) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String name) {
            return switch (name) {
                case "weight", "ordinal" -> new FunctionDetails("SDC: the itemWeight of each answer", 0, 0);
                case "sum", "min", "max", "avg" -> new FunctionDetails("FHIRPath aggregate " + name, 0, 0);
                default -> null;
            };
        }

        @Override
        public TypeDetails checkFunction(FHIRPathEngine engine, Object appContext, String name, TypeDetails focus, List<TypeDetails> parameters) {
            return new TypeDetails(ExpressionNode.CollectionStatus.ORDERED, "decimal");
        }

        @Override
        public List<Base> executeFunction(FHIRPathEngine engine, Object appContext, List<Base> focus, String name, List<List<Base>> parameters) {
            return switch (name) {
                case "weight", "ordinal" -> weights((Evaluation) appContext, focus);
                case "sum" -> sum(focus);
                case "min" -> extreme(focus, -1);
                case "max" -> extreme(focus, 1);
                case "avg" -> avg(focus);
                case DIVIDE -> divide(parameters.get(0), parameters.get(1));
                default -> throw new PathEngineException("unknown function " + name + "()");
            };
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) throws FHIRException {
            return null;
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) throws FHIRException {
            return false;
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------- weight()

    /** SDC weight(): the order fhirpath.js 5.2 looks in, plus stored ValueSets/CodeSystems instead of a terminology server. */
    private List<Base> weights(Evaluation ev, List<Base> focus) {
        List<Base> out = new ArrayList<>();
        for (Base b : focus) {
            BigDecimal w = weight(ev, b);
            if (w != null) {
                out.add(new DecimalType(w));
            }
        }
        return out;
    }

    private BigDecimal weight(Evaluation ev, Base node) {
        if (node instanceof QuestionnaireResponseItemAnswerComponent answer) {
            Type value = answer.getValue();
            if (value == null) {
                return null;
            }
            BigDecimal own = Weights.extension(value);
            return own != null ? own : fromQuestionnaire(ev, ev.ownerOf(answer), value);
        }
        if (node instanceof QuestionnaireItemAnswerOptionComponent option) {
            BigDecimal w = Weights.extension(option);
            return w == null && option.getValue() instanceof Coding c ? Weights.extension(c) : w;
        }
        if (node instanceof ValueSet.ConceptReferenceComponent concept) {
            return Weights.extension(concept);
        }
        if (node instanceof CodeSystem.ConceptDefinitionComponent concept) {
            return Weights.extension(concept);
        }
        if (node instanceof Type value) {
            QuestionnaireResponseItemComponent owner = ev.ownerOf(value);
            BigDecimal own = Weights.extension(value);
            if (own != null) {
                return own;
            }
            if (owner != null) {
                return fromQuestionnaire(ev, owner, value);
            }
            if (value instanceof Coding c && c.hasSystem()) {
                return terminology.codeSystemWeight(ev.form(), ev.response(), c.getSystem(), c.getCode());
            }
        }
        return null;
    }

    private BigDecimal fromQuestionnaire(Evaluation ev, QuestionnaireResponseItemComponent owner, Type value) {
        if (owner == null) {
            return null;
        }
        SdcItem item = ev.form().item(owner.getLinkId());
        if (item == null) {
            throw new PathEngineException("Questionnaire item with this linkId were not found: " + owner.getLinkId() + ".");
        }
        SdcOption option = item.option(value);
        if (option != null && option.weight() != null) {
            return option.weight();
        }
        boolean coded = value instanceof Coding;
        String system = coded ? ((Coding) value).getSystem() : null;
        String code = coded ? ((Coding) value).getCode() : null;
        if (code == null || !(option != null && system != null || item.answerValueSet() != null)) {
            return null;
        }
        if (item.answerValueSet() != null) {
            Terminology.AnswerSet answers = terminology.answers(ev.form(), item.answerValueSet()).orElse(null);
            if (answers == null && item.answerValueSet().startsWith("#")) {
                throw new PathEngineException("Cannot find a contained value set with id: " + item.answerValueSet().substring(1) + ".");
            }
            Terminology.Concept c = answers == null ? null : answers.find(system, code);
            if (c != null && c.weight() != null) {
                return c.weight();
            }
        }
        return system == null ? null : terminology.codeSystemWeight(ev.form(), ev.response(), system, code);
    }

    // ---------------------------------------------------------------------------------------------------- aggregates

    /** fhirpath.js: {@code value.tail().aggregate($this + $total, value.first())}; empty for an empty input. */
    private static List<Base> sum(List<Base> focus) {
        if (focus.isEmpty()) {
            return new ArrayList<>();
        }
        if (focus.size() == 1) {
            return new ArrayList<>(focus);
        }
        String kind = null;
        boolean integers = true;
        BigDecimal total = BigDecimal.ZERO;
        StringBuilder text = new StringBuilder();
        Quantity quantity = null;
        for (Base b : focus) {
            if (b instanceof PrimitiveType<?> p && !p.hasValue()) {
                return new ArrayList<>();
            }
            String k = b instanceof IntegerType || b instanceof DecimalType ? "number" : b instanceof Quantity ? "quantity"
                    : b instanceof StringType ? "string" : b.fhirType();
            if (kind != null && !kind.equals(k)) {
                throw new PathEngineException("sum() of " + kind + " and " + k + " values is not supported");
            }
            kind = k;
            if (b instanceof IntegerType i) {
                total = total.add(BigDecimal.valueOf(i.getValue()));
            } else if (b instanceof DecimalType d) {
                total = total.add(d.getValue());
                integers = false;
            } else if (b instanceof Quantity q && q.hasValue()) {
                if (quantity != null && !java.util.Objects.equals(quantity.getCode(), q.getCode())) {
                    throw new PathEngineException("sum() of quantities with different units is not supported");
                }
                quantity = quantity == null ? q.copy() : quantity.setValue(quantity.getValue().add(q.getValue()));
            } else if (b instanceof StringType s) {
                text.append(s.getValue());
            } else {
                throw new PathEngineException("sum() of " + b.fhirType() + " values is not supported");
            }
        }
        Base result = switch (kind) {
            case "quantity" -> quantity;
            case "string" -> new StringType(text.toString());
            default -> integers ? new IntegerType(total.intValueExact()) : new DecimalType(total);
        };
        return new ArrayList<>(List.of(result));
    }

    private static List<Base> avg(List<Base> focus) {
        List<Base> total = sum(focus);
        if (total.isEmpty()) {
            return total;
        }
        BigDecimal n = BigDecimal.valueOf(focus.size());
        return new ArrayList<>(List.of(new DecimalType(number(total.get(0)).divide(n, PRECISION))));
    }

    /** min() (sign -1) and max() (sign 1) over numbers or strings; empty if any value is empty. */
    private static List<Base> extreme(List<Base> focus, int sign) {
        Base best = null;
        for (Base b : focus) {
            if (b instanceof PrimitiveType<?> p && !p.hasValue()) {
                return new ArrayList<>();
            }
            if (best == null || compare(b, best) * sign > 0) {
                best = b;
            }
        }
        return best == null ? new ArrayList<>() : new ArrayList<>(List.of(best));
    }

    private static int compare(Base a, Base b) {
        BigDecimal x = numberOrNull(a);
        BigDecimal y = numberOrNull(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        if (a instanceof PrimitiveType<?> p && b instanceof PrimitiveType<?> q && p.fhirType().equals(q.fhirType())) {
            return p.getValueAsString().compareTo(q.getValueAsString());
        }
        throw new PathEngineException("cannot compare " + a.fhirType() + " with " + b.fhirType());
    }

    private static List<Base> divide(List<Base> left, List<Base> right) {
        if (left.isEmpty() || right.isEmpty()) {
            return new ArrayList<>();
        }
        if (left.size() > 1 || right.size() > 1) {
            throw new PathEngineException("Cannot divide collections with more than one item");
        }
        BigDecimal divisor = number(right.get(0));
        if (divisor.signum() == 0) {
            return new ArrayList<>();
        }
        if (left.get(0) instanceof Quantity q) {
            return new ArrayList<>(List.of(q.copy().setValue(q.getValue().divide(divisor, PRECISION))));
        }
        return new ArrayList<>(List.of(new DecimalType(number(left.get(0)).divide(divisor, PRECISION))));
    }

    private static BigDecimal number(Base b) {
        BigDecimal n = numberOrNull(b);
        if (n == null) {
            throw new PathEngineException("a number was expected, not a " + b.fhirType());
        }
        return n;
    }

    private static BigDecimal numberOrNull(Base b) {
        if (b instanceof IntegerType i && i.getValue() != null) {
            return BigDecimal.valueOf(i.getValue());
        }
        if (b instanceof DecimalType d) {
            return d.getValue();
        }
        if (b instanceof Quantity q) {
            return q.getValue();
        }
        return null;
    }
}
