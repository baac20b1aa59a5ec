package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.web.authentication.AuthenticationConverter;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SMART Backend Services client authentication ({@code private_key_jwt}): the client assertion must be signed with
 * RS384 or ES384 by a key of the client's registered JWK Set, name the client as {@code iss} and {@code sub} and the
 * token endpoint as {@code aud}, expire within five minutes, and carry a {@code jti} never seen before.
 */
final class ClientAssertions implements JwtDecoderFactory<RegisteredClient> {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final Map<String, String> jwksUris;
    private final Map<String, JWKSource<SecurityContext>> keys = new ConcurrentHashMap<>();
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    ClientAssertions(Map<String, String> jwksUris) {
        this.jwksUris = jwksUris;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        String uri = jwksUris.get(client.getClientId());
        if (uri == null) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "no JWK Set registered", null));
        }
        NimbusJwtDecoder decoder = JwkSets.decoder(keys.computeIfAbsent(uri, JwkSets::load), ALGORITHMS);
        String clientId = client.getClientId();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                new JwtClaimValidator<String>(JwtClaimNames.ISS, clientId::equals),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, clientId::equals),
                new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(tokenEndpoint())),
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP,
                        exp -> exp != null && exp.isBefore(Instant.now().plus(MAX_LIFETIME).plus(CLOCK_SKEW))),
                new JwtTimestampValidator(CLOCK_SKEW),
                this::firstUse));
        return decoder;
    }

    private OAuth2TokenValidatorResult firstUse(Jwt assertion) {
        String jti = assertion.getId();
        if (jti == null || jti.isBlank()) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "the assertion has no jti", null));
        }
        Instant now = Instant.now();
        if (seen.size() > 10_000) {
            seen.values().removeIf(expiry -> expiry.isBefore(now));
        }
        Instant expiry = Objects.requireNonNull(assertion.getExpiresAt()).plus(CLOCK_SKEW);
        if (seen.putIfAbsent(assertion.getClaimAsString(JwtClaimNames.ISS) + "|" + jti, expiry) != null) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "the assertion was used before (jti)", null));
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static String tokenEndpoint() {
        var context = AuthorizationServerContextHolder.getContext();
        return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
    }

    /**
     * SMART Backend Services clients send no {@code client_id}: take it from the assertion's {@code sub} (verified
     * afterwards like every other claim). Spring Authorization Server's own converter requires the parameter.
     */
    static AuthenticationConverter withoutClientId() {
        return (HttpServletRequest request) -> {
            if (!"POST".equals(request.getMethod()) || !JWT_BEARER.equals(request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE))
                    || request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null) {
                return null;
            }
            String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
            if (assertions == null || assertions.length != 1) {
                return null;
            }
            try {
                String subject = JWTParser.parse(assertions[0]).getJWTClaimsSet().getSubject();
                if (subject == null) {
                    return null;
                }
                Authentication token = new OAuth2ClientAuthenticationToken(subject,
                        new ClientAuthenticationMethod(JWT_BEARER), assertions[0], Map.of());
                return token;
            } catch (ParseException e) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
            }
        };
    }
}
