package org.recoveryoutcomes.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FhirServletConfiguration {

    @Bean
    ServletRegistrationBean<RecoveryFhirServer> fhirServlet(FhirContext fhirContext, FhirServerSettings settings,
            ObjectProvider<ResourceProviderFactory> resourceProviders, ObjectProvider<IJpaSystemProvider> systemProvider,
            ObjectProvider<IFhirSystemDao<?, ?>> systemDao, ObjectProvider<JpaStorageSettings> storageSettings,
            ObjectProvider<ISearchParamRegistry> searchParamRegistry, ObjectProvider<IValidationSupport> validationSupport,
            ObjectProvider<DatabaseBackedPagingProvider> pagingProvider, ObjectProvider<IInterceptorService> interceptorService,
            ObjectProvider<ValueSetOperationProvider> valueSetOperations,
            ObjectProvider<OperationProvider> operationProviders, ObjectProvider<FhirInterceptor> interceptors) {
        RecoveryFhirServer server = new RecoveryFhirServer(fhirContext, settings, resourceProviders, systemProvider, systemDao,
                storageSettings, searchParamRegistry, validationSupport, pagingProvider, interceptorService, valueSetOperations,
                operationProviders, interceptors);
        ServletRegistrationBean<RecoveryFhirServer> registration =
                new ServletRegistrationBean<>(server, settings.path() + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
