package org.recoveryoutcomes.testdata.region;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * POSTs each bundle to a FHIR server's base as a transaction and checks that every entry succeeded; a failed
 * transaction or an entry without a 2xx status stops the load with the server's OperationOutcome.
 */
final class FhirServerSink implements BundleSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FhirContext fhir;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Supplier<String> token;

    /**
     * @param token  bearer token to send, or null
     * @param client {@code client-id:secret} of a client_credentials client to get tokens from, or null
     */
    FhirServerSink(FhirContext fhir, String base, String token, String client) {
        this.fhir = fhir;
        this.base = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = client != null ? new ClientCredentials(http, base, client) : () -> token;
    }

    @Override
    public void accept(RegionBundle bundle) throws IOException, InterruptedException {
        List<String> urls = bundle.bundle().getEntry().stream().map(e -> e.getRequest().getUrl()).toList();
        send("bundle " + bundle.number(), fhir.newJsonParser().encodeResourceToString(bundle.bundle()).getBytes(StandardCharsets.UTF_8), urls);
    }

    /**
     * POSTs one transaction Bundle as it is, and checks the answer has a 2xx entry for each of {@code requestUrls}.
     *
     * @param what names the bundle in an error message
     */
    void send(String what, byte[] bundleJson, List<String> requestUrls) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base)
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundleJson));
        String bearer = token.get();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(what + ": HTTP " + response.statusCode() + " from " + base + "\n" + response.body());
        }
        List<String> failed = new ArrayList<>();
        JsonNode entries = JSON.readTree(response.body()).path("entry");
        for (int i = 0; i < entries.size(); i++) {
            String status = entries.get(i).path("response").path("status").asText("");
            if (!status.startsWith("2")) {
                failed.add((i < requestUrls.size() ? requestUrls.get(i) : "entry " + i) + " → " + status);
            }
        }
        if (entries.size() != requestUrls.size() || !failed.isEmpty()) {
            throw new IOException(what + ": " + entries.size() + " of " + requestUrls.size() + " entries answered, failed: " + failed);
        }
    }
}
