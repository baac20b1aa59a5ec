package org.recoveryoutcomes.server.fhir;

/**
 * Marker for a feature's HAPI plain provider (a class with {@code @Operation} methods).
 * Every Spring bean of this type is registered with the FHIR endpoint; the feature also ships the
 * OperationDefinition of each operation, and the CapabilityStatement points at it.
 */
public interface OperationProvider {
}
