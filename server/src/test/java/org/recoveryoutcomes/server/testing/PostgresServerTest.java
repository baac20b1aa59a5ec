package org.recoveryoutcomes.server.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole server on a random port with the {@code postgres} profile, against a real PostgreSQL server started
 * for the test JVM ({@link PostgresServer#shared()}). Test classes with this annotation share one Spring context.
 * The server trusts the {@link TestTokens} issuer, and RestAssured requests without an Authorization header carry an
 * all-access token ({@link AllAccessToken}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// reset REST Assured first, then give it the all-access token: extensions run in this order
@ExtendWith({SpringExtension.class, RestAssuredReset.class, AllAccessToken.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "recovery.demo.enabled=false",
        TestTokens.ISSUER_PROPERTY, TestTokens.JWKS_PROPERTY, TestTokens.AUDIENCE_PROPERTY,
})
@ActiveProfiles("postgres")
@ContextConfiguration(initializers = PostgresInitializer.class)
public @interface PostgresServerTest {
}
