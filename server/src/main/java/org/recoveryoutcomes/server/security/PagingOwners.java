package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds HAPI's paging links ({@code ?_getpages=<search id>}) to the callers they were issued to: a page was computed
 * with the caller's narrowing, so another client replaying the link must not get it. Held in memory for as long as
 * HAPI keeps search results; a link that outlives a restart is refused, and the client searches again.
 */
@Component
class PagingOwners {

    private final Cache<String, Set<String>> owners;

    PagingOwners(JpaStorageSettings storageSettings) {
        owners = Caffeine.newBuilder().maximumSize(200_000)
                .expireAfterWrite(Duration.ofMillis(Math.max(storageSettings.getExpireSearchResultsAfterMillis(), 60_000)))
                .build();
    }

    void recordLinks(Bundle bundle, SmartAccess access) {
        for (Bundle.BundleLinkComponent link : bundle.getLink()) {
            for (String id : searchIds(link.getUrl())) {
                owners.get(id, k -> ConcurrentHashMap.newKeySet()).add(access.fingerprint());
            }
        }
    }

    boolean issuedTo(String searchId, SmartAccess access) {
        Set<String> callers = owners.getIfPresent(searchId);
        return callers != null && callers.contains(access.fingerprint());
    }

    private static List<String> searchIds(String url) {
        if (url == null || !url.contains("_getpages=")) {
            return List.of();
        }
        List<String> ids = UriComponentsBuilder.fromUriString(url).build().getQueryParams().get("_getpages");
        return ids == null ? List.of() : ids;
    }
}
