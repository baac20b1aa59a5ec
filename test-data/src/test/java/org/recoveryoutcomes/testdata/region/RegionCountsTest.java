package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RegionCountsTest {

    private final GeneratedRegion region = GeneratedRegion.shared();
    private final RegionSettings settings = GeneratedRegion.SETTINGS;

    @Test
    void theRegionHasAsManyPeopleOrganisationsAndBundlesAsAskedFor() {
        assertThat(region.resources("Patient")).hasSize(settings.patients());
        List<JsonNode> trusts = region.resources("Organization").filter(o -> !o.has("partOf")).toList();
        assertThat(trusts).hasSize(settings.organisations());
        assertThat(region.resources("Organization").filter(o -> o.has("partOf"))).hasSize(4 * settings.organisations());
        assertThat(region.resources("Practitioner")).hasSize(4 * Organisations.PRACTITIONERS_PER_TEAM * settings.organisations());
        assertThat(GeneratedRegion.files(region.dir)).hasSize(1 + 5)
                .extracting(p -> p.getFileName().toString()).startsWith("region-000000.json").endsWith("region-000005.json");
    }

    @Test
    void eachPatientBundleHoldsItsShareOfPeopleAndOnlyTheirResources() {
        for (int n = 1; n < region.bundles.size(); n++) {
            Set<String> people = new HashSet<>();
            region.bundles.get(n).path("entry").forEach(e -> {
                JsonNode r = e.path("resource");
                String subject = r.path("resourceType").asText().equals("Patient") ? "Patient/" + r.path("id").asText()
                        : r.path("subject").path("reference").asText();
                people.add(subject);
            });
            assertThat(people).as("bundle " + n).hasSize(settings.patientsPerBundle()).allMatch(s -> s.startsWith("Patient/"));
        }
    }

    @Test
    void everyPersonIsReviewedEveryThreeToSixMonthsOverThePeriod() {
        Map<String, Set<String>> reviewDays = region.resources("QuestionnaireResponse")
                .filter(qr -> qr.path("subject").path("reference").asText().startsWith("Patient/"))
                .collect(Collectors.groupingBy(qr -> qr.path("subject").path("reference").asText(),
                        Collectors.mapping(qr -> qr.path("authored").asText().substring(0, 10), Collectors.toSet())));
        assertThat(reviewDays).hasSize(settings.patients());
        // two years, first review within 4½ months of the start, then every 90–180 days
        reviewDays.forEach((who, days) -> assertThat(days).as(who).hasSizeBetween(4, 9));
    }

    @Test
    void otherParametersGiveOtherCounts() {
        RegionGenerator generator = new RegionGenerator(GeneratedRegion.FHIR, new RegionSettings(7, 3, 1, 5, RegionSettings.DEFAULT_END, 3));
        assertThat(generator.bundleCount()).isEqualTo(1 + 3);
        Bundle organisations = generator.bundle(0).bundle();
        assertThat(organisations.getEntry()).filteredOn(e -> e.getResource() instanceof Organization).hasSize(3 * 5);
        assertThat(organisations.getEntry()).filteredOn(e -> e.getResource() instanceof QuestionnaireResponse).hasSize(3 * 2);
        int people = 0;
        for (int n = 1; n < generator.bundleCount(); n++) {
            RegionBundle b = generator.bundle(n);
            assertThat(b.people()).isEqualTo(n < 3 ? 3 : 1);
            people += b.people();
        }
        assertThat(people).isEqualTo(7);
    }
}
