package org.recoveryoutcomes.packager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FhirPackagerTest {

    @TempDir
    Path tmp;

    @Test
    void writesPackageJsonIndexAndTarball() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("CodeSystem-x.json"),
                "{\"resourceType\":\"CodeSystem\",\"id\":\"x\",\"url\":\"" + FhirPackager.CANON + "/CodeSystem/x\",\"version\":\"1.0.0\"}");
        Path tgz = FhirPackager.build(src, tmp.resolve("out"), "demo.pkg", "1.0.0", "Demo", Map.of());

        assertThat(tgz).exists();
        JsonNode index = new ObjectMapper().readTree(tmp.resolve("out/demo.pkg/package/.index.json").toFile());
        assertThat(index.at("/files/0/url").asText()).isEqualTo(FhirPackager.CANON + "/CodeSystem/x");
        JsonNode pkg = new ObjectMapper().readTree(tmp.resolve("out/demo.pkg/package/package.json").toFile());
        assertThat(pkg.get("name").asText()).isEqualTo("demo.pkg");
        assertThat(pkg.at("/fhirVersions/0").asText()).isEqualTo("4.0.1");
    }

    @Test
    void refusesAFileWhoseUrlDoesNotFollowTheCanonicalPattern() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("CodeSystem-x.json"),
                "{\"resourceType\":\"CodeSystem\",\"id\":\"x\",\"url\":\"http://example.org/x\"}");
        assertThatThrownBy(() -> FhirPackager.build(src, tmp.resolve("out"), "p", "1", "t", Map.of()))
                .hasMessageContaining("url must be");
    }

    @Test
    void refusesAFileNamedDifferentlyFromItsId() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("CodeSystem-y.json"), "{\"resourceType\":\"CodeSystem\",\"id\":\"x\"}");
        assertThatThrownBy(() -> FhirPackager.build(src, tmp.resolve("out"), "p", "1", "t", Map.of()))
                .hasMessageContaining("file name must be");
    }
}
