package org.recoveryoutcomes.server.database;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * Routes the configured read-only requests to the replica ({@code recovery.database.replica.routes}): from the moment
 * HAPI has parsed the request until the response is about to be written, so that the audit record of the request is
 * written to the primary. A routed type search becomes an offset-paged search ({@code _offset}), which HAPI runs at
 * once on the request's thread without storing results: its paging links are searches again, valid on any node.
 */
@Component
@ConditionalOnProperty(name = "recovery.database.replica.url")
@Interceptor
class ReadReplicaRoutes implements FhirInterceptor {

    private final DatabaseSettings.Replica replica;

    ReadReplicaRoutes(DatabaseSettings settings) {
        this.replica = settings.replica();
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void route(RequestDetails request) {
        if (!replica.enabled() || !routed(request)) {
            return;
        }
        if (request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE && !request.getParameters().containsKey("_offset")) {
            Map<String, String[]> parameters = new HashMap<>(request.getParameters());
            parameters.put("_offset", new String[]{"0"});
            request.setParameters(parameters);
        }
        ReadReplica.route();
    }

    private boolean routed(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null) {
            return false;
        }
        return switch (operation) {
            case SEARCH_TYPE -> replica.routes().contains(DatabaseSettings.SEARCH);
            case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER ->
                    request.getOperation() != null && replica.routes().contains(request.getOperation());
            default -> false;
        };
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean responding() {
        ReadReplica.stop();
        return true;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failing() {
        ReadReplica.stop();
        return true;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void completed() {
        ReadReplica.stop();
    }
}
