package org.recoveryoutcomes.server.content;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads the project's FHIR NPM packages (built by the content modules) from the class path. */
public final class FhirPackages {

    /** Install order: what a later type refers to comes first. */
    static final List<String> TYPE_ORDER = List.of("CodeSystem", "ValueSet", "ConceptMap", "StructureDefinition",
            "SearchParameter", "OperationDefinition", "Questionnaire", "Measure");

    public record PackagedResource(String packageName, String fileName, IBaseResource resource) {
    }

    private FhirPackages() {
    }

    public static List<PackagedResource> load(FhirContext ctx, String pattern) {
        try {
            Resource[] tgzs = new PathMatchingResourcePatternResolver().getResources(pattern);
            List<PackagedResource> all = new ArrayList<>();
            for (Resource tgz : tgzs) {
                try (InputStream in = tgz.getInputStream()) {
                    NpmPackage pkg = NpmPackage.fromPackage(in);
                    for (String file : pkg.list("package")) {
                        if (!file.endsWith(".json") || file.equals("package.json") || file.startsWith(".")) {
                            continue;
                        }
                        try (InputStream r = pkg.load("package", file)) {
                            String json = new String(r.readAllBytes(), StandardCharsets.UTF_8);
                            all.add(new PackagedResource(pkg.name(), file, ctx.newJsonParser().parseResource(json)));
                        }
                    }
                }
            }
            all.sort(Comparator.comparingInt((PackagedResource p) -> typeRank(p.resource().fhirType()))
                    .thenComparing(PackagedResource::fileName));
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int typeRank(String type) {
        int i = TYPE_ORDER.indexOf(type);
        return i < 0 ? TYPE_ORDER.size() : i;
    }
}
