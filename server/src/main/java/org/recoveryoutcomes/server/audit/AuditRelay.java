package org.recoveryoutcomes.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves audit events from the outbox into FHIR AuditEvent resources (id = request id), each in one database
 * transaction with the removal of its outbox row, so an event is stored exactly once even if the server stops
 * half-way (storing the same id again is an update with the same content).
 */
@Component
class AuditRelay {

    private static final Logger log = LoggerFactory.getLogger(AuditRelay.class);

    private final AuditOutbox outbox;
    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;
    private final TransactionTemplate transactions;
    private final AuditSettings settings;
    private ScheduledExecutorService scheduler;

    AuditRelay(AuditOutbox outbox, DaoRegistry daoRegistry, FhirContext fhirContext, PlatformTransactionManager transactionManager,
            AuditSettings settings) {
        this.outbox = outbox;
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
        this.transactions = new TransactionTemplate(transactionManager);
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-relay");
            t.setDaemon(true);
            return t;
        });
        long millis = settings.relayInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::relayQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void relayQuietly() {
        try {
            drain();
        } catch (RuntimeException e) {
            log.warn("Audit relay failed; the events stay in the outbox and are retried: {}", e.toString());
        }
    }

    /** Moves every waiting event; returns how many. */
    synchronized int drain() {
        int moved = 0;
        while (true) {
            var rows = outbox.oldest(settings.relayBatch());
            if (rows.isEmpty()) {
                return moved;
            }
            for (AuditOutbox.Row row : rows) {
                transactions.executeWithoutResult(tx -> {
                    AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, row.event());
                    event.setId(row.id());
                    daoRegistry.getResourceDao(AuditEvent.class).update(event, new SystemRequestDetails());
                    outbox.remove(row.id());
                });
                moved++;
            }
        }
    }
}
