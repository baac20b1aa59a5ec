package org.recoveryoutcomes.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The launch ids of the EHR launch simulator, kept in memory: each is bound to the user who made it and the person they
 * chose, may be redeemed once at /oauth2/authorize within its lifetime, and then tells the token endpoint the person in
 * context for the one authorisation that redeemed it.
 */
@Component
@ConditionalOnExpression(EmbeddedIssuerConfiguration.ENABLED)
class EhrLaunches {

    /** Why a launch id was refused, in words for the OAuth error description. */
    enum Refusal {
        UNKNOWN("the launch is unknown, expired or already used"),
        OTHER_USER("the launch was made for another user");

        final String description;

        Refusal(String description) {
            this.description = description;
        }
    }

    /** A launch: whose, for which person, until when, and whether an authorisation request has used it. */
    record Launch(String username, String patient, Instant expires, boolean redeemed) {
    }

    // after redemption the entry still has to answer the token request that follows (authorization codes live 5 minutes)
    private static final Duration KEPT_AFTER_EXPIRY = Duration.ofMinutes(10);

    private final SecureRandom random = new SecureRandom();
    private final Duration lifetime;
    private final Clock clock;
    private final Cache<String, Launch> launches;

    EhrLaunches(SecuritySettings settings) {
        this.lifetime = settings.embeddedIssuer().ehrLaunch().lifetime();
        this.clock = Clock.systemUTC();
        this.launches = Caffeine.newBuilder().expireAfterWrite(lifetime.plus(KEPT_AFTER_EXPIRY)).maximumSize(10_000).build();
    }

    /** A new opaque launch id for this user and person. */
    String create(String username, String patient) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        launches.put(id, new Launch(username, patient, clock.instant().plus(lifetime), false));
        return id;
    }

    /** Whether the id could still be redeemed (by someone): known, not expired, not used. */
    Optional<Refusal> check(String id) {
        Launch launch = id == null ? null : launches.getIfPresent(id);
        return usable(launch) ? Optional.empty() : Optional.of(Refusal.UNKNOWN);
    }

    /** Marks the id used by this user; the launch, or why not. Only one caller ever redeems an id. */
    Redemption redeem(String id, String username) {
        Redemption[] result = {new Redemption(null, Refusal.UNKNOWN)};
        launches.asMap().computeIfPresent(id, (key, launch) -> {
            if (!usable(launch)) {
                return launch;
            }
            if (!launch.username().equals(username)) {
                result[0] = new Redemption(null, Refusal.OTHER_USER);
                return launch;
            }
            Launch used = new Launch(launch.username(), launch.patient(), launch.expires(), true);
            result[0] = new Redemption(used, null);
            return used;
        });
        return result[0];
    }

    /** The person in context of a redeemed launch of this user, for the token it leads to. */
    Optional<String> patientOf(String id, String username) {
        Launch launch = id == null ? null : launches.getIfPresent(id);
        return launch != null && launch.redeemed() && launch.username().equals(username) ? Optional.of(launch.patient()) : Optional.empty();
    }

    private boolean usable(Launch launch) {
        return launch != null && !launch.redeemed() && clock.instant().isBefore(launch.expires());
    }

    record Redemption(Launch launch, Refusal refusal) {
    }
}
