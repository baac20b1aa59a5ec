package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeSystem;
import org.recoveryoutcomes.server.content.FhirPackages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recovery-score codes (contract §2.3) with their direction, read from the project's terminology package, and the
 * reliable-change rule of each from the settings.
 */
@Component
class ScoreCodes {

    static final String SYSTEM = "https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score";
    private static final String TERMINOLOGY_PACKAGE = "classpath*:fhir-packages/recovery-outcomes.terminology.tgz";
    private static final Logger log = LoggerFactory.getLogger(ScoreCodes.class);

    private final Map<String, String> displays = new LinkedHashMap<>();
    private final Map<String, ChangeRule> rules = new TreeMap<>();

    ScoreCodes(FhirContext fhirContext, AggregateSettings settings) {
        CodeSystem cs = FhirPackages.load(fhirContext, TERMINOLOGY_PACKAGE).stream()
                .map(FhirPackages.PackagedResource::resource)
                .filter(r -> r instanceof CodeSystem c && SYSTEM.equals(c.getUrl()))
                .map(CodeSystem.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("CodeSystem " + SYSTEM + " is not in " + TERMINOLOGY_PACKAGE));
        for (CodeSystem.ConceptDefinitionComponent c : cs.getConcept()) {
            displays.put(c.getCode(), c.getDisplay());
            String direction = c.getProperty().stream().filter(p -> p.getCode().equals("direction"))
                    .map(p -> p.getValue().primitiveValue()).findFirst().orElse("not-ordered");
            ChangeRule.Direction d = switch (direction) {
                case "higher-is-better" -> ChangeRule.Direction.HIGHER_IS_BETTER;
                case "lower-is-better" -> ChangeRule.Direction.LOWER_IS_BETTER;
                default -> ChangeRule.Direction.NOT_ORDERED;
            };
            BigDecimal threshold = settings.reliableChange().get(c.getCode());
            if (threshold != null && d == ChangeRule.Direction.NOT_ORDERED) {
                log.warn("recovery.aggregate.reliable-change.{} ignored: the score is not ordered", c.getCode());
                threshold = null;
            }
            rules.put(c.getCode(), new ChangeRule(d, threshold));
        }
        settings.reliableChange().keySet().stream().filter(code -> !displays.containsKey(code))
                .forEach(code -> log.warn("recovery.aggregate.reliable-change.{} ignored: not a recovery-score code", code));
    }

    boolean isKnown(String code) {
        return displays.containsKey(code);
    }

    String display(String code) {
        return displays.get(code);
    }

    ChangeRule rule(String code) {
        return rules.getOrDefault(code, ChangeRule.notApplicable());
    }

    Map<String, ChangeRule> rules() {
        return Collections.unmodifiableMap(rules);
    }

    /** What the cube's reliable-change figures depend on. */
    String signature() {
        StringBuilder s = new StringBuilder();
        rules.forEach((code, rule) -> s.append(code).append('=').append(rule.signature()).append(';'));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
