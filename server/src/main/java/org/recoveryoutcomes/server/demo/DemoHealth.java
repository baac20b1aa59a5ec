package org.recoveryoutcomes.server.demo;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code demo} (in the readiness group): OUT_OF_SERVICE while the first start's demo region is still
 * being loaded in the background, so nobody takes a half-loaded region for the whole one; UP once it is loaded, when
 * it is off, when the database already had people, and when loading failed (the server itself works; the log says why).
 */
@Component("demo")
class DemoHealth implements HealthIndicator {

    private final DemoLoader loader;

    DemoHealth(DemoLoader loader) {
        this.loader = loader;
    }

    @Override
    public Health health() {
        DemoLoader.State state = loader.state();
        Health.Builder health = state == DemoLoader.State.LOADING ? Health.outOfService() : Health.up();
        health.withDetail("state", state.name().toLowerCase(java.util.Locale.ROOT));
        if (state == DemoLoader.State.LOADING || state == DemoLoader.State.LOADED) {
            health.withDetail("people", loader.peopleLoaded()).withDetail("of", loader.peopleToLoad());
        }
        return health.build();
    }
}
