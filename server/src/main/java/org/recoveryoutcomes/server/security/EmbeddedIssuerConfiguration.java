package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import org.recoveryoutcomes.server.fhir.FhirServerSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The embedded SMART authorisation server (Spring Authorization Server) for local use: client_credentials with a
 * client secret (demo EHR, demo hub) or a private_key_jwt assertion (SMART Backend Services), and the standalone
 * launch (authorization code with PKCE S256, login page, patient picker), and the EHR launch from its simulator
 * ({@link EhrLaunchSimulator}, {@link EhrLaunchRequests}). Its signing key is generated at start-up;
 * tokens do not survive a restart. Access tokens carry the SMART claims the resource server reads: {@code scope} (a
 * space separated string), {@code client_id}, {@code patient}, {@code organization}, {@code fhirUser}, and the FHIR
 * base URL as audience.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(EmbeddedIssuerConfiguration.ENABLED)
class EmbeddedIssuerConfiguration {

    static final String ENABLED = "${recovery.security.enabled:true} and ${recovery.security.embedded-issuer.enabled:false}";
    private static final String ORGANIZATION = "organization";

    @Bean
    EmbeddedKeys embeddedKeys() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString()).generate();
        return new EmbeddedKeys(new ImmutableJWKSet<>(new JWKSet(key)));
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(EmbeddedKeys keys) {
        return keys.source();
    }

    /**
     * For the issuer's own OpenID Connect userinfo endpoint, which only answers for tokens it has on record. The FHIR
     * endpoint checks issuer and audience too ({@link BearerTokens}).
     */
    @Bean
    JwtDecoder embeddedIssuerJwtDecoder(EmbeddedKeys keys) {
        NimbusJwtDecoder decoder = JwkSets.decoder(keys.source(), JwkSets.ASYMMETRIC);
        decoder.setJwtValidator(new JwtTimestampValidator());
        return decoder;
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SecuritySettings settings) {
        AuthorizationServerSettings.Builder builder = AuthorizationServerSettings.builder();
        String issuer = settings.embeddedIssuer().issuer();
        if (issuer != null && !issuer.isBlank()) {
            builder.issuer(issuer);
        }
        return builder.build();
    }

    @Bean
    RegisteredClientRepository registeredClients(SecuritySettings settings) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<RegisteredClient> clients = settings.embeddedIssuer().clients().stream().map(c -> {
            TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(c.accessTokenLifetime() != null
                    ? c.accessTokenLifetime() : settings.embeddedIssuer().accessTokenLifetime()).build();
            RegisteredClient.Builder b = RegisteredClient.withId(c.id()).clientId(c.id()).tokenSettings(tokens);
            ClientSettings.Builder clientSettings = ClientSettings.builder();
            if (c.secret() != null && !c.secret().isBlank()) {
                b.clientSecret(encoder.encode(c.secret())).clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
            } else if (c.jwksUri() != null && !c.jwksUri().isBlank()) {
                b.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
                clientSettings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384);
            } else {
                b.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
                clientSettings.requireProofKey(true).requireAuthorizationConsent(true);
            }
            nullToEmpty(c.grantTypes()).forEach(g -> b.authorizationGrantType(new AuthorizationGrantType(g)));
            nullToEmpty(c.scopes()).forEach(b::scope);
            nullToEmpty(c.redirectUris()).forEach(b::redirectUri);
            if (c.organization() != null && !c.organization().isBlank()) {
                clientSettings.setting(ORGANIZATION, c.organization());
            }
            return b.clientSettings(clientSettings.build()).build();
        }).toList();
        return new InMemoryRegisteredClientRepository(clients);
    }

    @Bean
    UserDetailsService users(SecuritySettings settings) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        List<UserDetails> users = settings.embeddedIssuer().users().stream()
                .map(u -> User.withUsername(u.username()).password(encoder.encode(u.password())).roles("USER").build())
                .toList();
        return new InMemoryUserDetailsManager(users);
    }

    /** Consent is asked at every authorisation: the patient is picked there, for this launch only. */
    @Bean
    OAuth2AuthorizationConsentService consents() {
        return new OAuth2AuthorizationConsentService() {
            @Override
            public void save(OAuth2AuthorizationConsent consent) {
            }

            @Override
            public void remove(OAuth2AuthorizationConsent consent) {
            }

            @Override
            public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
                return null;
            }
        };
    }

    @Bean
    ClientAssertions clientAssertions(SecuritySettings settings) {
        Map<String, String> jwks = new HashMap<>();
        settings.embeddedIssuer().clients().stream().filter(c -> c.jwksUri() != null && !c.jwksUri().isBlank())
                .forEach(c -> jwks.put(c.id(), c.jwksUri()));
        return new ClientAssertions(jwks);
    }

    @Bean
    EhrLaunchRequests ehrLaunchRequests(EhrLaunches launches, PatientPicker picker) {
        return new EhrLaunchRequests(launches, picker);
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> smartClaims(SecuritySettings settings, FhirServerSettings fhir, PatientPicker picker,
            EhrLaunchRequests ehrLaunch) {
        Map<String, SecuritySettings.User> users = new HashMap<>();
        settings.embeddedIssuer().users().forEach(u -> users.put(u.username(), u));
        return context -> {
            RegisteredClient client = context.getRegisteredClient();
            SecuritySettings.User user = context.getPrincipal() instanceof OAuth2ClientAuthenticationToken ? null
                    : users.get(context.getPrincipal().getName());
            String fhirUser = user == null ? null : blankToNull(user.fhirUser());
            if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                if (fhirUser != null && context.getAuthorizedScopes().contains("fhirUser")) {
                    context.getClaims().claim("fhirUser", fhirUser);
                }
                return;
            }
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            var claims = context.getClaims();
            claims.claim("client_id", client.getClientId());
            claims.claim("scope", String.join(" ", context.getAuthorizedScopes()));
            claims.audience(List.of(AuthorizationServerContextHolder.getContext().getIssuer() + fhir.path()));
            String organization = client.getClientSettings().getSetting(ORGANIZATION);
            if (organization == null && user != null) {
                organization = blankToNull(user.organization());
            }
            if (organization != null) {
                claims.claim(ORGANIZATION, organization);
            }
            if (fhirUser != null) {
                claims.claim("fhirUser", fhirUser);
            }
            if (context.getAuthorization() != null) {
                // an EHR launch's person, else the one picked in a standalone launch with launch/patient
                String patient = ehrLaunch.patientOf(context.getAuthorization()).orElse(
                        context.getAuthorizedScopes().contains(PatientPicker.LAUNCH_PATIENT) ? picker.patientFor(context.getAuthorization().getId()) : null);
                if (patient != null) {
                    claims.claim("patient", patient);
                }
            }
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain issuerEndpoints(HttpSecurity http, ClientAssertions assertions, PatientPicker picker,
            EhrLaunchRequests ehrLaunch) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, s -> s
                        .oidc(Customizer.withDefaults())
                        .authorizationEndpoint(a -> a.consentPage(PatientPicker.PAGE)
                                .authenticationProviders(providers -> providers.forEach(p -> {
                                    if (p instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
                                        consent.setAuthorizationConsentCustomizer(picker);
                                    }
                                    if (p instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider request) {
                                        request.setAuthenticationValidator(ehrLaunch::validate);
                                        request.setAuthorizationConsentRequired(ehrLaunch::consentRequired);
                                    }
                                })))
                        .clientAuthentication(c -> c
                                .authenticationConverters(converters -> converters.add(0, ClientAssertions.withoutClientId()))
                                .authenticationProviders(providers -> providers.forEach(p -> {
                                    if (p instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                        jwt.setJwtDecoderFactory(assertions);
                                    }
                                })))
                        .tokenEndpoint(t -> t
                                .accessTokenRequestConverters(converters -> converters.replaceAll(c ->
                                        c instanceof OAuth2ClientCredentialsAuthenticationConverter ? allRegisteredScopesByDefault(c) : c))
                                .authenticationProviders(providers -> providers.forEach(p -> {
                                    if (p instanceof OAuth2ClientCredentialsAuthenticationProvider cc) {
                                        cc.setAuthenticationValidator(EmbeddedIssuerConfiguration::requestedScopesCovered);
                                    }
                                }))
                                .accessTokenResponseHandler(tokenResponse())))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    /** The demo login page and the patient picker: a browser session of the embedded issuer's users. */
    @Bean
    @Order(2)
    SecurityFilterChain issuerLogin(HttpSecurity http) throws Exception {
        return http.securityMatcher("/login", "/logout", "/default-ui.css", "/launch/**")
                .authorizeHttpRequests(a -> a.requestMatchers("/launch/**").authenticated().anyRequest().permitAll())
                .formLogin(Customizer.withDefaults())
                .build();
    }

    /**
     * SMART: the token response names the patient in context next to the access token, and asks for a patient banner
     * (no launching page shows one around the app); never cached.
     */
    private static OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse() {
        OAuth2AccessTokenResponseAuthenticationSuccessHandler handler = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        handler.setAccessTokenResponseCustomizer(context -> {
            OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
            try {
                Object patient = JWTParser.parse(issued.getAccessToken().getTokenValue()).getJWTClaimsSet().getClaim("patient");
                if (patient != null) {
                    Map<String, Object> parameters = new HashMap<>(issued.getAdditionalParameters()); // keeps id_token
                    parameters.put("patient", patient);
                    parameters.put("need_patient_banner", true);
                    context.getAccessTokenResponse().additionalParameters(parameters);
                }
            } catch (ParseException e) {
                throw new IllegalStateException("the issued access token is not a JWT", e);
            }
        });
        return handler;
    }

    /** A client_credentials request without {@code scope} gets the client's registered scopes. */
    private static AuthenticationConverter allRegisteredScopesByDefault(AuthenticationConverter converter) {
        return request -> {
            Authentication converted = converter.convert(request);
            if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token && token.getScopes().isEmpty()
                    && token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client && client.getRegisteredClient() != null) {
                return new OAuth2ClientCredentialsAuthenticationToken(client, client.getRegisteredClient().getScopes(),
                        token.getAdditionalParameters());
            }
            return converted;
        };
    }

    /** A client may ask for less than it is registered for: {@code system/Observation.rs} from {@code system/*.cruds}. */
    private static void requestedScopesCovered(OAuth2ClientCredentialsAuthenticationContext context) {
        OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
        Set<String> registered = context.getRegisteredClient().getScopes();
        for (String scope : request.getScopes()) {
            if (!SmartScope.covered(scope, registered)) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_SCOPE);
            }
        }
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
