package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.Comparator;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stored conformance resources (Questionnaire, ValueSet, CodeSystem, ConceptMap) by canonical URL, {@code url|version}
 * or {@code url} (then the most recently updated version). Answers are cached until {@link #invalidate()}, which
 * {@link ConformanceChanges} calls whenever such a resource is written.
 */
@Component
class CanonicalResources {

    private final DaoRegistry daoRegistry;
    private final int cacheSize;
    private final Map<String, Optional<MetadataResource>> cache = new ConcurrentHashMap<>();

    CanonicalResources(DaoRegistry daoRegistry, ScoringSettings settings) {
        this.daoRegistry = daoRegistry;
        this.cacheSize = settings.cacheSize();
    }

    <T extends MetadataResource> Optional<T> find(Class<T> type, String canonical) {
        if (canonical == null || canonical.isBlank()) {
            return Optional.empty();
        }
        String key = type.getSimpleName() + " " + canonical;
        Optional<MetadataResource> hit = cache.get(key);
        if (hit == null) {
            hit = load(type, canonical);
            if (cache.size() >= cacheSize) {
                cache.clear();
            }
            cache.put(key, hit);
        }
        return hit.map(type::cast);
    }

    void invalidate() {
        cache.clear();
    }

    private Optional<MetadataResource> load(Class<? extends MetadataResource> type, String canonical) {
        String typeName = type.getSimpleName();
        // a literal reference (Questionnaire/x) is read by id; fill.js writes one for Questionnaires without url
        if (canonical.startsWith(typeName + "/") && !canonical.contains("|")) {
            // a search, not a read: a failed read inside a write's transaction would mark it rollback-only
            SearchParameterMap byId = SearchParameterMap.newSynchronous("_id", new TokenParam(new IdType(canonical).getIdPart()));
            return daoRegistry.getResourceDao(typeName).search(byId, new SystemRequestDetails()).getAllResources().stream()
                    .map(MetadataResource.class::cast).findFirst();
        }
        int bar = canonical.indexOf('|');
        String url = bar < 0 ? canonical : canonical.substring(0, bar);
        String version = bar < 0 ? null : canonical.substring(bar + 1);
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add("url", new UriParam(url));
        if (version != null && !version.isEmpty()) {
            map.add("version", new TokenParam(version));
        }
        IBundleProvider found = daoRegistry.getResourceDao(typeName).search(map, new SystemRequestDetails());
        return found.getAllResources().stream()
                .map(MetadataResource.class::cast)
                .filter(r -> version == null || version.isEmpty() || Objects.equals(version, r.getVersion()))
                .max(Comparator.comparing(CanonicalResources::lastUpdated));
    }

    private static Date lastUpdated(Resource r) {
        Date d = r.getMeta().getLastUpdated();
        return d == null ? new Date(0) : d;
    }
}
