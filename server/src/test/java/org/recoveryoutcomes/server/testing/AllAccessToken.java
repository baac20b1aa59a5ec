package org.recoveryoutcomes.server.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets tests written without tokens talk to the secured server: a RestAssured global filter adds the bearer token of
 * an all-access client (demo-ehr, system/*.cruds, no organisation) to every request that has no Authorization header.
 * A test that sends its own Authorization header, or uses {@code given().noFilters()}, is left alone.
 */
public final class AllAccessToken implements BeforeAllCallback, BeforeEachCallback {

    static final Filter FILTER = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + TestTokens.allAccess());
        }
        return context.next(request, response);
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install();
    }

    private static synchronized void install() {
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
    }
}
