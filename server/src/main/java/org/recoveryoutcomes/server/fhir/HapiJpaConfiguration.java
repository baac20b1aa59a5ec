package org.recoveryoutcomes.server.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.config.JpaConfig;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.orm.jpa.JpaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import javax.sql.DataSource;

/**
 * The HAPI JPA persistence layer: HAPI's own configurations plus the few beans they expect the application to supply.
 * HAPI's {@code HapiJpaConfig} is not imported because it always declares a full-text search service; without
 * Hibernate Search that makes terminology expansion fail, and with no such bean HAPI expands from the database.
 */
@Configuration(proxyBeanMethods = false)
@Import({JpaR4Config.class, JpaConfig.class, ThreadPoolFactoryConfig.class, SubscriptionChannelConfig.class,
        JpaBatch2Config.class, Batch2JobsConfig.class})
class HapiJpaConfiguration {

    @Bean
    JpaStorageSettings storageSettings(FhirServerSettings settings) {
        JpaStorageSettings s = new JpaStorageSettings();
        s.setAllowExternalReferences(true);
        s.setReuseCachedSearchResultsForMillis(settings.reuseSearchMillis() > 0 ? settings.reuseSearchMillis() : null);
        s.setDefaultSearchParamsCanBeOverridden(true);
        s.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
        s.setAutoCreatePlaceholderReferenceTargets(false);
        s.setEnforceReferentialIntegrityOnWrite(false);
        s.setEnforceReferentialIntegrityOnDelete(false);
        s.setDeleteExpungeEnabled(true);
        s.setExpungeEnabled(true);
        return s;
    }

    @Bean
    IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    DatabaseBackedPagingProvider databaseBackedPagingProvider() {
        return new DatabaseBackedPagingProvider();
    }

    @Bean
    IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Bean
    @Primary
    LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beanFactory, DataSource dataSource,
            FhirContext fhirContext, JpaStorageSettings storageSettings, JpaProperties jpaProperties) {
        LocalContainerEntityManagerFactoryBean emf =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        emf.setPersistenceUnitName("HAPI_PU");
        emf.setDataSource(dataSource);
        emf.setJpaPropertyMap(jpaProperties.getProperties());
        return emf;
    }

    @Bean
    @Primary
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
