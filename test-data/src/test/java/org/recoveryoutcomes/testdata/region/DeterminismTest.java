package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismTest {

    private static final RegionSettings SMALL = new RegionSettings(9, 2, 2, 11, LocalDate.of(2026, 1, 1), 4);

    @Test
    void theSameSeedGivesByteIdenticalFilesWhateverTheNumberOfThreads() throws IOException {
        Path one = GeneratedRegion.write(SMALL, "same-seed-1-thread", 1);
        Path three = GeneratedRegion.write(SMALL, "same-seed-3-threads", 3);
        List<Path> files = GeneratedRegion.files(one);
        assertThat(files).hasSize(4);
        for (Path f : files) {
            assertThat(Files.readAllBytes(three.resolve(f.getFileName()))).as(f.getFileName().toString()).isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void anotherSeedGivesOtherData() throws IOException {
        Path a = GeneratedRegion.write(SMALL, "seed-11", 1);
        Path b = GeneratedRegion.write(new RegionSettings(9, 2, 2, 12, LocalDate.of(2026, 1, 1), 4), "seed-12", 1);
        for (Path f : GeneratedRegion.files(a)) {
            String other = Files.readString(b.resolve(f.getFileName())).replace("r12-", "r11-");
            assertThat(other).as(f.getFileName().toString()).isNotEqualTo(Files.readString(f));
        }
    }

    @Test
    void aPersonComesOutTheSameWhateverTheBundleSize() {
        String byFours = person(new RegionGenerator(GeneratedRegion.FHIR, SMALL).bundle(2).bundle(), "r11-p6");
        String byOnes = person(new RegionGenerator(GeneratedRegion.FHIR,
                new RegionSettings(9, 2, 2, 11, LocalDate.of(2026, 1, 1), 1)).bundle(6).bundle(), "r11-p6");
        assertThat(byOnes).contains("\"r11-p6\"").isEqualTo(byFours);
    }

    @Test
    void compressedFilesAreReproducibleAndHoldTheSameJson() throws Exception {
        RegionGenerator generator = new RegionGenerator(GeneratedRegion.FHIR, SMALL);
        Path dir = Path.of("target", "test-regions", "gzip");
        new BundleFiles(GeneratedRegion.FHIR, dir.resolve("plain"), false).accept(generator.bundle(1));
        new BundleFiles(GeneratedRegion.FHIR, dir.resolve("a"), true).accept(generator.bundle(1));
        new BundleFiles(GeneratedRegion.FHIR, dir.resolve("b"), true).accept(new RegionGenerator(GeneratedRegion.FHIR, SMALL).bundle(1));
        byte[] a = Files.readAllBytes(dir.resolve("a/region-000001.json.gz"));
        assertThat(Files.readAllBytes(dir.resolve("b/region-000001.json.gz"))).isEqualTo(a);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(a))) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(dir.resolve("plain/region-000001.json")));
        }
    }

    @Test
    void theCommandLinesEncoderWithoutAutoContainingWritesTheSameBytes() {
        ca.uhn.fhir.context.FhirContext fast = ca.uhn.fhir.context.FhirContext.forR4();
        fast.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        for (int n : new int[] {0, 1, 2}) {
            String usual = GeneratedRegion.FHIR.newJsonParser().encodeResourceToString(new RegionGenerator(GeneratedRegion.FHIR, SMALL).bundle(n).bundle());
            String quick = fast.newJsonParser().encodeResourceToString(new RegionGenerator(GeneratedRegion.FHIR, SMALL).bundle(n).bundle());
            assertThat(quick).as("bundle " + n).hasSizeGreaterThan(1000).isEqualTo(usual);
        }
    }

    private static String person(Bundle bundle, String id) {
        Bundle only = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.getEntry().stream()
                .filter(e -> e.getResource().getIdElement().getIdPart().equals(id) || e.getResource().getIdElement().getIdPart().startsWith(id + "-"))
                .forEach(only::addEntry);
        return GeneratedRegion.FHIR.newJsonParser().encodeResourceToString(only);
    }
}
