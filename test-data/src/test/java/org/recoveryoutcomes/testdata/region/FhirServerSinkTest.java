package org.recoveryoutcomes.testdata.region;

import com.sun.net.httpserver.HttpServer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The --load path against a stand-in FHIR server that answers with canned transaction responses. */
class FhirServerSinkTest {

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private volatile int status = 200;
    private volatile String body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth2/token", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                    + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 200, "{\"access_token\":\"issued\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        });
        server.createContext("/fhir/.well-known/smart-configuration", exchange -> answer(exchange, 200,
                "{\"token_endpoint\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/token\"}"));
        server.createContext("/fhir", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aTransactionWhoseEntriesAllSucceededIsPostedToTheBaseWithTheToken() throws Exception {
        body = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[{\"response\":{\"status\":\"201 Created\"}},"
                + "{\"response\":{\"status\":\"200 OK\"}}]}";
        sink("secret").accept(twoPatients());
        assertThat(requests).containsExactly("POST /fhir application/fhir+json Bearer secret");
    }

    @Test
    void aClientGetsItsTokenFromTheServersTokenEndpointAndKeepsItWhileItLives() throws Exception {
        body = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[{\"response\":{\"status\":\"201 Created\"}},"
                + "{\"response\":{\"status\":\"200 OK\"}}]}";
        FhirServerSink sink = new FhirServerSink(GeneratedRegion.FHIR, "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir", null,
                "demo-ehr:demo-ehr-secret");
        sink.accept(twoPatients());
        sink.accept(twoPatients());
        assertThat(requests).containsExactly(
                "POST /oauth2/token Basic ZGVtby1laHI6ZGVtby1laHItc2VjcmV0 grant_type=client_credentials",
                "POST /fhir application/fhir+json Bearer issued",
                "POST /fhir application/fhir+json Bearer issued");
    }

    @Test
    void anEntryThatFailedStopsTheLoadAndSaysWhich() {
        body = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[{\"response\":{\"status\":\"201 Created\"}},"
                + "{\"response\":{\"status\":\"422 Unprocessable Entity\"}}]}";
        assertThatThrownBy(() -> sink(null).accept(twoPatients())).hasMessageContaining("Patient/b → 422");
    }

    @Test
    void aRejectedTransactionStopsTheLoadWithTheServersAnswer() {
        status = 422;
        body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"diagnostics\":\"bad answer\"}]}";
        assertThatThrownBy(() -> sink(null).accept(twoPatients())).hasMessageContaining("HTTP 422").hasMessageContaining("bad answer");
    }

    private FhirServerSink sink(String token) {
        return new FhirServerSink(GeneratedRegion.FHIR, "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/", token, null);
    }

    private static RegionBundle twoPatients() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (String id : List.of("a", "b")) {
            b.addEntry().setResource(new Patient().setActive(true).setId(id)).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/" + id);
        }
        return new RegionBundle(1, 2, b);
    }
}
