package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile-required elements of what the region holds besides responses (profiles/src/main/fhir). */
class GeneratedResourcesTest {

    private static final String SD = "https://w3id.org/recovery-outcomes/fhir/StructureDefinition/";
    private static final String SERVICE_USE = "https://w3id.org/recovery-outcomes/fhir/CodeSystem/service-use-type";
    private final GeneratedRegion region = GeneratedRegion.shared();

    @Test
    void encountersCarryWhatServiceUseEncounterRequires() {
        Set<String> types = new TreeSet<>();
        region.resources("Encounter").forEach(e -> {
            String id = e.path("id").asText();
            assertThat(e.path("meta").path("profile").get(0).asText()).as(id).isEqualTo(SD + "service-use-encounter");
            assertThat(e.path("status").asText()).as(id).isIn("finished", "in-progress");
            assertThat(e.path("class").path("system").asText()).as(id).isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActCode");
            List<JsonNode> serviceUse = new ArrayList<>();
            e.path("type").forEach(t -> t.path("coding").forEach(c -> {
                if (c.path("system").asText().equals(SERVICE_USE)) {
                    serviceUse.add(c);
                }
            }));
            assertThat(serviceUse).as(id + " service-use-type codings").hasSize(1);
            types.add(serviceUse.get(0).path("code").asText());
            assertThat(e.path("subject").path("reference").asText()).as(id).startsWith("Patient/");
            assertThat(e.path("period").path("start").asText()).as(id).isNotEmpty();
            if (e.path("status").asText().equals("finished")) {
                assertThat(e.path("period").path("end").asText()).as(id + " sue-1").isNotEmpty();
                assertThat(e.path("period").path("end").asText()).as(id).isGreaterThanOrEqualTo(e.path("period").path("start").asText());
            }
            assertThat(e.path("serviceProvider").path("reference").asText()).as(id).startsWith("Organization/");
        });
        assertThat(types).containsExactlyInAnyOrder("community-contact", "crisis-contact", "inpatient-admission", "mha-detention");
        assertThat(codes("CodeSystem-service-use-type.json")).containsAll(types);
    }

    @Test
    void detentionsArePartOfAnAdmissionAndWithinIt() {
        List<JsonNode> detentions = region.resources("Encounter").filter(e -> code(e).equals("mha-detention")).toList();
        assertThat(detentions).isNotEmpty();
        for (JsonNode d : detentions) {
            String admissionId = d.path("partOf").path("reference").asText().replace("Encounter/", "");
            JsonNode admission = region.resources("Encounter").filter(e -> e.path("id").asText().equals(admissionId)).findFirst().orElseThrow();
            assertThat(code(admission)).isEqualTo("inpatient-admission");
            assertThat(d.path("period").path("start").asText()).isEqualTo(admission.path("period").path("start").asText());
            if (admission.path("period").has("end")) {
                assertThat(d.path("period").path("end").asText()).isLessThanOrEqualTo(admission.path("period").path("end").asText());
            }
        }
    }

    @Test
    void nobodyIsSeenInTheCommunityOrInCrisisWhileInHospital() {
        List<JsonNode> encounters = region.resources("Encounter").toList();
        for (JsonNode admission : encounters.stream().filter(e -> code(e).equals("inpatient-admission")).toList()) {
            String who = admission.path("subject").path("reference").asText();
            String from = admission.path("period").path("start").asText();
            String to = admission.path("period").path("end").asText("9999");
            assertThat(encounters).filteredOn(e -> e.path("subject").path("reference").asText().equals(who))
                    .filteredOn(e -> code(e).equals("community-contact") || code(e).equals("crisis-contact"))
                    .as(admission.path("id").asText())
                    .noneMatch(e -> e.path("period").path("start").asText().compareTo(from) > 0
                            && e.path("period").path("start").asText().compareTo(to) < 0);
        }
    }

    @Test
    void goalsCarryWhatGasGoalRequires() {
        List<JsonNode> goals = region.resources("Goal").toList();
        assertThat(goals).isNotEmpty();
        for (JsonNode g : goals) {
            String id = g.path("id").asText();
            assertThat(g.path("meta").path("profile").get(0).asText()).as(id).isEqualTo(SD + "gas-goal");
            assertThat(g.path("lifecycleStatus").asText()).as(id).isEqualTo("active");
            assertThat(g.path("subject").path("reference").asText()).as(id).startsWith("Patient/");
            assertThat(g.path("description").path("text").asText()).as(id).isNotBlank();
            List<JsonNode> weight = extensions(g, SD + "gas-weight");
            assertThat(weight).as(id).hasSize(1);
            assertThat(weight.get(0).path("valueDecimal").asDouble()).as(id).isPositive();
            List<JsonNode> baseline = extensions(g, SD + "gas-baseline-level");
            assertThat(baseline).as(id).hasSize(1);
            assertThat(baseline.get(0).path("valueInteger").asInt()).as(id).isIn(-1, -2);
            Set<Integer> levels = new HashSet<>();
            for (JsonNode d : extensions(g, SD + "gas-level-description")) {
                assertThat(d.path("extension")).as(id).hasSize(2);
                levels.add(d.path("extension").get(0).path("valueInteger").asInt());
                assertThat(d.path("extension").get(0).path("url").asText()).isEqualTo("level");
                assertThat(d.path("extension").get(1).path("url").asText()).isEqualTo("description");
                assertThat(d.path("extension").get(1).path("valueString").asText()).as(id).startsWith("Goal level ");
            }
            assertThat(levels).as(id + " five distinct levels").containsExactlyInAnyOrder(-2, -1, 0, 1, 2);
        }
    }

