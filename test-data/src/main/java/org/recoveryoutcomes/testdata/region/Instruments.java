package org.recoveryoutcomes.testdata.region;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.ValueSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's Questionnaires and the CodeSystems their answers come from, read from the FHIR packages of the
 * questionnaires and terminology modules on the class path: responses are made against what is published.
 */
final class Instruments {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final List<String> QUESTIONNAIRES = List.of("wemwbs", "swemwbs", "qpr-15", "qpr-22", "inspire", "inspire-brief",
            "mansa", "social-inclusion", "recovery-narrative", "recovery-practice", "organisational-indicators", "key-challenges");
    private static final List<String> CODE_SYSTEMS = List.of("employment-status", "accommodation-status", "chime-theme",
            "service-use-type", "recovery-score");

    private final Map<String, Questionnaire> questionnaires = new HashMap<>();
    private final Map<String, CodeSystem> codeSystems = new HashMap<>();
    private final ValueSet gasLevels;

    Instruments(FhirContext fhir) {
        for (String id : QUESTIONNAIRES) {
            questionnaires.put(id, read(fhir, Questionnaire.class,
                    "fhir-packages/recovery-outcomes.questionnaires/package/Questionnaire-" + id + ".json"));
        }
        for (String id : CODE_SYSTEMS) {
            codeSystems.put(id, read(fhir, CodeSystem.class,
                    "fhir-packages/recovery-outcomes.terminology/package/CodeSystem-" + id + ".json"));
        }
        gasLevels = read(fhir, ValueSet.class, "fhir-packages/recovery-outcomes.terminology/package/ValueSet-gas-attainment-level.json");
    }

    Questionnaire questionnaire(String id) {
        Questionnaire q = questionnaires.get(id);
        if (q == null) {
            throw new IllegalArgumentException("no Questionnaire " + id);
        }
        return q;
    }

    /** {@code url|version}, as a response names the Questionnaire it answers. */
    String canonical(String id) {
        Questionnaire q = questionnaire(id);
        return q.getUrl() + "|" + q.getVersion();
    }

    /** A coding of one of the project's CodeSystems, with its display; fails on a code the CodeSystem does not have. */
    Coding coding(String codeSystemId, String code) {
        CodeSystem cs = codeSystems.get(codeSystemId);
        if (cs == null) {
            throw new IllegalArgumentException("no CodeSystem " + codeSystemId);
        }
        CodeSystem.ConceptDefinitionComponent concept = find(cs.getConcept(), code);
        if (concept == null) {
            throw new IllegalArgumentException(cs.getUrl() + " has no code " + code);
        }
        return new Coding(cs.getUrl(), code, concept.getDisplay());
    }

    /** The LOINC answer for a GAS level −2…+2, from the gas-attainment-level ValueSet (matched on its itemWeight). */
    Coding gasLevel(int level) {
        for (ValueSet.ConceptSetComponent include : gasLevels.getCompose().getInclude()) {
            for (ValueSet.ConceptReferenceComponent c : include.getConcept()) {
                Extension weight = c.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/itemWeight");
                if (weight != null && ((DecimalType) weight.getValue()).getValue().intValueExact() == level) {
                    return new Coding(include.getSystem(), c.getCode(), c.getDisplay());
                }
            }
        }
        throw new IllegalArgumentException("no GAS answer for level " + level);
    }

    private static CodeSystem.ConceptDefinitionComponent find(List<CodeSystem.ConceptDefinitionComponent> concepts, String code) {
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

    private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T read(FhirContext fhir, Class<T> type, String path) {
        try (InputStream in = Instruments.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path (is the module built?)");
            }
            return fhir.newJsonParser().parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
