package org.recoveryoutcomes.packager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a FHIR NPM package from a folder of {@code <ResourceType>-<id>.json} files:
 * {@code package/package.json}, {@code package/.index.json} and the resources, as a folder and as a .tgz.
 * Fails the build on a file whose name, id or url breaks the project's conventions.
 */
public final class FhirPackager {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: FhirPackager <srcDir> <outDir> <name> <version> <title> [dependency@version ...]");
        }
        Map<String, String> deps = new LinkedHashMap<>();
        deps.put("hl7.fhir.r4.core", "4.0.1");
        for (int i = 5; i < args.length; i++) {
            if (args[i] == null || args[i].isBlank()) continue;
            String[] nv = args[i].split("@", 2);
            deps.put(nv[0], nv[1]);
        }
        Path tgz = build(Path.of(args[0]), Path.of(args[1]), args[2], args[3], args[4], deps);
        System.out.println("FHIR package written: " + tgz);
    }

    public static Path build(Path src, Path out, String name, String version, String title, Map<String, String> deps)
            throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(src)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        Path pkgDir = out.resolve(name).resolve("package");
        Files.createDirectories(pkgDir);
        ArrayNode index = JSON.createArrayNode();
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            JsonNode r = JSON.readTree(f.toFile());
            String fileName = f.getFileName().toString();
            String type = r.path("resourceType").asText();
            String id = r.path("id").asText();
            if (!fileName.equals(type + "-" + id + ".json")) {
                problems.add(fileName + ": file name must be " + type + "-" + id + ".json");
            }
            String url = r.path("url").asText(null);
            if (url != null && !url.equals(CANON + "/" + type + "/" + id)) {
                problems.add(fileName + ": url must be " + CANON + "/" + type + "/" + id + " but is " + url);
            }
            Files.copy(f, pkgDir.resolve(fileName), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ObjectNode entry = index.addObject();
            entry.put("filename", fileName);
            entry.put("resourceType", type);
            entry.put("id", id);
            if (url != null) entry.put("url", url);
            if (r.hasNonNull("version")) entry.put("version", r.get("version").asText());
            if (r.hasNonNull("kind")) entry.put("kind", r.get("kind").asText());
            if (r.hasNonNull("type")) entry.put("type", r.get("type").asText());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("FHIR package " + name + " breaks the conventions:\n  " + String.join("\n  ", problems));
        }
        ObjectNode indexFile = JSON.createObjectNode();
        indexFile.put("index-version", 1);
        indexFile.set("files", index);
        JSON.writeValue(pkgDir.resolve(".index.json").toFile(), indexFile);

        ObjectNode pkg = JSON.createObjectNode();
        pkg.put("name", name);
        pkg.put("version", version);
        pkg.put("title", title);
        pkg.put("description", title);
        pkg.put("canonical", CANON);
        pkg.put("url", CANON);
        pkg.put("type", "IG");
        pkg.put("license", "Apache-2.0");
        pkg.putArray("fhirVersions").add("4.0.1");
        ObjectNode dependencies = pkg.putObject("dependencies");
        deps.forEach(dependencies::put);
        pkg.put("author", "Recovery Outcomes FHIR Server project");
        JSON.writeValue(pkgDir.resolve("package.json").toFile(), pkg);

        Path tgz = out.resolve(name + ".tgz");
        writeTgz(pkgDir, tgz);
        return tgz;
    }

    private static void writeTgz(Path pkgDir, Path tgz) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(pkgDir)) {
            entries = s.sorted().toList();
        }
        try (OutputStream fos = Files.newOutputStream(tgz);
             GZIPOutputStream gz = new GZIPOutputStream(fos);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : entries) {
                TarArchiveEntry e = new TarArchiveEntry("package/" + p.getFileName());
                byte[] bytes = Files.readAllBytes(p);
                e.setSize(bytes.length);
                e.setModTime(0L);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private FhirPackager() {
    }
}
