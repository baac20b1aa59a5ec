package org.recoveryoutcomes.server.organisation;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.recoveryoutcomes.server.content.FhirPackages;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Box 2 indicators, the 10 key challenges and the progress scale, from the project's terminology package: the
 * answers are reported as codings of these CodeSystems, in their order. The Questionnaires' linkIds are the codes
 * (questionnaires/README.md): Box 2 items {@code rosi}, {@code imroc-self-assessment}, …; key challenge groups
 * {@code kc-01} … with the answer in {@code kc-NN-progress}.
 */
@Component
class IndicatorTerminology {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final String INDICATORS = CANON + "/CodeSystem/organisational-indicator";
    static final String CHALLENGES = CANON + "/CodeSystem/key-challenge";
    static final String PROGRESS = CANON + "/CodeSystem/key-challenge-progress";
    private static final String PACKAGE = "classpath*:fhir-packages/recovery-outcomes.terminology.tgz";

    /** A progress level with its numeric value (itemWeight). */
    record Level(Coding coding, int weight) {
    }

    private final List<Coding> indicators = new ArrayList<>();
    private final List<Coding> challenges = new ArrayList<>();
    private final Map<String, Level> levels = new LinkedHashMap<>();

    IndicatorTerminology(FhirContext fhirContext) {
        Map<String, CodeSystem> systems = new LinkedHashMap<>();
        FhirPackages.load(fhirContext, PACKAGE).forEach(p -> {
            if (p.resource() instanceof CodeSystem cs) {
                systems.put(cs.getUrl(), cs);
            }
        });
        selectable(require(systems, INDICATORS).getConcept(), indicators);
        selectable(require(systems, CHALLENGES).getConcept(), challenges);
        for (CodeSystem.ConceptDefinitionComponent c : require(systems, PROGRESS).getConcept()) {
            int weight = c.getProperty().stream().filter(p -> p.getCode().equals("itemWeight"))
                    .map(p -> p.getValueDecimalType().getValue().intValue()).findFirst().orElseThrow();
            levels.put(c.getCode(), new Level(new Coding(PROGRESS, c.getCode(), c.getDisplay()), weight));
        }
    }

    private static CodeSystem require(Map<String, CodeSystem> systems, String url) {
        CodeSystem cs = systems.get(url);
        if (cs == null) {
            throw new IllegalStateException("CodeSystem " + url + " is not in " + PACKAGE);
        }
        return cs;
    }

    private static void selectable(List<CodeSystem.ConceptDefinitionComponent> concepts, List<Coding> out) {
        for (CodeSystem.ConceptDefinitionComponent c : concepts) {
            boolean heading = c.getProperty().stream().anyMatch(p -> p.getCode().equals("notSelectable") && p.getValueBooleanType().booleanValue());
            if (!heading) {
                out.add(new Coding(null, c.getCode(), c.getDisplay()));
            }
            selectable(c.getConcept(), out);
        }
    }

    /** Box 2 indicators (yes / no questions), in CodeSystem order. */
    List<Coding> indicators() {
        return indicators.stream().map(c -> new Coding(INDICATORS, c.getCode(), c.getDisplay())).toList();
    }

    /** The 10 key challenges. */
    List<Coding> challenges() {
        return challenges.stream().map(c -> new Coding(CHALLENGES, c.getCode(), c.getDisplay())).toList();
    }

    /** Progress levels, lowest first. */
    List<Level> levels() {
        return List.copyOf(levels.values());
    }

    Level level(String code) {
        return levels.get(code);
    }
}
