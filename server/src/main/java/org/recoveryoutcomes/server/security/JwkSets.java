package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.text.ParseException;
import java.util.Set;

/** Signing keys of token issuers and client assertions, and JWT decoders over them. */
final class JwkSets {

    /** Asymmetric signatures only: {@code none} and HMAC ({@code HS256}, a shared secret) are never accepted. */
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private JwkSets() {
    }

    /** A JWK Set from an http(s) URL (fetched, cached and refreshed) or from a file: or classpath: location. */
    static JWKSource<SecurityContext> load(String location) {
        try {
            if (location.startsWith("http://") || location.startsWith("https://")) {
                return JWKSourceBuilder.create(URI.create(location).toURL()).retrying(true).build();
            }
            Resource resource = new DefaultResourceLoader().getResource(location);
            try (InputStream in = resource.getInputStream()) {
                return new ImmutableJWKSet<>(JWKSet.load(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JWK Set at " + location, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK Set: " + location, e);
        }
    }

    /** A decoder that checks the signature only; the caller adds claim validators. */
    static NimbusJwtDecoder decoder(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
        return new NimbusJwtDecoder(processor);
    }
}
