package org.recoveryoutcomes.server.audit;

import jakarta.servlet.http.HttpServletRequest;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * What one HTTP request did, gathered while it runs: the FHIR interaction (from HAPI), and the patients and resources
 * it touched. The id is the id of its AuditEvent and the request id HAPI returns in {@code X-Request-ID}.
 */
final class AuditRecord {

    static final String ATTRIBUTE = AuditRecord.class.getName();
    private static final int MAX_ENTITIES = 50;

    final String id = UUID.randomUUID().toString();
    final Instant started = Instant.now();
    volatile String interaction;
    volatile String resourceType;
    volatile String resourceId;
    volatile String operation;
    final Set<String> patients = Collections.synchronizedSet(new LinkedHashSet<>());
    final Set<String> resources = Collections.synchronizedSet(new LinkedHashSet<>());

    static AuditRecord of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof AuditRecord r ? r : null;
    }

    void patient(String id) {
        if (id != null && patients.size() < MAX_ENTITIES) {
            patients.add(id);
        }
    }

    void resource(String reference) {
        if (reference != null && resources.size() < MAX_ENTITIES) {
            resources.add(reference);
        }
    }
}
