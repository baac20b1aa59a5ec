package org.recoveryoutcomes.server.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.LookupCodeRequest;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

import java.util.List;

/**
 * Answers {@code $lookup} for the project's own CodeSystems from the stored CodeSystem resource, returning every
 * concept property. HAPI's database-backed lookup only knows string and Coding properties and fails with a 500 on
 * the decimal {@code itemWeight} property that SDC answer scales carry.
 */
class ProjectCodeSystemLookup implements IValidationSupport {

    static final String PREFIX = "https://w3id.org/recovery-outcomes/fhir/CodeSystem/";

    private final FhirContext fhirContext;

    ProjectCodeSystemLookup(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Override
    public FhirContext getFhirContext() {
        return fhirContext;
    }

    @Override
    public String getName() {
        return "recovery-outcomes-code-system-lookup";
    }

    @Override
    public boolean isCodeSystemSupported(ValidationSupportContext ctx, String system) {
        return system != null && system.startsWith(PREFIX) && fetch(ctx, system) != null;
    }

    @Override
    public LookupCodeResult lookupCode(ValidationSupportContext ctx, LookupCodeRequest request) {
        String system = request.getSystem();
        if (system == null || !system.startsWith(PREFIX)) {
            return null;
        }
        CodeSystem cs = fetch(ctx, system);
        if (cs == null) {
            return null;
        }
        ConceptDefinitionComponent concept = find(cs.getConcept(), request.getCode());
        if (concept == null) {
            return LookupCodeResult.notFound(system, request.getCode());
        }
        LookupCodeResult result = new LookupCodeResult().setFound(true)
                .setSearchedForSystem(system).setSearchedForCode(request.getCode());
        result.setCodeDisplay(concept.getDisplay());
        result.setCodeSystemDisplayName(cs.hasTitle() ? cs.getTitle() : cs.getName());
        result.setCodeSystemVersion(cs.getVersion());
        var names = request.getPropertyNames();
        for (CodeSystem.ConceptPropertyComponent p : concept.getProperty()) {
            if (names != null && !names.isEmpty() && !names.contains(p.getCode())) {
                continue;
            }
            if (p.getCode().equals("notSelectable") && p.hasValueBooleanType()) {
                result.setCodeIsAbstract(p.getValueBooleanType().booleanValue());
            }
            if (p.getValue() instanceof org.hl7.fhir.r4.model.Coding c) {
                result.getProperties().add(new CodingConceptProperty(p.getCode(), c.getSystem(), c.getCode(), c.getDisplay()));
            } else if (p.getValue() instanceof org.hl7.fhir.r4.model.BooleanType b) {
                result.getProperties().add(new BooleanConceptProperty(p.getCode(), b.booleanValue()));
            } else {
                // decimal, integer and code values travel as strings here; LookupResponseTypes restores their type
                result.getProperties().add(new StringConceptProperty(p.getCode(), p.getValue().primitiveValue()));
            }
        }
        for (CodeSystem.ConceptDefinitionDesignationComponent d : concept.getDesignation()) {
            ConceptDesignation designation = new ConceptDesignation().setLanguage(d.getLanguage()).setValue(d.getValue());
            if (d.hasUse()) {
                designation.setUseSystem(d.getUse().getSystem()).setUseCode(d.getUse().getCode()).setUseDisplay(d.getUse().getDisplay());
            }
            result.getDesignations().add(designation);
        }
        return result;
    }

    private static CodeSystem fetch(ValidationSupportContext ctx, String system) {
        return ctx.getRootValidationSupport().fetchCodeSystem(system) instanceof CodeSystem cs ? cs : null;
    }

    private static ConceptDefinitionComponent find(List<ConceptDefinitionComponent> concepts, String code) {
        for (ConceptDefinitionComponent c : concepts) {
            if (c.getCode().equals(code)) {
                return c;
            }
            ConceptDefinitionComponent nested = find(c.getConcept(), code);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }
}
