package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.recoveryoutcomes.server.database.ConformanceResourcesChanged;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Set;

/**
 * Empties the caches of compiled Questionnaires and terminology when a Questionnaire, ValueSet, CodeSystem or
 * ConceptMap is written: at once, and again after the transaction completes, so that no request in between keeps
 * the old version cached. Changes made through another node of a cluster arrive as {@link ConformanceResourcesChanged}.
 */
@Component
@Interceptor
class ConformanceChanges implements FhirInterceptor {

    private static final Set<String> TYPES = Set.of("Questionnaire", "ValueSet", "CodeSystem", "ConceptMap");

    private final CanonicalResources canonicals;
    private final Terminology terminology;
    private final SdcForms forms;

    ConformanceChanges(CanonicalResources canonicals, Terminology terminology, SdcForms forms) {
        this.canonicals = canonicals;
        this.terminology = terminology;
        this.forms = forms;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource newResource) {
        changed(newResource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        changed(resource);
    }

    private void changed(IBaseResource resource) {
        if (resource == null || !TYPES.contains(resource.fhirType())) {
            return;
        }
        invalidate();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    invalidate();
                }
            });
        }
    }

    /** A conformance resource changed through another node (see ConformanceChangeWatcher): within about 10 s. */
    @EventListener
    void changedElsewhere(ConformanceResourcesChanged event) {
        invalidate();
    }

    void invalidate() {
        canonicals.invalidate();
        terminology.invalidate();
        forms.invalidate();
    }
}
