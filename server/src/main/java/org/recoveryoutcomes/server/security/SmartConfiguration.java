package org.recoveryoutcomes.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET [base]/.well-known/smart-configuration} (SMART App Launch 2.x discovery), public. Served here rather
 * than by HAPI, which owns every other path under the FHIR base. Describes the embedded issuer when it runs, else
 * the first configured issuer that names its endpoints.
 */
final class SmartConfiguration extends OncePerRequestFilter {

    static final List<String> SCOPES = List.of("openid", "fhirUser", "launch", "launch/patient", "patient/*.rs", "patient/*.read",
            "user/*.rs", "user/*.cruds", "system/*.rs", "system/*.cruds", "system/MeasureReport.rs", "system/AuditEvent.rs");

    private final String path;
    private final SecuritySettings settings;
    private final IssuerUrls embedded;
    private final ObjectMapper json = new ObjectMapper();

    SmartConfiguration(String fhirPath, SecuritySettings settings, IssuerUrls embedded) {
        this.path = fhirPath + "/.well-known/smart-configuration";
        this.settings = settings;
        this.embedded = embedded;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !path.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "max-age=300");
        json.writeValue(response.getOutputStream(), document(request));
    }

    private Map<String, Object> document(HttpServletRequest request) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (settings.embeddedIssuer().enabled()) {
            String issuer = embedded.issuer(request);
            doc.put("issuer", issuer);
            doc.put("jwks_uri", issuer + "/oauth2/jwks");
            doc.put("authorization_endpoint", issuer + "/oauth2/authorize");
            doc.put("token_endpoint", issuer + "/oauth2/token");
            doc.put("introspection_endpoint", issuer + "/oauth2/introspect");
            doc.put("revocation_endpoint", issuer + "/oauth2/revoke");
            doc.put("userinfo_endpoint", issuer + "/userinfo");
        } else {
            settings.issuers().stream().filter(i -> i.tokenEndpoint() != null).findFirst().ifPresent(i -> {
                doc.put("issuer", i.issuer());
                doc.put("jwks_uri", i.jwksUri());
                if (i.authorizationEndpoint() != null) {
                    doc.put("authorization_endpoint", i.authorizationEndpoint());
                }
                doc.put("token_endpoint", i.tokenEndpoint());
            });
        }
        doc.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "private_key_jwt", "none"));
        doc.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        doc.put("scopes_supported", SCOPES);
        doc.put("response_types_supported", List.of("code"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        List<String> capabilities = new ArrayList<>(List.of("launch-standalone", "client-public", "client-confidential-symmetric",
                "client-confidential-asymmetric", "sso-openid-connect", "context-standalone-patient", "permission-patient",
                "permission-user", "permission-v1", "permission-v2"));
        if (settings.embeddedIssuer().enabled()) {
            // its EHR launch simulator (/launch/ehr) issues launch ids that it resolves to the patient
            capabilities.addAll(List.of("launch-ehr", "context-ehr-patient"));
        }
        doc.put("capabilities", capabilities);
        return doc;
    }
}
