package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * SMART standalone launch with {@code launch/patient}: the consent page of the embedded issuer is a patient picker.
 * The signed-in user approves the scopes and picks a patient; the pick is bound to the authorisation (not to anything
 * the client sends) and ends up as the {@code patient} claim and token response parameter.
 */
@Controller
@ConditionalOnExpression(EmbeddedIssuerConfiguration.ENABLED)
class PatientPicker implements Consumer<OAuth2AuthorizationConsentAuthenticationContext> {

    static final String PAGE = "/launch/consent";
    static final String LAUNCH_PATIENT = "launch/patient";
    private static final int LISTED = 200;

    private final DaoRegistry daoRegistry;
    private final Map<String, SecuritySettings.User> users;
    private final Cache<String, String> picks = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(15)).maximumSize(10_000).build();

    PatientPicker(DaoRegistry daoRegistry, SecuritySettings settings) {
        this.daoRegistry = daoRegistry;
        this.users = settings.embeddedIssuer().users().stream()
                .collect(Collectors.toMap(SecuritySettings.User::username, u -> u, (a, b) -> b));
    }

    /** The patient picked for an authorisation, or null. */
    String patientFor(String authorizationId) {
        return picks.getIfPresent(authorizationId);
    }

    /** Consent customizer: a consent that approves launch/patient must name a patient the user may pick. */
    @Override
    public void accept(OAuth2AuthorizationConsentAuthenticationContext context) {
        OAuth2AuthorizationConsentAuthenticationToken consent = context.getAuthentication();
        if (!consent.getScopes().contains(LAUNCH_PATIENT)) {
            return;
        }
        Object value = consent.getAdditionalParameters().get("patient");
        String patient = value instanceof String[] values && values.length == 1 ? values[0] : value instanceof String s ? s : null;
        if (patient == null || !patient.matches("[A-Za-z0-9\\-.]{1,64}") || !pickable(context.getAuthorization().getPrincipalName(), patient)) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "choose a patient", null));
        }
        picks.put(context.getAuthorization().getId(), patient);
    }

    /** The patient exists and, for a user bound to an organisation, is managed by it. */
    boolean pickable(String username, String patientId) {
        try {
            Patient p = (Patient) daoRegistry.getResourceDao(Patient.class).read(new IdType("Patient", patientId), new SystemRequestDetails());
            String organization = organizationOf(username);
            return organization == null || ("Organization/" + organization).equals(p.getManagingOrganization().getReference());
        } catch (BaseServerResponseException notFound) {
            return false;
        }
    }

    private String organizationOf(String username) {
        SecuritySettings.User user = users.get(username);
        if (user == null || user.organization() == null || user.organization().isBlank()) {
            return null;
        }
        return user.organization().replaceFirst("^Organization/", "");
    }

    @GetMapping(path = PAGE, produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String page(@RequestParam("client_id") String clientId, @RequestParam("state") String state,
            @RequestParam(name = "scope", defaultValue = "") String scope, @RequestParam(name = "name", required = false) String name,
            Authentication user) {
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
        scopes.remove("");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Authorise " + esc(clientId) + "</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto}"
                + "li{margin:.3em 0}button{margin-top:1em;padding:.5em 2em}</style></head><body>");
        html.append("<h1>").append(esc(clientId)).append(" asks for access</h1><p>Signed in as <b>")
                .append(esc(user.getName())).append("</b>. The application will be allowed:</p><ul>");
        scopes.forEach(s -> html.append("<li><code>").append(esc(s)).append("</code></li>"));
        html.append("</ul>");
        if (scopes.contains(LAUNCH_PATIENT)) {
            // more people than the list shows: find them by name (a new look at this same consent page)
            html.append("<form method=\"get\" action=\"").append(PAGE).append("\" role=\"search\">")
                    .append(hidden("client_id", clientId)).append(hidden("state", state)).append(hidden("scope", String.join(" ", scopes)))
                    .append("<label for=\"name\">Find a patient by name</label> <input type=\"search\" id=\"name\" name=\"name\" value=\"")
                    .append(esc(name)).append("\"> <button type=\"submit\">Find</button></form>");
        }
        html.append("<form method=\"post\" action=\"/oauth2/authorize\">")
                .append(hidden("client_id", clientId)).append(hidden("state", state));
        scopes.forEach(s -> html.append(hidden("scope", s)));
        if (scopes.contains(LAUNCH_PATIENT)) {
            List<Patient> found = patients(user.getName(), name);
            html.append("<h2>Choose the patient</h2>");
            if (found.isEmpty()) {
                html.append("<p>No patient found.</p>");
            }
            html.append("<ul>");
            for (Patient p : found) {
                String id = p.getIdElement().getIdPart();
                html.append("<li><label><input type=\"radio\" name=\"patient\" value=\"").append(esc(id)).append("\" required> ")
                        .append(esc(p.getNameFirstRep().getNameAsSingleString())).append(p.hasBirthDate()
                                ? " (born " + esc(p.getBirthDateElement().getValueAsString()) + ")" : "")
                        .append(" &middot; <code>Patient/").append(esc(id)).append("</code></label></li>");
            }
            html.append("</ul>");
        }
        html.append("<button type=\"submit\">Allow</button></form></body></html>");
        return html.toString();
    }

    List<Patient> patients(String username, String name) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.setCount(LISTED);
        map.setLoadSynchronousUpTo(LISTED);
        if (name != null && !name.isBlank()) {
            map.add("name", new StringParam(name));
        }
        String organization = organizationOf(username);
        if (organization != null) {
            map.add("organization", new ReferenceParam("Organization/" + organization));
        }
        List<IBaseResource> found = daoRegistry.getResourceDao(Patient.class).search(map, new SystemRequestDetails()).getResources(0, LISTED);
        return found.stream().map(Patient.class::cast).toList();
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">";
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
