package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates bearer tokens: picks the trusted issuer by the token's (unverified) {@code iss}, then checks signature
 * (asymmetric algorithms only, keys from the issuer's JWK Set), expiry (required), issuer and audience. The embedded
 * issuer is this server itself: its tokens name the URL the request came in on (or the configured issuer) and the
 * FHIR base under it as audience.
 */
final class BearerTokens implements AuthenticationManagerResolver<HttpServletRequest> {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final SecuritySettings.Claims claims;
    private final Map<String, AuthenticationManager> trusted = new LinkedHashMap<>();
    private final JWKSource<SecurityContext> embeddedKeys;
    private final IssuerUrls embedded;

    BearerTokens(SecuritySettings settings, JWKSource<SecurityContext> embeddedKeys, IssuerUrls embedded) {
        this.claims = settings.claims();
        this.embeddedKeys = embeddedKeys;
        this.embedded = embedded;
        for (SecuritySettings.Issuer issuer : settings.issuers()) {
            if (isBlank(issuer.issuer()) || isBlank(issuer.jwksUri()) || isBlank(issuer.audience())) {
                throw new IllegalStateException("recovery.security.issuers: every issuer needs issuer, jwks-uri and audience");
            }
            trusted.put(issuer.issuer(), manager(JwkSets.load(issuer.jwksUri()), issuer.issuer(), issuer.audience()));
        }
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            String issuer = unverifiedIssuer(token);
            AuthenticationManager manager = trusted.get(issuer);
            if (manager == null && embedded != null && issuer.equals(embedded.issuer(request))) {
                manager = manager(embeddedKeys, issuer, embedded.audience(request));
            }
            if (manager == null) {
                throw new InvalidBearerTokenException("The token's issuer is not trusted");
            }
            Authentication result = manager.authenticate(authentication);
            request.setAttribute(SmartAccess.ATTRIBUTE, result.getPrincipal());
            return result;
        };
    }

    private AuthenticationManager manager(JWKSource<SecurityContext> keys, String issuer, String audience) {
        NimbusJwtDecoder decoder = JwkSets.decoder(keys, JwkSets.ASYMMETRIC);
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                new JwtClaimValidator<>(JwtClaimNames.EXP, Objects::nonNull),
                new JwtTimestampValidator(CLOCK_SKEW),
                new JwtIssuerValidator(issuer),
                new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
        decoder.setJwtValidator(validator);
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(jwt -> new SmartAuthentication(access(jwt)));
        return provider::authenticate;
    }

    SmartAccess access(Jwt jwt) {
        String clientId = first(jwt, claims.clientId());
        String subject = jwt.getSubject();
        String organization = first(jwt, claims.organization());
        if (organization != null && organization.startsWith("Organization/")) {
            organization = organization.substring("Organization/".length());
        }
        String patient = first(jwt, claims.patient());
        if (patient != null && patient.startsWith("Patient/")) {
            patient = patient.substring("Patient/".length());
        }
        return new SmartAccess(jwt.getClaimAsString(JwtClaimNames.ISS), clientId != null ? clientId : subject, subject,
                patient, organization, first(jwt, claims.fhirUser()), scopes(jwt));
    }

    private Set<String> scopes(Jwt jwt) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : claims.scope()) {
            Object value = jwt.getClaims().get(name);
            if (value instanceof String s) {
                out.addAll(List.of(s.trim().split("\\s+")));
            } else if (value instanceof Collection<?> c) {
                c.forEach(v -> out.add(String.valueOf(v)));
            }
        }
        out.remove("");
        return out;
    }

    private static String first(Jwt jwt, List<String> names) {
        for (String name : names) {
            Object value = jwt.getClaims().get(name);
            if (value != null && !String.valueOf(value).isBlank()) {
                return String.valueOf(value);
            }
        }
        return null;
    }

    private static String unverifiedIssuer(String token) {
        try {
            String issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
            if (issuer == null) {
                throw new InvalidBearerTokenException("The token names no issuer");
            }
            return issuer;
        } catch (ParseException e) {
            throw new InvalidBearerTokenException("The token is not a JWT");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The authenticated caller: principal is the {@link SmartAccess}; the token itself is not kept. */
    static final class SmartAuthentication extends AbstractAuthenticationToken {

        private final SmartAccess access;

        SmartAuthentication(SmartAccess access) {
            super(AuthorityUtils.NO_AUTHORITIES);
            this.access = access;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return access;
        }

        @Override
        public String getName() {
            return access.clientId();
        }
    }
}
