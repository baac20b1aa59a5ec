package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.recoveryoutcomes.server.fhir.FhirServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.util.List;
import java.util.Set;

/**
 * The resource server: every request under the FHIR base needs a valid bearer token, except the CapabilityStatement
 * and the SMART configuration. Health, the static web apps and the login pages of the embedded issuer (its own filter
 * chains) are public. Also registers the request body limit and the SMART configuration document.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** Runs before any other bean is made, so a refused configuration fails at once. */
    @Bean
    static BeanFactoryPostProcessor securityOffGuard(Environment environment) {
        return beanFactory -> {
            checkSecurityOff(environment);
            checkDemoClients(environment);
        };
    }

    /** The demo clients and users of the embedded issuer have published secrets: never with the postgres profile. */
    static final Set<String> DEMO_CLIENTS = Set.of("demo-ehr", "demo-hub", "demo-backend", "demo-app");
    static final Set<String> DEMO_USERS = Set.of("clinician");

    /**
     * The postgres profile turns the embedded issuer off; an operator who turns it on again must register clients of
     * their own. Starting with the demo clients or users (whose secrets are in the README) is refused.
     */
    static void checkDemoClients(Environment environment) {
        if (!environment.acceptsProfiles(Profiles.of("postgres"))) {
            return;
        }
        Binder binder = Binder.get(environment);
        boolean embedded = binder.bind("recovery.security.embedded-issuer.enabled", Boolean.class).orElse(false);
        if (!embedded) {
            return;
        }
        List<String> clients = binder.bind("recovery.security.embedded-issuer.clients", Bindable.listOf(SecuritySettings.Client.class))
                .orElse(List.of()).stream().map(SecuritySettings.Client::id).filter(DEMO_CLIENTS::contains).toList();
        List<String> users = binder.bind("recovery.security.embedded-issuer.users", Bindable.listOf(SecuritySettings.User.class))
                .orElse(List.of()).stream().map(SecuritySettings.User::username).filter(DEMO_USERS::contains).toList();
        if (!clients.isEmpty() || !users.isEmpty()) {
            throw new IllegalStateException("The demo clients " + clients + " and users " + users + " of the embedded issuer are "
                    + "refused with the postgres profile: their secrets are published. Register your own clients in "
                    + "recovery.security.embedded-issuer.clients/users, or better, use your organisation's identity provider.");
        }
    }

    /** Turning security off needs the explicit property, is refused with the postgres profile, and warns at every start. */
    static void checkSecurityOff(Environment environment) {
        boolean enabled = Binder.get(environment).bind("recovery.security.enabled", Boolean.class).orElse(true);
        if (enabled) {
            return;
        }
        if (environment.acceptsProfiles(Profiles.of("postgres"))) {
            throw new IllegalStateException("recovery.security.enabled=false is refused with the postgres profile: "
                    + "a production database holds real people's data. Remove the property, or run without the postgres profile.");
        }
        log.warn("SECURITY IS OFF (recovery.security.enabled=false): every FHIR request is served without authentication "
                + "or authorisation. Never run like this with real data.");
    }

    @Bean
    IssuerUrls issuerUrls(SecuritySettings settings, FhirServerSettings fhir) {
        return new IssuerUrls(settings.embeddedIssuer().issuer(), fhir.path());
    }

    @Bean
    BearerTokens bearerTokens(SecuritySettings settings, ObjectProvider<EmbeddedKeys> embeddedKeys, IssuerUrls issuerUrls) {
        EmbeddedKeys keys = settings.embeddedIssuer().enabled() ? embeddedKeys.getIfAvailable() : null;
        return new BearerTokens(settings, keys == null ? null : keys.source(), keys == null ? null : issuerUrls);
    }

    @Bean
    @Order(3)
    SecurityFilterChain resourceServer(HttpSecurity http, SecuritySettings settings, FhirServerSettings fhir, BearerTokens tokens,
            FhirContext fhirContext) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        if (!settings.enabled()) {
            return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
        }
        String base = fhir.path();
        AuthenticationEntryPoint unauthorized = unauthorized(fhirContext);
        AccessDeniedHandler forbidden = (request, response, e) ->
                OperationOutcomes.write(fhirContext, response, 403, IssueType.FORBIDDEN, "Access denied");
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.GET, base + "/metadata", base + "/.well-known/smart-configuration").permitAll()
                        .requestMatchers(HttpMethod.HEAD, base + "/metadata", base + "/.well-known/smart-configuration").permitAll()
                        .requestMatchers(base, base + "/**").authenticated()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator", "/actuator/**").denyAll()
                        .anyRequest().permitAll())
                .oauth2ResourceServer(rs -> rs.authenticationManagerResolver(tokens)
                        .authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .build();
    }

    /** 401 with the RFC 6750 WWW-Authenticate header and an OperationOutcome body. */
    private static AuthenticationEntryPoint unauthorized(FhirContext fhirContext) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            bearer.commence(request, response, e);
            OperationOutcomes.write(fhirContext, response, 401, IssueType.LOGIN, reason(e));
        };
    }

    private static String reason(AuthenticationException e) {
        if (e instanceof InvalidBearerTokenException) {
            return "Invalid bearer token: " + e.getMessage();
        }
        return "A bearer token is required";
    }

    @Bean
    FilterRegistrationBean<BodyLimit> bodyLimit(SecuritySettings settings, FhirContext fhirContext) {
        FilterRegistrationBean<BodyLimit> registration = new FilterRegistrationBean<>(
                new BodyLimit(settings.maxBodySize().toBytes(), fhirContext));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SmartConfiguration> smartConfiguration(SecuritySettings settings, FhirServerSettings fhir, IssuerUrls issuerUrls) {
        FilterRegistrationBean<SmartConfiguration> registration = new FilterRegistrationBean<>(
                new SmartConfiguration(fhir.path(), settings, issuerUrls));
        registration.addUrlPatterns(fhir.path() + "/.well-known/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }
}
