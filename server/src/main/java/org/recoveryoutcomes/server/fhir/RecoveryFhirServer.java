package org.recoveryoutcomes.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.BaseJpaResourceProvider;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;


/**
 * The FHIR endpoint. Collaborators are resolved when the servlet initialises (after the Spring context is
 * complete), so the HAPI DAO graph and this servlet do not need circular bean references.
 */
class RecoveryFhirServer extends RestfulServer {

    private final FhirServerSettings settings;
    private final ObjectProvider<ResourceProviderFactory> resourceProviders;
    private final ObjectProvider<IJpaSystemProvider> systemProvider;
    private final ObjectProvider<IFhirSystemDao<?, ?>> systemDao;
    private final ObjectProvider<JpaStorageSettings> storageSettings;
    private final ObjectProvider<ISearchParamRegistry> searchParamRegistry;
    private final ObjectProvider<IValidationSupport> validationSupport;
    private final ObjectProvider<DatabaseBackedPagingProvider> pagingProvider;
    private final ObjectProvider<IInterceptorService> interceptorService;
    private final ObjectProvider<ValueSetOperationProvider> valueSetOperations;
    private final ObjectProvider<OperationProvider> operationProviders;
    private final ObjectProvider<FhirInterceptor> interceptors;

    RecoveryFhirServer(FhirContext fhirContext, FhirServerSettings settings,
            ObjectProvider<ResourceProviderFactory> resourceProviders, ObjectProvider<IJpaSystemProvider> systemProvider,
            ObjectProvider<IFhirSystemDao<?, ?>> systemDao, ObjectProvider<JpaStorageSettings> storageSettings,
            ObjectProvider<ISearchParamRegistry> searchParamRegistry, ObjectProvider<IValidationSupport> validationSupport,
            ObjectProvider<DatabaseBackedPagingProvider> pagingProvider, ObjectProvider<IInterceptorService> interceptorService,
            ObjectProvider<ValueSetOperationProvider> valueSetOperations,
            ObjectProvider<OperationProvider> operationProviders, ObjectProvider<FhirInterceptor> interceptors) {
        super(fhirContext);
        this.settings = settings;
        this.resourceProviders = resourceProviders;
        this.systemProvider = systemProvider;
        this.systemDao = systemDao;
        this.storageSettings = storageSettings;
        this.searchParamRegistry = searchParamRegistry;
        this.validationSupport = validationSupport;
        this.pagingProvider = pagingProvider;
        this.interceptorService = interceptorService;
        this.valueSetOperations = valueSetOperations;
        this.operationProviders = operationProviders;
        this.interceptors = interceptors;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setDefaultPrettyPrint(true);
        setETagSupport(ETagSupportEnum.ENABLED);

        java.util.List<Object> jpaProviders = resourceProviders.getObject().createProviders();
        registerProviders(jpaProviders);
        registerProvider(systemProvider.getObject());
        registerProvider(valueSetOperations.getObject());
        operationProviders.orderedStream().forEach(this::registerProvider);

        DatabaseBackedPagingProvider paging = pagingProvider.getObject();
        paging.setDefaultPageSize(settings.defaultPageSize());
        paging.setMaximumPageSize(settings.maxPageSize());
        setPagingProvider(paging);

        IFhirResourceDao<?> operationDefinitions = jpaProviders.stream().filter(BaseJpaResourceProvider.class::isInstance)
                .map(p -> ((BaseJpaResourceProvider<?>) p).getDao())
                .filter(d -> "OperationDefinition".equals(d.getResourceType().getSimpleName())).findFirst().orElse(null);
        JpaCapabilityStatementProvider capabilities = new StoredOperationDefinitionsCapabilityProvider(this, systemDao.getObject(),
                storageSettings.getObject(), searchParamRegistry.getObject(), validationSupport.getObject(), operationDefinitions);
        capabilities.setImplementationDescription("Recovery Outcomes FHIR Server");
        setServerConformanceProvider(capabilities);
        setServerName("Recovery Outcomes FHIR Server");

        // The REST layer keeps RestfulServer's own interceptor service: HAPI's CompositeInterceptorBroadcaster calls it
        // together with the storage layer's for every storage hook of an HTTP request, so one shared service ran each
        // hook twice (hapifhir/hapi-fhir#6993). An interceptor with a SERVER_ hook belongs to the REST layer (its storage
        // hooks then see HTTP requests only); any other to the storage layer, which sees internal writes as well.
        IInterceptorService storage = interceptorService.getObject();
        interceptors.orderedStream().forEach(i -> (servesRequests(i) ? getInterceptorService() : storage).registerInterceptor(i));
        registerInterceptor(new ResponseHighlighterInterceptor());
    }

    static boolean servesRequests(Object interceptor) {
        for (Method m : ClassUtils.getUserClass(interceptor).getMethods()) {
            Hook hook = m.getAnnotation(Hook.class);
            if (hook != null && hook.value().name().startsWith("SERVER_")) {
                return true;
            }
        }
        return false;
    }
}
