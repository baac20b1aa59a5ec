package org.recoveryoutcomes.server.profile;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Box 3 domains (contract §2.1, in contract order) and the score codes of the recovery-score CodeSystem with
 * their {@code domain} and {@code direction} properties, read from the CodeSystem stored on this server.
 */
@Component
class ScoreCatalogue {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final String SCORE_SYSTEM = CANON + "/CodeSystem/recovery-score";
    static final String DOMAIN_SYSTEM = CANON + "/CodeSystem/recovery-outcome-domain";

    /** The six domains in contract order, with their displays. */
    static final Map<String, String> DOMAINS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("recovery-supporting-care", "Quality of recovery-supporting care");
        d.put("individual-recovery-goals", "Achievement of individual recovery goals");
        d.put("personal-recovery", "Subjective measures of personal recovery");
        d.put("socially-valued-goals", "Achievement of socially valued goals");
        d.put("quality-of-life", "Quality of life and well-being");
        d.put("service-use", "Service use");
        DOMAINS = java.util.Collections.unmodifiableMap(d);
    }

    record ScoreCode(String code, String display, String domain, String direction, int order) {
    }

    private final DaoRegistry daoRegistry;

    ScoreCatalogue(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /** The score codes in CodeSystem order (empty when the CodeSystem is not installed). */
    Map<String, ScoreCode> scores() {
        SearchParameterMap map = SearchParameterMap.newSynchronous().add(CodeSystem.SP_URL, new UriParam(SCORE_SYSTEM));
        List<CodeSystem> found = daoRegistry.getResourceDao(CodeSystem.class).search(map, new SystemRequestDetails())
                .getAllResources().stream().map(CodeSystem.class::cast).toList();
        Map<String, ScoreCode> codes = new LinkedHashMap<>();
        if (found.isEmpty()) {
            return codes;
        }
        int i = 0;
        for (CodeSystem.ConceptDefinitionComponent c : found.get(0).getConcept()) {
            codes.put(c.getCode(), new ScoreCode(c.getCode(), c.getDisplay(), property(c, "domain"), property(c, "direction"), i++));
        }
        return codes;
    }

    static Coding domainCoding(String code) {
        return new Coding(DOMAIN_SYSTEM, code, DOMAINS.get(code));
    }

    private static String property(CodeSystem.ConceptDefinitionComponent c, String name) {
        return c.getProperty().stream().filter(p -> name.equals(p.getCode()) && p.hasValue())
                .map(p -> p.getValue().primitiveValue()).findFirst().orElse(null);
    }
}
