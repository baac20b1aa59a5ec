package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Parameters;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import static org.recoveryoutcomes.server.security.OperationPolicy.denied;

/**
 * {@code $export-poll-status} (poll and cancel) of a bulk export job: only the client that started it (see
 * {@link BulkExportAuthorization}). A SERVER_ hook, so registered with the REST layer.
 */
@Component
@ConditionalOnProperty(name = "recovery.security.enabled", havingValue = "true", matchIfMissing = true)
@Interceptor
class BulkExportPolls implements FhirInterceptor {

    static final String POLL = "$export-poll-status";

    private final IJobCoordinator jobs;

    BulkExportPolls(IJobCoordinator jobs) {
        this.jobs = jobs;
    }

    /** Polling (and cancelling) a job: only its owner. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void authorizePoll(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.EXTENDED_OPERATION_SERVER || !POLL.equals(request.getOperation())
                || !SmartAccess.external(request)) {
            return;
        }
        SmartAccess access = SmartAccess.of(request);
        if (access == null) {
            throw new AuthenticationException("A bearer token is required");
        }
        String jobId = jobId(request);
        if (jobId == null) {
            return; // HAPI answers 400
        }
        JobInstance job;
        try {
            job = jobs.getInstance(jobId);
        } catch (ResourceNotFoundException unknown) {
            return; // HAPI answers 404
        }
        BulkExportJobParameters parameters = job.getParameters(BulkExportJobParameters.class);
        if (!BulkExportAuthorization.owner(access).equals(parameters.getBinarySecurityContextIdentifierValue())
                || !BulkExportAuthorization.OWNER_SYSTEM.equals(parameters.getBinarySecurityContextIdentifierSystem())) {
            throw denied("this export", "was started by another client");
        }
    }

    private static String jobId(RequestDetails request) {
        String[] values = request.getParameters().get("_jobId");
        if (values != null && values.length > 0) {
            return values[0];
        }
        if (request.getResource() instanceof Parameters p) {
            return p.getParameter().stream().filter(x -> "_jobId".equals(x.getName())).map(x -> x.getValue().primitiveValue())
                    .findFirst().orElse(null);
        }
        return null;
    }
}
