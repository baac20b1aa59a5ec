package org.recoveryoutcomes.server.content;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param install  install the project's FHIR packages at start-up
 * @param packages where the packages are found (Spring resource pattern)
 */
@ConfigurationProperties("recovery.content")
record ContentSettings(
        @DefaultValue("true") boolean install,
        @DefaultValue("classpath*:fhir-packages/*.tgz") String packages) {
}
