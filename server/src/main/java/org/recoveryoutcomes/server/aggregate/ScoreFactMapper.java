package org.recoveryoutcomes.server.aggregate;

import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** Turns a score Observation into its fact: pseudonymous keys and the month in the configured zone. */
@Component
class ScoreFactMapper {

    static final String GENERATED_SECRET = "person-key-secret";
    private static final Logger log = LoggerFactory.getLogger(ScoreFactMapper.class);

    private final Pseudonyms pseudonyms;
    private final AggregateSettings settings;

    ScoreFactMapper(AggregateSettings settings, FactStore store) {
        this.settings = settings;
        String secret = settings.personKeySecret();
        if (secret.isBlank()) {
            secret = store.state(GENERATED_SECRET).orElseGet(() -> {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String generated = HexFormat.of().formatHex(random);
                store.putState(GENERATED_SECRET, generated);
                return generated;
            });
            log.warn("recovery.aggregate.person-key-secret is not set: person keys use a secret generated and kept in the"
                    + " database. Set one from your secret store for production (the score facts are rebuilt at the next start).");
        }
        this.pseudonyms = new Pseudonyms(secret);
    }

    Optional<ScoreFact> toFact(Observation o) {
        String id = o.getIdElement().getIdPart();
        if (id == null) {
            return Optional.empty();
        }
        return ScoreObservations.read(o, settings.zone()).map(s -> new ScoreFact(pseudonyms.factKey(id), s.code(),
                pseudonyms.personKey(s.patientId()), s.organizationId(), s.effective().toEpochMilli(), s.monthIndex(), s.value()));
    }

    String factKey(String observationId) {
        return pseudonyms.factKey(observationId);
    }

    long personKey(String patientId) {
        return pseudonyms.personKey(patientId);
    }

    /** What the facts depend on besides the Observations: the secret and the zone of month indexes. */
    String signature() {
        return "v1;" + pseudonyms.fingerprint() + ";" + settings.zone().getId();
    }
}
