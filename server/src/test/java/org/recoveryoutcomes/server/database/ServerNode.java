package org.recoveryoutcomes.server.database;

import org.recoveryoutcomes.server.RecoveryOutcomesServer;
import org.recoveryoutcomes.server.testing.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * One more server process-alike in the test JVM: the application with the {@code postgres} profile on a random port,
 * against the given database, as an operator would start a node. It trusts the tests' token issuer
 * ({@link TestTokens}), so the all-access token of the shared test server works on it too.
 */
final class ServerNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServerNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static ServerNode start(String jdbcUrl, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--" + TestTokens.ISSUER_PROPERTY, "--" + TestTokens.JWKS_PROPERTY,
                "--" + TestTokens.AUDIENCE_PROPERTY));
        args.addAll(List.of(moreArgs));
        return new ServerNode(new SpringApplicationBuilder(RecoveryOutcomesServer.class).run(args.toArray(String[]::new)));
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    String baseUrl() {
        return "http://localhost:" + port();
    }

    String fhirBase() {
        return baseUrl() + "/fhir";
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
