package org.recoveryoutcomes.server.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/** The embedded issuer's signing keys, shared by its token endpoint and the resource server. */
record EmbeddedKeys(JWKSource<SecurityContext> source) {
}
