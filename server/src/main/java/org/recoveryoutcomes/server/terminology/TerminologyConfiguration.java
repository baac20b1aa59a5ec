package org.recoveryoutcomes.server.terminology;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TerminologyConfiguration {

    @Bean
    ProjectCodeSystemLookup projectCodeSystemLookup(FhirContext fhirContext, JpaValidationSupportChain chain) {
        ProjectCodeSystemLookup lookup = new ProjectCodeSystemLookup(fhirContext);
        chain.addValidationSupport(0, lookup);
        return lookup;
    }

    @Bean
    LookupResponseTypes lookupResponseTypes(JpaValidationSupportChain chain, ProjectCodeSystemLookup registered) {
        return new LookupResponseTypes(chain);
    }
}
