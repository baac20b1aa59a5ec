package org.recoveryoutcomes.server.scoring;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Lets a storage hook act once per resource and database transaction. The REST layer and the JPA layer share one
 * interceptor service here, and HAPI broadcasts storage pointcuts to both the JPA broadcaster and the request's, so
 * each STORAGE_* hook runs twice for a REST request. Scoped to the transaction (not the request) because HAPI
 * re-runs a request in a new transaction after a constraint conflict, and the retry must act again.
 */
public final class OncePerTransaction {

    private OncePerTransaction() {
    }

    /** True the first time this (action, resource) pair is seen in the current transaction (always true outside one). */
    public static boolean first(String action, Object resource) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return true;
        }
        String key = OncePerTransaction.class.getName() + "." + action;
        @SuppressWarnings("unchecked")
        Set<Object> seen = (Set<Object>) TransactionSynchronizationManager.getResource(key);
        if (seen == null) {
            seen = Collections.newSetFromMap(new IdentityHashMap<>());
            TransactionSynchronizationManager.bindResource(key, seen);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }
            });
        }
        return seen.add(resource);
    }
}
