package org.recoveryoutcomes.server.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The audit trail: an AuditEvent for every FHIR request.
 *
 * @param relayInterval how often recorded events move from the outbox table into FHIR AuditEvent resources
 * @param relayBatch    events moved per database transaction
 */
@ConfigurationProperties("recovery.audit")
public record AuditSettings(
        @DefaultValue("1s") Duration relayInterval,
        @DefaultValue("100") int relayBatch) {
}
