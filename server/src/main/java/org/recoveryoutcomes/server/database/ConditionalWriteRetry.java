package org.recoveryoutcomes.server.database;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.ResourceVersionConflictResolutionStrategy;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

/**
 * Conditional creates are made unique by the database, on every node alike: HAPI stores the match URL of each
 * conditional create in {@code HFJ_RES_SEARCH_URL}, which has a unique index, in the same transaction as the resource.
 * Of two simultaneous identical creates the second waits on that index and fails when the first commits. This hook
 * lets HAPI run the losing request again, which then finds the winner and answers 200 with it instead of 409.
 */
@Component
@Interceptor
class ConditionalWriteRetry implements FhirInterceptor {

    private final DatabaseSettings settings;

    ConditionalWriteRetry(DatabaseSettings settings) {
        this.settings = settings;
    }

    @Hook(Pointcut.STORAGE_VERSION_CONFLICT)
    public ResourceVersionConflictResolutionStrategy retry(RequestDetails request) {
        if (request == null || !isConditionalWrite(request)) {
            return null;
        }
        ResourceVersionConflictResolutionStrategy strategy = new ResourceVersionConflictResolutionStrategy();
        strategy.setRetry(true);
        strategy.setMaxRetries(settings.conditionalRetries());
        return strategy;
    }

    private static boolean isConditionalWrite(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null) {
            return false;
        }
        return switch (operation) {
            case CREATE, UPDATE, PATCH, DELETE -> request.getConditionalUrl(operation) != null;
            // a Bundle may hold conditional entries; a conflict that is not a race fails again on the retry
            case TRANSACTION -> true;
            default -> false;
        };
    }
}
