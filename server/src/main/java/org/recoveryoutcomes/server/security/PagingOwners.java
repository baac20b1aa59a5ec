package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.hl7.fhir.r4.model.Bundle;
import org.recoveryoutcomes.server.database.DatabaseMigrations;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binds HAPI's paging links ({@code ?_getpages=<search id>}) to the callers they were issued to: a page was computed
 * with the caller's narrowing, so another client replaying the link must not get it. The bindings are kept in the
 * database (table {@code recovery_paging_owner}) for as long as HAPI keeps search results, so a link issued by one
 * node works on every node behind the load balancer, and after a restart; each node remembers the bindings it has
 * seen in memory.
 */
@Component
class PagingOwners {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final JdbcTemplate jdbc;
    private final long keepMillis;
    private final Cache<String, Boolean> known;
    private final AtomicLong nextPurge = new AtomicLong();

    PagingOwners(JpaStorageSettings storageSettings, DataSource dataSource, DatabaseMigrations migrations) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.keepMillis = Math.max(storageSettings.getExpireSearchResultsAfterMillis(), 60_000);
        this.known = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofMillis(keepMillis)).build();
    }

    void recordLinks(Bundle bundle, SmartAccess access) {
        String owner = null;
        for (Bundle.BundleLinkComponent link : bundle.getLink()) {
            for (String id : searchIds(link.getUrl())) {
                owner = owner == null ? owner(access) : owner;
                String key = id + " " + owner;
                if (known.getIfPresent(key) == null) {
                    try {
                        jdbc.update("INSERT INTO recovery_paging_owner (search_id, owner, expires) VALUES (?, ?, ?)",
                                id, owner, System.currentTimeMillis() + keepMillis);
                    } catch (DuplicateKeyException alreadyRecorded) {
                        // by another page of the same search, on this node or another
                    }
                    known.put(key, Boolean.TRUE);
                }
            }
        }
        purgeNowAndThen();
    }

    boolean issuedTo(String searchId, SmartAccess access) {
        String owner = owner(access);
        String key = searchId + " " + owner;
        if (known.getIfPresent(key) != null) {
            return true;
        }
        boolean recorded = !jdbc.queryForList("SELECT 1 FROM recovery_paging_owner WHERE search_id = ? AND owner = ? AND expires > ?",
                Integer.class, searchId, owner, System.currentTimeMillis()).isEmpty();
        if (recorded) {
            known.put(key, Boolean.TRUE);
        }
        return recorded;
    }

    private void purgeNowAndThen() {
        long now = System.currentTimeMillis();
        long due = nextPurge.get();
        if (now >= due && nextPurge.compareAndSet(due, now + PURGE_EVERY.toMillis())) {
            jdbc.update("DELETE FROM recovery_paging_owner WHERE expires < ?", now);
        }
    }

    /** A digest of the caller's identity and rights ({@link SmartAccess#fingerprint()}), 64 hex characters. */
    private static String owner(SmartAccess access) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(access.fingerprint().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> searchIds(String url) {
        if (url == null || !url.contains("_getpages=")) {
            return List.of();
        }
        List<String> ids = UriComponentsBuilder.fromUriString(url).build().getQueryParams().get("_getpages");
        return ids == null ? List.of() : ids;
    }
}
