package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.context.support.ValueSetExpansionOptions;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answer lists and weights from ValueSets and CodeSystems: contained in the Questionnaire (by {@code #id} or url) or
 * stored on this server (by canonical). Expansions of stored ValueSets are cached until {@link #invalidate()}.
 */
@Component
public class Terminology {

    /** A code of an answer list, with the weight the ValueSet gives it (not the CodeSystem's). */
    public record Concept(String system, String code, String display, BigDecimal weight) {
    }

    /**
     * The codes of an answer ValueSet.
     *
     * @param concepts by {@code system|code}
     * @param complete false when part of the ValueSet could not be expanded (then a code that is not listed may still be valid)
     */
    public record AnswerSet(Map<String, Concept> concepts, boolean complete) {
        public Concept find(String system, String code) {
            return concepts.get(system + "|" + code);
        }
    }

    private final CanonicalResources canonicals;
    private final IValidationSupport validationSupport;
    private final int cacheSize;
    private final Map<String, Optional<AnswerSet>> stored = new ConcurrentHashMap<>();

    Terminology(CanonicalResources canonicals, IValidationSupport validationSupport, ScoringSettings settings) {
        this.canonicals = canonicals;
        this.validationSupport = validationSupport;
        this.cacheSize = settings.cacheSize();
    }

    /** The answer codes of an item's answerValueSet (contained or stored), or empty when the ValueSet is unknown. */
    public Optional<AnswerSet> answers(SdcForm form, String valueSetReference) {
        if (valueSetReference == null) {
            return Optional.empty();
        }
        Resource contained = form.contained("ValueSet", valueSetReference);
        if (contained instanceof ValueSet vs) {
            return Optional.of(form.answerSet(valueSetReference, () -> expand(vs, form, 0)));
        }
        if (valueSetReference.startsWith("#")) {
            return Optional.empty();
        }
        Optional<AnswerSet> hit = stored.get(valueSetReference);
        if (hit == null) {
            hit = canonicals.find(ValueSet.class, valueSetReference).map(vs -> expand(vs, null, 0));
            if (stored.size() >= cacheSize) {
                stored.clear();
            }
            stored.put(valueSetReference, hit);
        }
        return hit;
    }

    /**
     * A code's weight in a CodeSystem: contained in the response or the Questionnaire (matched by url), else stored.
     * Null when the CodeSystem is unknown or gives the code no weight.
     */
    BigDecimal codeSystemWeight(SdcForm form, QuestionnaireResponse response, String system, String code) {
        CodeSystem cs = codeSystem(form, response, system);
        if (cs == null) {
            return null;
        }
        CodeSystem.ConceptDefinitionComponent c = find(cs, code);
        return c == null ? null : Weights.concept(cs, c);
    }

    private CodeSystem codeSystem(SdcForm form, QuestionnaireResponse response, String system) {
        if (system == null) {
            return null;
        }
        if (response != null) {
            for (Resource r : response.getContained()) {
                if (r instanceof CodeSystem cs && system.equals(cs.getUrl())) {
                    return cs;
                }
            }
        }
        if (form != null && form.contained("CodeSystem", system) instanceof CodeSystem cs) {
            return cs;
        }
        return canonicals.find(CodeSystem.class, system).orElse(null);
    }

    void invalidate() {
        stored.clear();
    }

    private AnswerSet expand(ValueSet vs, SdcForm form, int depth) {
        Map<String, Concept> out = new LinkedHashMap<>();
        boolean complete = true;
        if (vs.hasExpansion() && vs.getExpansion().hasContains()) {
            addContains(vs.getExpansion().getContains(), out);
            return new AnswerSet(Map.copyOf(out), true);
        }
        for (ValueSet.ConceptSetComponent inc : vs.getCompose().getInclude()) {
            complete &= include(inc, vs, form, depth, out);
        }
        for (ValueSet.ConceptSetComponent exc : vs.getCompose().getExclude()) {
            if (exc.hasFilter() || exc.hasValueSet() || !exc.hasConcept()) {
                complete = false;
                continue;
            }
            exc.getConcept().forEach(c -> out.remove(exc.getSystem() + "|" + c.getCode()));
        }
        return new AnswerSet(Map.copyOf(out), complete);
    }

    private boolean include(ValueSet.ConceptSetComponent inc, ValueSet vs, SdcForm form, int depth, Map<String, Concept> out) {
        boolean complete = true;
        for (CanonicalType ref : inc.getValueSet()) {
            Optional<AnswerSet> nested = depth > 5 ? Optional.empty() : answersOf(ref.getValue(), form, depth + 1);
            if (nested.isPresent()) {
                out.putAll(nested.get().concepts());
                complete &= nested.get().complete();
            } else {
                complete = false;
            }
        }
        if (!inc.hasSystem()) {
            return complete;
        }
        String system = inc.getSystem();
        if (inc.hasFilter()) {
            return expandedByTheServer(vs, out) && complete;
        }
        CodeSystem cs = codeSystem(form, null, system);
        if (inc.hasConcept()) {
            for (ValueSet.ConceptReferenceComponent c : inc.getConcept()) {
                String display = c.hasDisplay() ? c.getDisplay() : displayOf(cs, c.getCode());
                out.put(system + "|" + c.getCode(), new Concept(system, c.getCode(), display, Weights.extension(c)));
            }
            return complete;
        }
        if (cs == null) {
            return false;
        }
        addConcepts(system, cs.getConcept(), out);
        return complete && cs.getContent() != CodeSystem.CodeSystemContentMode.FRAGMENT;
    }

    private Optional<AnswerSet> answersOf(String reference, SdcForm form, int depth) {
        Resource contained = form == null ? null : form.contained("ValueSet", reference);
        if (contained instanceof ValueSet vs) {
            return Optional.of(expand(vs, form, depth));
        }
        return canonicals.find(ValueSet.class, reference).map(vs -> expand(vs, form, depth));
    }

    private boolean expandedByTheServer(ValueSet vs, Map<String, Concept> out) {
        try {
            IValidationSupport.ValueSetExpansionOutcome outcome = validationSupport.expandValueSet(
                    new ValidationSupportContext(validationSupport), new ValueSetExpansionOptions().setCount(10_000), vs);
            if (outcome != null && outcome.getValueSet() instanceof ValueSet expanded) {
                addContains(expanded.getExpansion().getContains(), out);
                return true;
            }
        } catch (RuntimeException e) {
            // an expansion the server cannot do leaves the answer list incomplete, it is not an error of the response
        }
        return false;
    }

    private static void addContains(java.util.List<ValueSet.ValueSetExpansionContainsComponent> contains, Map<String, Concept> out) {
        for (ValueSet.ValueSetExpansionContainsComponent c : contains) {
            if (c.hasCode() && !c.getAbstract()) {
                out.put(c.getSystem() + "|" + c.getCode(), new Concept(c.getSystem(), c.getCode(), c.getDisplay(), Weights.extension(c)));
            }
            addContains(c.getContains(), out);
        }
    }

    private static void addConcepts(String system, java.util.List<CodeSystem.ConceptDefinitionComponent> concepts, Map<String, Concept> out) {
        for (CodeSystem.ConceptDefinitionComponent c : concepts) {
            out.put(system + "|" + c.getCode(), new Concept(system, c.getCode(), c.getDisplay(), null));
            addConcepts(system, c.getConcept(), out);
        }
    }

    private static String displayOf(CodeSystem cs, String code) {
        CodeSystem.ConceptDefinitionComponent c = cs == null ? null : find(cs, code);
        return c == null ? null : c.getDisplay();
    }

    static CodeSystem.ConceptDefinitionComponent find(CodeSystem cs, String code) {
        return find(cs.getConcept(), code);
    }

    private static CodeSystem.ConceptDefinitionComponent find(java.util.List<CodeSystem.ConceptDefinitionComponent> concepts, String code) {
        for (CodeSystem.ConceptDefinitionComponent c : concepts) {
            if (c.getCode().equals(code)) {
                return c;
            }
            CodeSystem.ConceptDefinitionComponent nested = find(c.getConcept(), code);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }
}
