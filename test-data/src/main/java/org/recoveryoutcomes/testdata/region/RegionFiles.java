package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A region written by {@code --out}, read back one file at a time for {@code --load URL --from DIR}, and the record of
 * which files a server has taken ({@code loaded.txt} in the directory, one file name a line, appended as each
 * transaction succeeds), so that {@code --resume} skips them.
 */
final class RegionFiles {

    static final String LEDGER = "loaded.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file's transaction Bundle, as bytes to send, with its entries' request URLs and its number of people. */
    record Contents(byte[] json, List<String> requestUrls, int people) {
    }

    private final Path dir;
    private final Set<String> loaded = new HashSet<>();

    RegionFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory");
        }
        this.dir = dir;
        Path ledger = dir.resolve(LEDGER);
        if (Files.exists(ledger)) {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    loaded.add(line.strip());
                }
            }
        }
    }

    /** The region's files in order (region-000000 first: the organisations everything else refers to). */
    List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches("region-\\d+\\.json(\\.gz)?")).sorted().toList();
        }
    }

    boolean isLoaded(Path file) {
        synchronized (loaded) {
            return loaded.contains(file.getFileName().toString());
        }
    }

    /** Notes that the server has taken {@code file}; the line is on disk before this returns. */
    void markLoaded(Path file) throws IOException {
        String name = file.getFileName().toString();
        synchronized (loaded) {
            if (loaded.add(name)) {
                Files.writeString(dir.resolve(LEDGER), name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            }
        }
    }

    static Contents read(Path file) throws IOException {
        byte[] json;
        try (InputStream in = Files.newInputStream(file)) {
            json = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16).readAllBytes() : in.readAllBytes();
        }
        JsonNode bundle = JSON.readTree(json);
        if (!"Bundle".equals(bundle.path("resourceType").asText()) || !"transaction".equals(bundle.path("type").asText())) {
            throw new IOException(file + " is not a transaction Bundle");
        }
        List<String> urls = new ArrayList<>();
        int people = 0;
        for (JsonNode entry : bundle.path("entry")) {
            urls.add(entry.path("request").path("url").asText());
            if ("Patient".equals(entry.path("resource").path("resourceType").asText())) {
                people++;
            }
        }
        return new Contents(json, urls, people);
    }
}
