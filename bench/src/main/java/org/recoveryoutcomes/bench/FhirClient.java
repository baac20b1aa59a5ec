package org.recoveryoutcomes.bench;

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

/**
 * HTTP to one server's FHIR API as one SMART client_credentials client (client_secret_basic at the embedded issuer's
 * {@code /oauth2/token}), with a real bearer token that is renewed a minute before it expires (they live 5 minutes).
 * Thread-safe: the ingest clients share one.
 */
final class FhirClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String FHIR_JSON = "application/fhir+json";

    final String base;
    private final HttpClient http;
    private final String basicAuth;
    private final URI tokenEndpoint;
    private String token;
    private Instant renewAt = Instant.EPOCH;

    /** @param server e.g. http://localhost:8080 */
    FhirClient(String server, String clientId, String secret) {
        this.base = server + "/fhir";
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        this.tokenEndpoint = URI.create(server + "/oauth2/token");
    }

    synchronized String token() {
        if (Instant.now().isAfter(renewAt)) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(60))
                    .header("Authorization", basicAuth).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("no token from " + tokenEndpoint + ": HTTP " + r.statusCode() + " " + r.body());
            }
            JsonNode body = json(r);
            token = body.path("access_token").asText();
            renewAt = Instant.now().plusSeconds(Math.max(10, body.path("expires_in").asLong(300) - 60));
        }
        return token;
    }

    /** GET of a path under the FHIR base ("Patient?_count=1") or of an absolute URL (a paging link). */
    HttpResponse<String> get(String pathOrUrl) {
        return send(request(pathOrUrl).header("Accept", FHIR_JSON).header("Cache-Control", "no-cache").GET());
    }

    HttpResponse<String> post(String path, String body, String prefer) {
        HttpRequest.Builder b = request(path).header("Content-Type", FHIR_JSON).header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
            b.header("Prefer", prefer);
        }
        return send(b);
    }

    /** A transaction or batch Bundle; fails unless the server answers 200. */
    JsonNode transaction(String bundle) {
        HttpResponse<String> r = post("", bundle, "return=minimal");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("transaction failed: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
        }
        return json(r);
    }

    JsonNode getJson(String pathOrUrl) {
        HttpResponse<String> r = get(pathOrUrl);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathOrUrl + ": HTTP " + r.statusCode() + " " + abbreviate(r.body()));
        }
        return json(r);
    }

    private HttpRequest.Builder request(String pathOrUrl) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : pathOrUrl.isEmpty() ? base : base + "/" + pathOrUrl;
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + token());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
