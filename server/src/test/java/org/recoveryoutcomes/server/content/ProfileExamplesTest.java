package org.recoveryoutcomes.server.content;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validates every example in test-data against its profile: a valid example gives no error; an invalid one gives an
 * error that names the rule its README row gives as the reason.
 */
class ProfileExamplesTest {

    private static FhirValidator validator;

    record Example(Path file, boolean valid, List<String> reasons) {
        @Override
        public String toString() {
            return file.getFileName().toString();
        }
    }

    @BeforeAll
    static void validator() {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(ContentFiles.FHIR);
        ContentFiles.all().forEach(f -> ours.addResource(f.resource()));
        UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(ContentFiles.FHIR);
        unknown.setNonExistentCodeSystemSeverity(ca.uhn.fhir.context.support.IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(ContentFiles.FHIR), ours,
                new SnapshotGeneratingValidationSupport(ContentFiles.FHIR), new InMemoryTerminologyServerValidationSupport(ContentFiles.FHIR),
                new CommonCodeSystemsTerminologyService(ContentFiles.FHIR), unknown);
        validator = ContentFiles.FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    static Stream<Example> examples() throws IOException {
        Path dir = ContentFiles.root().resolve("test-data/src/main/fhir/examples");
        List<String> readme = Files.readAllLines(dir.resolve("README.md"));
        List<Example> all = new ArrayList<>();
        Pattern row = Pattern.compile("^\\| `([^`]+\\.json)` \\| `[^`]+` \\| (valid|invalid) \\| (.*) \\|$");
        for (String line : readme) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                List<String> tokens = new ArrayList<>();
                Matcher t = Pattern.compile("`([^`]+)`").matcher(m.group(3));
                while (t.find()) {
                    tokens.add(t.group(1));
                }
                all.add(new Example(dir.resolve(m.group(1)), m.group(2).equals("valid"), tokens));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".json")).count()).as("every example has a README row").isEqualTo(all.size());
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} validates as its name says")
    @MethodSource("examples")
    void everyExampleValidatesAsItsNameSays(Example e) throws IOException {
        IBaseResource r = ContentFiles.FHIR.newJsonParser().parseResource(Files.readString(e.file()));
        List<String> errors = validator.validateWithResult(r).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
        if (e.valid()) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).as("an error naming one of %s", e.reasons())
                    .anyMatch(msg -> e.reasons().stream().anyMatch(msg::contains));
        }
    }
}
