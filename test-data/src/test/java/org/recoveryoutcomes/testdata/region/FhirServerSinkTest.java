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
        return new FhirServerSink(GeneratedRegion.FHIR, "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/", token);
    }

    private static RegionBundle twoPatients() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (String id : List.of("a", "b")) {
            b.addEntry().setResource(new Patient().setActive(true).setId(id)).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/" + id);
        }
        return new RegionBundle(1, 2, b);
    }
}
