package org.recoveryoutcomes.server.fhir;

/**
 * Marker for a feature's HAPI interceptor (a class with {@code @Hook} methods). Every Spring bean of this type is
 * registered once: with the REST layer's interceptor service when it has a {@code SERVER_} hook (its storage hooks then
 * fire for HTTP requests only), else with the JPA storage layer's (its hooks fire for internal writes too).
 */
public interface FhirInterceptor {
}
