package org.recoveryoutcomes.server.testing;

import io.restassured.RestAssured;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * REST Assured keeps its base URI, port and path in static fields; tests of different features set them in
 * different ways, so every test starts from the defaults and sets what it needs in its own @BeforeEach.
 */
public class RestAssuredReset implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        RestAssured.reset();
    }
}