    @Test
    void gasRatingsCarryWhatGasRatingObservationRequiresAndRateAGoalOfTheSamePerson() {
        Set<String> goals = new HashSet<>();
        region.resources("Goal").forEach(g -> goals.add("Goal/" + g.path("id").asText() + " " + g.path("subject").path("reference").asText()));
        List<JsonNode> ratings = region.resources("Observation").toList();
        assertThat(ratings).isNotEmpty();
        Set<String> valueForms = new TreeSet<>();
        for (JsonNode o : ratings) {
            String id = o.path("id").asText();
            assertThat(o.path("meta").path("profile").get(0).asText()).as(id).isEqualTo(SD + "gas-rating-observation");
            assertThat(o.path("status").asText()).as(id).isEqualTo("final");
            JsonNode codings = o.path("code").path("coding");
            assertThat(codings.get(0).path("system").asText()).isEqualTo("https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score");
            assertThat(codings.get(0).path("code").asText()).isEqualTo("gas-attainment");
            codings.forEach(c -> {
                if (c.path("system").asText().equals("http://loinc.org")) {
                    assertThat(c.path("code").asText()).as(id + " gas-rating-2").isIn("107333-7", "107334-5");
                }
            });
            assertThat(o.path("focus")).as(id).hasSize(1);
            assertThat(goals).as(id).contains(o.path("focus").get(0).path("reference").asText() + " " + o.path("subject").path("reference").asText());
            assertThat(o.path("effectiveDateTime").asText()).as(id).isNotEmpty();
            if (o.has("valueInteger")) {
                valueForms.add("integer");
                assertThat(o.path("valueInteger").asInt()).as(id + " gas-rating-1").isBetween(-2, 2);
            } else {
                valueForms.add("codeable");
                JsonNode c = o.path("valueCodeableConcept").path("coding").get(0);
                assertThat(c.path("system").asText()).isEqualTo("http://loinc.org");
                assertThat(c.path("code").asText()).as(id).isIn("LA34484-8", "LA34483-0", "LA34481-4", "LA34480-6", "LA34479-8");
            }
        }
        assertThat(valueForms).containsExactly("codeable", "integer");
    }

    @Test
    void patientsAreSyntheticAdultsManagedByACommunityTeam() {
        LocalDate start = GeneratedRegion.SETTINGS.start();
        Set<String> teams = new HashSet<>();
        region.resources("Organization").filter(o -> o.has("partOf")).forEach(o -> teams.add("Organization/" + o.path("id").asText()));
        region.resources("Patient").forEach(p -> {
            String id = p.path("id").asText();
            assertThat(p.path("identifier").get(0).path("system").asText()).isEqualTo("urn:recovery-outcomes:synthetic-patient");
            assertThat(p.path("meta").path("security").get(0).path("code").asText()).as(id).isEqualTo("HTEST");
            assertThat(Names.FAMILY).contains(p.path("name").get(0).path("family").asText());
            assertThat(Names.GIVEN).contains(p.path("name").get(0).path("given").get(0).asText());
            int age = Period.between(LocalDate.parse(p.path("birthDate").asText()), start).getYears();
            assertThat(age).as(id + " age at the start").isBetween(18, 80);
            assertThat(p.path("gender").asText()).isIn("female", "male", "other", "unknown");
            assertThat(teams).as(id).contains(p.path("managingOrganization").path("reference").asText());
        });
    }

    @Test
    void everyReferenceResolvesInsideTheRegion() {
        Set<String> ids = new HashSet<>();
        region.resources().forEach(r -> ids.add(r.path("resourceType").asText() + "/" + r.path("id").asText()));
        List<String> dangling = new ArrayList<>();
        region.resources().forEach(r -> references(r, r.path("resourceType").asText() + "/" + r.path("id").asText(), ids, dangling));
        assertThat(dangling).isEmpty();
    }

    @Test
    void everyEntryIsAPutOfItsOwnId() {
        region.bundles.forEach(b -> {
            assertThat(b.path("type").asText()).isEqualTo("transaction");
            b.path("entry").forEach(e -> {
                JsonNode r = e.path("resource");
                assertThat(e.path("request").path("method").asText()).isEqualTo("PUT");
                assertThat(e.path("request").path("url").asText()).isEqualTo(r.path("resourceType").asText() + "/" + r.path("id").asText());
                assertThat(r.path("id").asText()).startsWith("r7-").hasSizeLessThanOrEqualTo(64);
            });
        });
    }

    private static void references(JsonNode node, String from, Set<String> ids, List<String> dangling) {
        if (node.isObject()) {
            JsonNode ref = node.get("reference");
            if (ref != null && ref.isTextual() && !ids.contains(ref.asText())) {
                dangling.add(from + " → " + ref.asText());
            }
            node.forEach(child -> references(child, from, ids, dangling));
        } else if (node.isArray()) {
            node.forEach(child -> references(child, from, ids, dangling));
        }
    }

    private static String code(JsonNode encounter) {
        return encounter.path("type").get(0).path("coding").get(0).path("code").asText();
    }

    private static List<JsonNode> extensions(JsonNode r, String url) {
        List<JsonNode> out = new ArrayList<>();
        r.path("extension").forEach(e -> {
            if (e.path("url").asText().equals(url)) {
                out.add(e);
            }
        });
        return out;
    }

    private static Set<String> codes(String file) {
        Set<String> out = new HashSet<>();
        GeneratedRegion.content("recovery-outcomes.terminology", file).path("concept").forEach(c -> out.add(c.path("code").asText()));
        return out;
    }
}
