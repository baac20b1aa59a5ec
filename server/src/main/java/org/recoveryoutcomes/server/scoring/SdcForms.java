package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.Questionnaire;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled Questionnaires by the canonical a response names ({@code url|version} or {@code url}), cached until a
 * Questionnaire, ValueSet or CodeSystem is written (see {@link ConformanceChanges}).
 */
@Component
public class SdcForms {

    private final CanonicalResources canonicals;
    private final SdcFhirPath fhirPath;
    private final int cacheSize;
    private final Map<String, Optional<SdcForm>> cache = new ConcurrentHashMap<>();

    SdcForms(CanonicalResources canonicals, SdcFhirPath fhirPath, ScoringSettings settings) {
        this.canonicals = canonicals;
        this.fhirPath = fhirPath;
        this.cacheSize = settings.cacheSize();
    }

    /** The stored Questionnaire a response's {@code questionnaire} names, compiled; empty when there is none. */
    public Optional<SdcForm> find(String canonical) {
        if (canonical == null || canonical.isBlank()) {
            return Optional.empty();
        }
        Optional<SdcForm> hit = cache.get(canonical);
        if (hit == null) {
            hit = canonicals.find(Questionnaire.class, canonical).map(this::compile);
            if (cache.size() >= cacheSize) {
                cache.clear();
            }
            cache.put(canonical, hit);
        }
        return hit;
    }

    /** Compiles a Questionnaire that is not (necessarily) stored; not cached. */
    public SdcForm compile(Questionnaire questionnaire) {
        return new SdcForm(questionnaire, fhirPath);
    }

    void invalidate() {
        cache.clear();
    }
}
