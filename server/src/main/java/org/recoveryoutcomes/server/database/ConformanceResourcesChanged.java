package org.recoveryoutcomes.server.database;

import java.util.Set;

/**
 * Published on every node when conformance resources (CodeSystem, ValueSet, ConceptMap, StructureDefinition,
 * SearchParameter, Questionnaire) were created, updated or deleted through any node. A feature that caches such
 * resources empties its cache on this event to stay within the bound of {@code recovery.database.conformance-refresh}.
 *
 * @param resourceTypes the types that changed
 */
public record ConformanceResourcesChanged(Set<String> resourceTypes) {
}
