package org.recoveryoutcomes.testdata.region;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A small region written to files by the command line's code path and read back as plain JSON, so the tests look
 * at what a user gets, not at the generator's objects. Made once per test JVM.
 */
final class GeneratedRegion {

    static final ObjectMapper JSON = new ObjectMapper();
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final RegionSettings SETTINGS = new RegionSettings(40, 2, 2, 7, LocalDate.of(2026, 1, 1), 8);

    private static GeneratedRegion shared;

    final Path dir;
    final List<JsonNode> bundles;

    private GeneratedRegion(Path dir) {
        this.dir = dir;
        this.bundles = files(dir).stream().map(GeneratedRegion::read).toList();
    }

    static synchronized GeneratedRegion shared() {
        if (shared == null) {
            shared = new GeneratedRegion(write(SETTINGS, "shared", 2));
        }
        return shared;
    }

    /** Writes a region to {@code target/test-regions/<name>} (emptied first) and returns the folder. */
    static Path write(RegionSettings settings, String name, int threads) {
        try {
            Path dir = Path.of("target", "test-regions", name);
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Progress quiet = new Progress("Generated", settings.patients(), "people", new PrintStream(PrintStream.nullOutputStream()), false);
            Main.run(FHIR, settings, new BundleFiles(FHIR, dir, false), threads, quiet);
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Stream<JsonNode> resources() {
        return bundles.stream().flatMap(b -> {
            List<JsonNode> out = new ArrayList<>();
            b.path("entry").forEach(e -> out.add(e.path("resource")));
            return out.stream();
        });
    }

    Stream<JsonNode> resources(String type) {
        return resources().filter(r -> r.path("resourceType").asText().equals(type));
    }

    /** A published content resource, read from the FHIR packages of the content modules. */
    static JsonNode content(String packageName, String file) {
        String path = "fhir-packages/" + packageName + "/package/" + file;
        try (InputStream in = GeneratedRegion.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
