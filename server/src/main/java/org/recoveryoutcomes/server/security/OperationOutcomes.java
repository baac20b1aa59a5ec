package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;

/** OperationOutcome bodies for the responses written outside HAPI (401, 403, 413). */
final class OperationOutcomes {

    private OperationOutcomes() {
    }

    static void write(FhirContext fhirContext, HttpServletResponse response, int status, IssueType code, String text) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(code).setDiagnostics(text);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
        response.getWriter().flush();
    }
}
