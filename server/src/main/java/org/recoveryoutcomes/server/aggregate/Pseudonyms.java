package org.recoveryoutcomes.server.aggregate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Keys of the read model that are not FHIR ids: HMAC-SHA256 with a secret. Person keys keep 64 bits (a collision among
 * a million people has a probability of about 3·10⁻⁸); fact keys keep all 256 bits (64 hex digits). Without the secret the keys cannot
 * be linked back to Patients or Observations.
 */
final class Pseudonyms {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    Pseudonyms(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("empty pseudonymisation secret");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    long personKey(String patientId) {
        return ByteBuffer.wrap(hmac("person:" + patientId)).getLong();
    }

    /** Lower-case hex: sorts the same in Java and under any database collation (ties between scores break on it). */
    String factKey(String observationId) {
        return HexFormat.of().formatHex(hmac("fact:" + observationId));
    }

    /** Identifies the secret without revealing it, to notice when it changed. */
    String fingerprint() {
        return HexFormat.of().formatHex(hmac("fingerprint")).substring(0, 16);
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
