package org.recoveryoutcomes.server.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Installs the project's FHIR packages at start-up. Each resource is written with PUT semantics under its fixed id,
 * so every canonical URL exists once however often the server restarts; HAPI skips updates whose content did not
 * change, so an unchanged release creates no new versions, and a changed one is updated.
 */
@Component
@Order(0)
class ContentInstaller implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ContentInstaller.class);

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final ISearchParamRegistry searchParamRegistry;
    private final ContentSettings settings;

    ContentInstaller(FhirContext fhirContext, DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry,
            ContentSettings settings) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.searchParamRegistry = searchParamRegistry;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.install()) {
            log.info("Content installation is switched off (recovery.content.install=false)");
            return;
        }
        long start = System.currentTimeMillis();
        List<FhirPackages.PackagedResource> resources = FhirPackages.load(fhirContext, settings.packages());
        generateSnapshots(resources);
        int changed = 0;
        for (FhirPackages.PackagedResource r : resources) {
            if (install(r.resource())) {
                changed++;
            }
        }
        if (searchParamRegistry instanceof SearchParamRegistryImpl registry) {
            registry.forceRefresh();
        }
        log.info("Installed {} conformance resources ({} created or updated) in {} ms", resources.size(), changed,
                System.currentTimeMillis() - start);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean install(IBaseResource resource) {
        IFhirResourceDao dao = daoRegistry.getResourceDao(resource.fhirType());
        DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
        return !outcome.isNop();
    }

    private void generateSnapshots(List<FhirPackages.PackagedResource> resources) {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(fhirContext);
        resources.stream().map(FhirPackages.PackagedResource::resource).forEach(ours::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(fhirContext), ours,
                new InMemoryTerminologyServerValidationSupport(fhirContext), new CommonCodeSystemsTerminologyService(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));
        for (FhirPackages.PackagedResource r : resources) {
            if (r.resource() instanceof StructureDefinition sd && !sd.hasSnapshot()) {
                IBaseResource withSnapshot = chain.generateSnapshot(new ValidationSupportContext(chain), sd, sd.getUrl(), null, sd.getName());
                if (withSnapshot == null) {
                    throw new IllegalStateException("Could not generate a snapshot for " + sd.getUrl());
                }
                sd.setSnapshot(((StructureDefinition) withSnapshot).getSnapshot());
            }
        }
    }
}
