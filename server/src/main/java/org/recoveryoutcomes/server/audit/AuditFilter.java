package org.recoveryoutcomes.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.ServletRequestTracing;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.recoveryoutcomes.server.security.SmartAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The outermost filter of every FHIR request: records its AuditEvent in the outbox before the response is committed,
 * for allowed and denied requests alike (401 from the token check, 403 and errors from HAPI). The AuditEvent id is
 * the request id HAPI returns as {@code X-Request-ID}. No audit, no response: if the outbox cannot be written the
 * client gets 503 instead of the data.
 */
final class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);

    private final String fhirPath;
    private final AuditOutbox outbox;
    private final FhirContext fhirContext;

    AuditFilter(String fhirPath, AuditOutbox outbox, FhirContext fhirContext) {
        this.fhirPath = fhirPath;
        this.outbox = outbox;
        this.fhirContext = fhirContext;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals(fhirPath) || path.startsWith(fhirPath + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AuditRecord record = new AuditRecord();
        request.setAttribute(AuditRecord.ATTRIBUTE, record);
        request.setAttribute(ServletRequestTracing.ATTRIBUTE_REQUEST_ID, record.id);
        AuditedResponse audited = new AuditedResponse(response, status -> {
            if (!response.containsHeader("X-Request-ID")) {
                response.setHeader("X-Request-ID", record.id);
            }
            outbox.append(record.id, fhirContext.newJsonParser().encodeResourceToString(
                    AuditEvents.build(record, request, status, SmartAccess.of(request))));
        });
        try {
            chain.doFilter(request, audited);
        } catch (IOException | ServletException | RuntimeException e) {
            audited.auditNow(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            if (!audited.auditFailed()) {
                throw e;
            }
        }
        audited.auditNow(response.getStatus());
        if (audited.auditFailed() && !response.isCommitted()) {
            log.error("Audit trail unavailable: answered 503 to {} {}", request.getMethod(), request.getRequestURI());
            response.reset();
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.FATAL).setCode(OperationOutcome.IssueType.TRANSIENT)
                    .setDiagnostics("The audit trail is unavailable; the request was not answered");
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setContentType("application/fhir+json;charset=UTF-8");
            response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
        }
    }
}
