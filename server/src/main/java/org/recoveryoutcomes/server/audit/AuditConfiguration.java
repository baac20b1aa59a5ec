package org.recoveryoutcomes.server.audit;

import ca.uhn.fhir.context.FhirContext;
import org.recoveryoutcomes.server.fhir.FhirServerSettings;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    /** Outermost, so that requests refused by the token check or the body limit are audited too. */
    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(FhirServerSettings fhir, AuditOutbox outbox, FhirContext fhirContext) {
        FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(fhir.path(), outbox, fhirContext));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
