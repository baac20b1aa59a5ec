package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/**
 * Makes conditional creates idempotent under concurrency. HAPI records each conditional create's match URL under a
 * unique constraint (HFJ_RES_SEARCH_URL), so of several simultaneous identical requests only one can commit; the
 * others fail on that constraint. This retries them (HAPI re-runs the whole request in a new transaction), and the
 * retry finds the committed resource: every client gets the same resource, and exactly one exists. Applies to POST
 * with If-None-Exist, to conditional PUT, and to transaction/batch Bundles (which may contain ifNoneExist entries).
 */
@Component
@Interceptor
class ConditionalCreateRetry implements FhirInterceptor {

    private static final int RETRIES = 5;

    @Hook(Pointcut.STORAGE_VERSION_CONFLICT)
    public ResourceVersionConflictResolutionStrategy retry(RequestDetails request) {
        ResourceVersionConflictResolutionStrategy strategy = new ResourceVersionConflictResolutionStrategy();
        if (request == null) {
            return strategy;
        }
        RestOperationTypeEnum op = request.getRestOperationType();
        boolean conditionalCreate = op == RestOperationTypeEnum.CREATE && request.getHeader(Constants.HEADER_IF_NONE_EXIST) != null;
        // a conditional update that creates races the same way, on one node or across nodes
        boolean conditionalUpdate = op == RestOperationTypeEnum.UPDATE && request.getConditionalUrl(op) != null;
        boolean bundle = op == RestOperationTypeEnum.TRANSACTION || op == RestOperationTypeEnum.BATCH;
        if (conditionalCreate || conditionalUpdate || bundle) {
            strategy.setRetry(true);
            strategy.setMaxRetries(RETRIES);
        }
        return strategy;
    }
}
