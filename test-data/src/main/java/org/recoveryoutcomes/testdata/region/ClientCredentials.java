package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Access tokens of a SMART client_credentials client (client_secret_basic) for {@code --load}: the token endpoint
 * comes from the server's {@code .well-known/smart-configuration}, and a new token is fetched before the current one
 * expires (the server's tokens live minutes, a large load takes longer).
 */
final class ClientCredentials implements Supplier<String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI fhirBase;
    private final String authorization;
    private URI tokenEndpoint;
    private String token;
    private Instant renewAt = Instant.EPOCH;

    /** @param idAndSecret {@code client-id:secret} */
    ClientCredentials(HttpClient http, String fhirBase, String idAndSecret) {
        if (!idAndSecret.contains(":")) {
            throw new IllegalArgumentException("--client needs CLIENT_ID:SECRET");
        }
        this.http = http;
        this.fhirBase = URI.create(fhirBase.endsWith("/") ? fhirBase.substring(0, fhirBase.length() - 1) : fhirBase);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(idAndSecret.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized String get() {
        if (Instant.now().isAfter(renewAt)) {
            try {
                JsonNode response = post(endpoint());
                token = response.path("access_token").asText();
                long lifetime = response.path("expires_in").asLong(60);
                renewAt = Instant.now().plusSeconds(Math.max(5, lifetime - 30));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return token;
    }

    private URI endpoint() throws IOException, InterruptedException {
        if (tokenEndpoint == null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fhirBase + "/.well-known/smart-configuration"))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            JsonNode config = r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
            if (!config.hasNonNull("token_endpoint")) {
                throw new IOException(fhirBase + " names no token endpoint (HTTP " + r.statusCode() + ")");
            }
            tokenEndpoint = URI.create(config.get("token_endpoint").asText());
        }
        return tokenEndpoint;
    }

    private JsonNode post(URI endpoint) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("no token from " + endpoint + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
