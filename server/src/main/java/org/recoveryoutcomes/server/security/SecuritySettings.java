package org.recoveryoutcomes.server.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * SMART on FHIR security of the server.
 *
 * @param enabled        false turns every check off (refused with the {@code postgres} profile)
 * @param issuers        external token issuers trusted for bearer tokens
 * @param claims         which token claims carry what (differs between Keycloak, Entra ID, ...)
 * @param maxBodySize    larger request bodies are refused with 413 before they are parsed
 * @param embeddedIssuer the built-in authorisation server for local use
 */
@ConfigurationProperties("recovery.security")
public record SecuritySettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<Issuer> issuers,
        @DefaultValue Claims claims,
        @DefaultValue("10MB") DataSize maxBodySize,
        @DefaultValue EmbeddedIssuer embeddedIssuer) {

    /**
     * A trusted issuer.
     *
     * @param issuer                the exact {@code iss} of its tokens
     * @param jwksUri               its signing keys: http(s), file: or classpath: URL of a JWK Set
     * @param audience              the {@code aud} its tokens must carry for this server (usually the FHIR base URL)
     * @param authorizationEndpoint advertised in the SMART configuration when no embedded issuer runs
     * @param tokenEndpoint         advertised in the SMART configuration when no embedded issuer runs
     */
    public record Issuer(String issuer, String jwksUri, String audience, String authorizationEndpoint, String tokenEndpoint) {
    }

    /**
     * Claim names. Each list is tried in order; the first claim present wins.
     *
     * @param scope        SMART scopes, a space separated string or an array
     * @param clientId     the calling client
     * @param patient      the patient in context ({@code patient/} scopes)
     * @param organization {@code Organization/{id}} (or the bare id) that a user or system client is bound to
     * @param fhirUser     the user as a FHIR reference
     */
    public record Claims(
            @DefaultValue({"scope", "scp"}) List<String> scope,
            @DefaultValue({"client_id", "azp", "cid", "appid"}) List<String> clientId,
            @DefaultValue("patient") List<String> patient,
            @DefaultValue("organization") List<String> organization,
            @DefaultValue("fhirUser") List<String> fhirUser) {
    }

    /**
     * The embedded authorisation server (Spring Authorization Server) at /oauth2/*.
     *
     * @param enabled             on in the default H2 configuration, off with the postgres profile unless set
     * @param issuer              its {@code iss}; blank means the URL the request came in on (scheme, host, port)
     * @param accessTokenLifetime every access token it issues lives this long at most
     * @param clients             registered clients: a secret makes a client_secret_basic client, a jwks-uri a
     *                            private_key_jwt (SMART backend services) client, neither a public PKCE client
     * @param users               users of its login page
     * @param ehrLaunch           the EHR launch simulator at {@code /launch/ehr}
     */
    public record EmbeddedIssuer(
            @DefaultValue("false") boolean enabled,
            String issuer,
            @DefaultValue("5m") Duration accessTokenLifetime,
            @DefaultValue List<Client> clients,
            @DefaultValue List<User> users,
            @DefaultValue EhrLaunch ehrLaunch) {
    }

    /**
     * The EHR launch simulator: a signed-in user picks a person and the app is opened with {@code iss} and an opaque
     * {@code launch} id, which the issuer resolves to that person once.
     *
     * @param lifetime a launch id not redeemed at /oauth2/authorize within this time is refused
     * @param app      the app's launch URL; relative to the server unless absolute
     */
    public record EhrLaunch(
            @DefaultValue("5m") Duration lifetime,
            @DefaultValue("/app/") String app) {
    }

    /**
     * A client of the embedded issuer.
     *
     * @param organization        {@code Organization/{id}}: the client sees only people managed by it
     * @param accessTokenLifetime overrides the issuer's (a browser app without refresh tokens may need longer)
     */
    public record Client(String id, String secret, String jwksUri, List<String> scopes, List<String> grantTypes,
            List<String> redirectUris, String organization, Duration accessTokenLifetime) {
    }

    /** A user of the embedded issuer's login page; {@code fhirUser} and {@code organization} go into its tokens. */
    public record User(String username, String password, String fhirUser, String organization) {
    }
}
