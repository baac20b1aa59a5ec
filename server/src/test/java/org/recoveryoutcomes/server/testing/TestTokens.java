package org.recoveryoutcomes.server.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Access tokens of the test issuer that {@link ServerTest} and {@link PostgresServerTest} servers trust (its public key
 * is {@code security/test-issuer-jwks.json}; the private key, for tests only, next to it).
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.test.invalid";
    public static final String AUDIENCE = "https://fhir.test.invalid/fhir";
    /** Spring properties that make a test server trust the test issuer. */
    public static final String ISSUER_PROPERTY = "recovery.security.issuers[0].issuer=" + ISSUER;
    public static final String JWKS_PROPERTY = "recovery.security.issuers[0].jwks-uri=classpath:security/test-issuer-jwks.json";
    public static final String AUDIENCE_PROPERTY = "recovery.security.issuers[0].audience=" + AUDIENCE;

    private static final RSAKey KEY = key("security/test-issuer-private-jwk.json");
    private static volatile String allAccess;
    private static volatile Instant allAccessExpires = Instant.EPOCH;

    private TestTokens() {
    }

    /** A token of the demo-ehr client: system/*.cruds, bound to no organisation. */
    public static synchronized String allAccess() {
        // synchronized: concurrent clients of a test must not see the new expiry before the new token
        if (allAccess == null || Instant.now().isAfter(allAccessExpires)) {
            allAccess = token().clientId("demo-ehr").scope("system/*.cruds").expiresIn(Duration.ofHours(1)).sign();
            allAccessExpires = Instant.now().plus(Duration.ofMinutes(50));
        }
        return allAccess;
    }

    public static Builder token() {
        return new Builder();
    }

    public static RSAKey key(String classpathLocation) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(classpathLocation)) {
            if (in == null) {
                throw new IllegalStateException("missing " + classpathLocation);
            }
            return RSAKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {

        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String issuer = ISSUER;
        private List<String> audience = List.of(AUDIENCE);
        private Instant expires = Instant.now().plus(Duration.ofMinutes(10));
        private RSAKey key = KEY;
        private JWSAlgorithm algorithm = JWSAlgorithm.RS256;

        private Builder() {
            claims.put("client_id", "test-client");
            claims.put("sub", "test-client");
        }

        public Builder clientId(String clientId) {
            claims.put("client_id", clientId);
            claims.put("sub", clientId);
            return this;
        }

        public Builder subject(String subject) {
            claims.put("sub", subject);
            return this;
        }

        public Builder scope(String scope) {
            claims.put("scope", scope);
            return this;
        }

        public Builder patient(String patientId) {
            claims.put("patient", patientId);
            return this;
        }

        public Builder organization(String organization) {
            claims.put("organization", organization);
            return this;
        }

        public Builder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = List.of(audience);
            return this;
        }

        public Builder expiresIn(Duration d) {
            this.expires = Instant.now().plus(d);
            return this;
        }

        public Builder expiredSince(Duration d) {
            this.expires = Instant.now().minus(d);
            return this;
        }

        public Builder signedWith(RSAKey key) {
            this.key = key;
            return this;
        }

        public JWTClaimsSet claims() {
            JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).audience(audience)
                    .expirationTime(Date.from(expires)).issueTime(new Date()).jwtID(UUID.randomUUID().toString());
            claims.forEach(b::claim);
            return b.build();
        }

        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
