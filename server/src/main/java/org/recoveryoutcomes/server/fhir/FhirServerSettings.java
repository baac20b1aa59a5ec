package org.recoveryoutcomes.server.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the FHIR endpoint.
 *
 * @param path            servlet path of the FHIR base
 * @param defaultPageSize page size when a search names no _count
 * @param maxPageSize     largest _count honoured
 * @param reuseSearchMillis how long HAPI may reuse a cached search result (0 = never)
 */
@ConfigurationProperties("recovery.fhir")
public record FhirServerSettings(
        @DefaultValue("/fhir") String path,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("1000") int maxPageSize,
        @DefaultValue("0") long reuseSearchMillis) {
}
