package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, as established from a validated bearer token: the client, the user, and what the token allows.
 * Stored as a request attribute for the FHIR authorisation and the audit trail.
 *
 * @param issuer       the token's issuer
 * @param clientId     the client application
 * @param subject      the token subject (a user, or the client itself for client_credentials)
 * @param patient      the patient in context, for {@code patient/} scopes
 * @param organization the id of the organisation a user or system client is bound to, or null
 * @param fhirUser     the user as a FHIR reference, when the token names one
 * @param scopes       every scope of the token
 */
public record SmartAccess(String issuer, String clientId, String subject, String patient, String organization,
        String fhirUser, Set<String> scopes) {

    static final String ATTRIBUTE = SmartAccess.class.getName();

    /** The caller of this HTTP request, or null when it presented no valid token. */
    public static SmartAccess of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof SmartAccess a ? a : null;
    }

    /** The caller of a FHIR request, or null for an internal request or one without a valid token. */
    static SmartAccess of(RequestDetails request) {
        return request instanceof ServletRequestDetails s && s.getServletRequest() != null ? of(s.getServletRequest()) : null;
    }

    /** True for requests from outside (HTTP), which are checked; internal requests (SystemRequestDetails) are not. */
    static boolean external(RequestDetails request) {
        return request instanceof ServletRequestDetails s && s.getServletRequest() != null;
    }

    List<SmartScope> resourceScopes() {
        return SmartScope.parseAll(scopes);
    }

    /** Identifies the same caller with the same rights across tokens (for binding paging links). */
    String fingerprint() {
        return String.join("|", issuer, clientId, String.valueOf(subject), String.valueOf(patient),
                String.valueOf(organization), String.join(" ", new TreeSet<>(scopes)));
    }
}
