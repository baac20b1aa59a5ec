package org.recoveryoutcomes.server.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole server on a random port over an in-memory H2 database, with the project's content installed.
 * Every test class with this annotation (and no other context configuration) shares one Spring context. The demo region
 * is not loaded. The server trusts the {@link TestTokens} issuer, and RestAssured requests without an Authorization
 * header carry an all-access token ({@link AllAccessToken}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// reset REST Assured first, then give it the all-access token: extensions run in this order
@ExtendWith({SpringExtension.class, RestAssuredReset.class, AllAccessToken.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:recovery-test;DB_CLOSE_DELAY=-1",
        // tests make their own data; a test of the demo turns it on in a context of its own
        "recovery.demo.enabled=false",
        TestTokens.ISSUER_PROPERTY, TestTokens.JWKS_PROPERTY, TestTokens.AUDIENCE_PROPERTY,
})
public @interface ServerTest {
}
