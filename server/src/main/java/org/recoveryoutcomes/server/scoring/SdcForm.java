package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UsageContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A Questionnaire compiled for validation and scoring: its items by linkId, its expressions parsed, its weights and
 * options read out. Immutable once built, shared by concurrent requests (see {@link SdcForms}).
 */
public final class SdcForm {

    static final String DOMAIN_SYSTEM = "https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-outcome-domain";
    private static final String USAGE_CONTEXT_TYPE = "http://terminology.hl7.org/CodeSystem/usage-context-type";

    private final Questionnaire questionnaire;
    private final List<SdcItem> items = new ArrayList<>();
    private final Map<String, SdcItem> byLinkId = new HashMap<>();
    private final List<SdcItem> calculated = new ArrayList<>();
    private final List<SdcExpression> variables = new ArrayList<>();
    private final Coding domain;
    private final Map<String, Terminology.AnswerSet> answerSets = new ConcurrentHashMap<>();

    SdcForm(Questionnaire questionnaire, SdcFhirPath fhirPath) {
        this.questionnaire = questionnaire;
        boolean extract = false;
        List<CodeableConcept> categories = new ArrayList<>();
        for (Extension e : questionnaire.getExtension()) {
            if (SdcItem.VARIABLE.equals(e.getUrl()) && e.getValue() instanceof Expression x) {
                variables.add(SdcExpression.compile(x, fhirPath));
            } else if (SdcItem.OBSERVATION_EXTRACT.equals(e.getUrl()) && e.getValue() instanceof BooleanType b) {
                extract = b.booleanValue();
            } else if (SdcItem.EXTRACT_CATEGORY.equals(e.getUrl()) && e.getValue() instanceof CodeableConcept cc) {
                categories.add(cc);
            }
        }
        for (Questionnaire.QuestionnaireItemComponent i : questionnaire.getItem()) {
            items.add(new SdcItem(i, null, items.size(), fhirPath, extract, List.copyOf(categories)));
        }
        index(items);
        this.domain = findDomain(questionnaire);
    }

    private void index(List<SdcItem> level) {
        for (SdcItem i : level) {
            byLinkId.putIfAbsent(i.linkId(), i);
            if (i.calculated() != null) {
                calculated.add(i);
            }
            index(i.children());
        }
    }

    private static Coding findDomain(Questionnaire q) {
        for (UsageContext uc : q.getUseContext()) {
            if (uc.getCode() != null && USAGE_CONTEXT_TYPE.equals(uc.getCode().getSystem()) && "focus".equals(uc.getCode().getCode())
                    && uc.getValue() instanceof CodeableConcept cc) {
                for (Coding c : cc.getCoding()) {
                    if (DOMAIN_SYSTEM.equals(c.getSystem())) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    public Questionnaire questionnaire() {
        return questionnaire;
    }

    /** {@code url|version} (or what identifies a Questionnaire without url). */
    public String canonical() {
        String url = questionnaire.hasUrl() ? questionnaire.getUrl() : "Questionnaire/" + questionnaire.getIdElement().getIdPart();
        return questionnaire.hasVersion() ? url + "|" + questionnaire.getVersion() : url;
    }

    /** Top-level items in Questionnaire order. */
    public List<SdcItem> items() {
        return Collections.unmodifiableList(items);
    }

    public SdcItem item(String linkId) {
        return linkId == null ? null : byLinkId.get(linkId);
    }

    /** Items with a calculatedExpression, in document order. */
    public List<SdcItem> calculated() {
        return Collections.unmodifiableList(calculated);
    }

    /** Questionnaire-level variables, in order. */
    public List<SdcExpression> variables() {
        return Collections.unmodifiableList(variables);
    }

    /** The recovery outcome domain of the Questionnaire's useContext focus, or null. */
    public Coding domain() {
        return domain;
    }

    /** A contained ValueSet/CodeSystem: {@code #id}, or a contained resource with that url (as fhirpath.js resolves it). */
    public Resource contained(String type, String reference) {
        if (reference == null) {
            return null;
        }
        for (Resource r : questionnaire.getContained()) {
            if (!r.fhirType().equals(type)) {
                continue;
            }
            if (reference.startsWith("#")) {
                // HAPI keeps contained ids with or without the '#', depending on how the resource was built
                String id = r.getIdElement().getIdPart();
                if (id != null && reference.substring(1).equals(id.startsWith("#") ? id.substring(1) : id)) {
                    return r;
                }
                continue;
            }
            String url = reference.contains("|") ? reference.substring(0, reference.indexOf('|')) : reference;
            if (r instanceof MetadataResource m && url.equals(m.getUrl())) {
                return r;
            }
        }
        return null;
    }

    /** Expansions of contained ValueSets, kept with the compiled form. */
    Terminology.AnswerSet answerSet(String reference, Supplier<Terminology.AnswerSet> expansion) {
        return answerSets.computeIfAbsent(reference, r -> expansion.get());
    }
}
