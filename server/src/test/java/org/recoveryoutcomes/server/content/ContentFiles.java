package org.recoveryoutcomes.server.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The project's content files, read straight from the modules' source folders. */
final class ContentFiles {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final List<String> MODULES = List.of("terminology", "profiles", "questionnaires", "server");

    record ContentFile(String module, Path path, IBaseResource resource) {
        @Override
        public String toString() {
            return module + "/" + path.getFileName();
        }
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("server")) ? here : here.getParent();
    }

    static Stream<ContentFile> all() {
        return MODULES.stream().flatMap(m -> files(root().resolve(m).resolve("src/main/fhir")).map(p -> new ContentFile(m, p, parseStrict(p))));
    }

    static Stream<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IBaseResource parseStrict(Path p) {
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ContentFiles() {
    }
}
