package org.recoveryoutcomes.server.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;

import java.util.Optional;

/**
 * SMART EHR launch at /oauth2/authorize: a request with the {@code launch} scope and a {@code launch} parameter names
 * a launch of {@link EhrLaunches}. The parameter is checked as soon as the request comes in (so an unknown, expired or
 * used id is refused before any login), redeemed once the user is signed in and the request is otherwise valid, and
 * then stands for the patient picker: the person in context is the launch's, so no consent page is shown.
 */
final class EhrLaunchRequests {

    static final String LAUNCH = "launch";

    private final EhrLaunches launches;
    private final PatientPicker picker;

    EhrLaunchRequests(EhrLaunches launches, PatientPicker picker) {
        this.launches = launches;
        this.picker = picker;
    }

    /** The default redirect URI and scope checks, then the launch's. */
    void validate(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
                .andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR).accept(context);
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String launch = launchOf(request.getAdditionalParameters().get(LAUNCH));
        boolean scope = request.getScopes().contains(LAUNCH);
        if (launch == null && !scope) {
            return;
        }
        if (launch == null) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "the launch scope needs a launch parameter (EHR launch)", request);
        }
        if (!scope) {
            throw error(OAuth2ErrorCodes.INVALID_SCOPE, "an EHR launch asks for the launch scope", request);
        }
        launches.check(launch).ifPresent(refusal -> {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, refusal.description, request);
        });
    }

    /**
     * An EHR launch needs no consent page: the launch is redeemed here (the user is signed in, the request valid) and
     * gives the person. Other requests follow Spring Authorization Server's rule, with no consent ever kept.
     */
    boolean consentRequired(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        String launch = launchOf(context.getAuthorizationRequest().getAdditionalParameters().get(LAUNCH));
        if (launch == null) {
            var scopes = context.getAuthorizationRequest().getScopes();
            return context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()
                    && !(scopes.size() == 1 && scopes.contains(OidcScopes.OPENID));
        }
        String username = ((Authentication) request.getPrincipal()).getName();
        EhrLaunches.Redemption redeemed = launches.redeem(launch, username);
        if (redeemed.refusal() != null) {
            throw error(redeemed.refusal() == EhrLaunches.Refusal.OTHER_USER ? OAuth2ErrorCodes.ACCESS_DENIED
                    : OAuth2ErrorCodes.INVALID_REQUEST, redeemed.refusal().description, request);
        }
        if (!picker.pickable(username, redeemed.launch().patient())) {
            throw error(OAuth2ErrorCodes.ACCESS_DENIED, "the launch's patient is not one this user may open", request);
        }
        return false;
    }

    /** The person in context of an authorisation that redeemed an EHR launch. */
    Optional<String> patientOf(OAuth2Authorization authorization) {
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request == null || !authorization.getAuthorizedScopes().contains(LAUNCH)) {
            return Optional.empty();
        }
        return launches.patientOf(launchOf(request.getAdditionalParameters().get(LAUNCH)), authorization.getPrincipalName());
    }

    private static String launchOf(Object value) {
        Object v = value instanceof String[] values && values.length == 1 ? values[0] : value;
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException error(String code, String description,
            OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(code, description, "https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch"), request);
    }
}
