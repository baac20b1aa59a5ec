package org.recoveryoutcomes.server.database;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.cache.IResourceChangeEvent;
import ca.uhn.fhir.jpa.cache.IResourceChangeListener;
import ca.uhn.fhir.jpa.cache.IResourceChangeListenerRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Keeps a node's conformance caches in step with writes made through other nodes. HAPI caches what it resolves
 * through its validation support chain for 10 minutes and refreshes its SearchParameter registry every minute, and
 * neither hears of writes made through another node. This watcher uses HAPI's resource change listener (a poll of
 * the resource versions in the database, run on HAPI's 10 s refresh tick) and on a change empties those caches and
 * publishes {@link ConformanceResourcesChanged} for the project's own caches.
 */
@Component
class ConformanceChangeWatcher implements IResourceChangeListener {

    static final List<String> TYPES =
            List.of("CodeSystem", "ValueSet", "ConceptMap", "StructureDefinition", "SearchParameter", "Questionnaire");

    private static final Logger log = LoggerFactory.getLogger(ConformanceChangeWatcher.class);

    private final IValidationSupport validationSupport;
    private final ISearchParamRegistry searchParamRegistry;
    private final ApplicationEventPublisher events;

    ConformanceChangeWatcher(IResourceChangeListenerRegistry listeners, IValidationSupport validationSupport,
            ISearchParamRegistry searchParamRegistry, ApplicationEventPublisher events, DatabaseSettings settings) {
        this.validationSupport = validationSupport;
        this.searchParamRegistry = searchParamRegistry;
        this.events = events;
        for (String type : TYPES) {
            listeners.registerResourceResourceChangeListener(type, SearchParameterMap.newSynchronous(), this,
                    settings.conformanceRefresh().toMillis());
        }
    }

    @Override
    public void handleInit(Collection<IIdType> resourceIds) {
        // the caches start empty with the node
    }

    @Override
    public void handleChange(IResourceChangeEvent event) {
        Set<String> types = new TreeSet<>();
        Stream.of(event.getCreatedResourceIds(), event.getUpdatedResourceIds(), event.getDeletedResourceIds())
                .flatMap(List::stream).forEach(id -> types.add(id.getResourceType()));
        if (types.isEmpty()) {
            return;
        }
        log.info("Conformance resources changed ({}); emptying the conformance caches", types);
        validationSupport.invalidateCaches();
        if (types.contains("SearchParameter") && searchParamRegistry instanceof SearchParamRegistryImpl registry) {
            registry.forceRefresh();
        }
        events.publishEvent(new ConformanceResourcesChanged(types));
    }
}
