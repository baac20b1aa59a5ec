package org.recoveryoutcomes.testdata.region;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes each bundle to {@code <dir>/region-<number>.json} (compact JSON, one transaction Bundle per file). */
final class BundleFiles implements BundleSink {

    private final FhirContext fhir;
    private final Path dir;

    BundleFiles(FhirContext fhir, Path dir) throws IOException {
        this.fhir = fhir;
        this.dir = Files.createDirectories(dir);
    }

    static String fileName(int number) {
        return String.format(Locale.ROOT, "region-%06d.json", number);
    }

    @Override
    public void accept(RegionBundle bundle) throws IOException {
        IParser parser = fhir.newJsonParser();
        try (Writer w = Files.newBufferedWriter(dir.resolve(fileName(bundle.number())), StandardCharsets.UTF_8)) {
            parser.encodeResourceToWriter(bundle.bundle(), w);
        }
    }
}
