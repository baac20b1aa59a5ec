package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.util.List;

import static org.recoveryoutcomes.server.scoring.ScoreStore.MISMATCHES;

/** Reports the submitted scores that {@link ScoreStore} found to differ from the recomputed ones, in the write's response. */
@Component
@Interceptor
class ScoreWarnings implements FhirInterceptor {

    /** Adds the score warnings of a write to its OperationOutcome (Prefer: return=OperationOutcome) and as a Warning header. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean warn(RequestDetails request, ResponseDetails response) {
        Object warnings = request.getUserData().get(MISMATCHES);
        if (!(warnings instanceof List<?> list) || list.isEmpty()) {
            return true;
        }
        for (Object w : list) {
            if (response.getResponseResource() instanceof OperationOutcome oo) {
                oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING).setCode(OperationOutcome.IssueType.VALUE)
                        .setDiagnostics(w.toString());
            }
            if (request instanceof ServletRequestDetails servlet && servlet.getServletResponse() != null) {
                servlet.getServletResponse().addHeader("Warning", "299 - \"" + w.toString().replace('"', '\'').replaceAll("[^\\x20-\\x7e]", "?") + "\"");
            }
        }
        return true;
    }

}
