package org.recoveryoutcomes.server.fhir;

/**
 * Marker for a feature's HAPI interceptor (a class with {@code @Hook} methods). Every Spring bean of this
 * type is registered once with the interceptor service shared by the REST layer and the JPA storage layer.
 */
public interface FhirInterceptor {
}
