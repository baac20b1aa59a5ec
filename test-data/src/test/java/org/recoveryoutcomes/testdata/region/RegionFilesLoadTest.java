package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --load URL --from DIR}: files written by {@code --out} are sent as they are, to a stand-in FHIR server that
 * answers each transaction entry with 201 (or fails one chosen request), and {@code --resume} skips what was taken.
 */
class RegionFilesLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RegionSettings REGION = new RegionSettings(7, 1, 2, 31, LocalDate.of(2026, 1, 1), 2);

    private HttpServer server;
    /** first entry's request URL of each transaction the server got, in arrival order */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failRequest = new AtomicInteger(-1);
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir", exchange -> {
            JsonNode bundle = JSON.readTree(exchange.getRequestBody().readAllBytes());
            int n = requests.getAndIncrement();
            StringBuilder answer = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\",\"entry\":[");
            int status = 200;
            if (n == failRequest.get()) {
                status = 500;
                answer = new StringBuilder("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"exception\"}]}");
            } else {
                received.add(bundle.path("entry").get(0).path("request").path("url").asText());
                for (int i = 0; i < bundle.path("entry").size(); i++) {
                    answer.append(i == 0 ? "" : ",").append("{\"response\":{\"status\":\"201 Created\"}}");
                }
                answer.append("]}");
            }
            byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
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
    void everyFileIsSentOnceWithTheOrganisationsFirstAndNotedAsLoaded() throws Exception {
        Path dir = GeneratedRegion.write(REGION, "files-load", 1);
        RegionFiles region = new RegionFiles(dir);

        Main.load(region, region.files(), sink(), 3, quiet(5));

        // 7 people, 2 a bundle: region-000000 (organisations) and four bundles of people
        assertThat(received).hasSize(5);
        assertThat(received.get(0)).startsWith("Organization/r31-t1");
        assertThat(received.subList(1, 5)).containsExactlyInAnyOrder("Patient/r31-p1", "Patient/r31-p3", "Patient/r31-p5", "Patient/r31-p7");
        assertThat(Files.readAllLines(dir.resolve("loaded.txt"))).containsExactlyInAnyOrder("region-000000.json", "region-000001.json",
                "region-000002.json", "region-000003.json", "region-000004.json");
    }

    @Test
    void aResumedLoadSendsOnlyTheFilesTheFailedOneDidNotTake() throws Exception {
        Path dir = GeneratedRegion.write(REGION, "files-resume", 1);
        failRequest.set(2);
        RegionFiles first = new RegionFiles(dir);

        assertThatThrownBy(() -> Main.load(first, first.files(), sink(), 1, quiet(5))).hasMessageContaining("region-000002.json")
                .hasMessageContaining("HTTP 500");
        assertThat(received).containsExactly("Organization/r31-t1", "Patient/r31-p1");

        received.clear();
        RegionFiles again = new RegionFiles(dir);
        List<Path> todo = again.files().stream().filter(f -> !again.isLoaded(f)).toList();
        Main.load(again, todo, sink(), 1, quiet(todo.size()));

        assertThat(received).containsExactly("Patient/r31-p3", "Patient/r31-p5", "Patient/r31-p7");
        assertThat(Files.readAllLines(dir.resolve("loaded.txt"))).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void compressedFilesAreSentAsTheJsonTheyHold() throws Exception {
        Path dir = Path.of("target", "test-regions", "files-gzip");
        RegionGenerator generator = new RegionGenerator(GeneratedRegion.FHIR, REGION);
        Files.deleteIfExists(dir.resolve("loaded.txt"));
        new BundleFiles(GeneratedRegion.FHIR, dir, true).accept(generator.bundle(1));

        RegionFiles.Contents contents = RegionFiles.read(dir.resolve("region-000001.json.gz"));

        assertThat(new String(contents.json(), StandardCharsets.UTF_8))
                .isEqualTo(GeneratedRegion.FHIR.newJsonParser().encodeResourceToString(generator.bundle(1).bundle()));
        assertThat(contents.people()).isEqualTo(2);
        assertThat(contents.requestUrls()).hasSize(generator.bundle(1).resources()).first().isEqualTo("Patient/r31-p1");
    }

    private FhirServerSink sink() {
        return new FhirServerSink(GeneratedRegion.FHIR, "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir", null, null);
    }

    private static Progress quiet(int files) {
        return new Progress("Loaded", files, "bundles", new PrintStream(PrintStream.nullOutputStream()), false);
    }
}
