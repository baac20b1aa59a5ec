package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * Maintains the score facts from the storage layer's pre-commit hooks, so a fact is written, changed or removed in the
 * same database transaction as its Observation (a rolled-back transaction Bundle leaves no fact). Covers every way
 * HAPI stores an Observation (REST, Bundles, the scoring pipeline's DAO calls); a bulk delete-expunge bypasses the hooks,
 * so run $rebuild-score-facts after one.
 */
@Component
@Interceptor
class ScoreFactInterceptor implements FhirInterceptor {

    private final ScoreFactMapper mapper;
    private final ScoreFactWriter writer;

    ScoreFactInterceptor(ScoreFactMapper mapper, ScoreFactWriter writer) {
        this.mapper = mapper;
        this.writer = writer;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        if (resource instanceof Observation o) {
            writer.replace(mapper.factKey(o.getIdElement().getIdPart()), mapper.toFact(o));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        if (resource instanceof Observation o) {
            writer.replace(mapper.factKey(o.getIdElement().getIdPart()), mapper.toFact(o));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Observation o) {
            writer.replace(mapper.factKey(o.getIdElement().getIdPart()), Optional.empty());
        }
    }
}
