package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedResponsesTest {

    private static final String CANON = "https://w3id.org/recovery-outcomes/fhir/Questionnaire/";
    private final GeneratedRegion region = GeneratedRegion.shared();

    @Test
    void everyResponseAnswersOnlyItemsAndCodesOfItsQuestionnaireAndEveryRequiredItem() {
        List<String> problems = new ArrayList<>();
        List<JsonNode> responses = region.resources("QuestionnaireResponse").toList();
        for (JsonNode qr : responses) {
            problems.addAll(rules(questionnaireId(qr)).problems(qr));
        }
        assertThat(responses).hasSizeGreaterThan(500);
        assertThat(problems).as("first problems: " + problems.stream().limit(20).toList()).isEmpty();
    }

    @Test
    void everyResponseIsCompletedAndNamesItsQuestionnaireSubjectAuthorAndIdentifier() {
        region.resources("QuestionnaireResponse").forEach(qr -> {
            String id = qr.path("id").asText();
            JsonNode q = questionnaire(questionnaireId(qr));
            assertThat(qr.path("questionnaire").asText()).as(id).isEqualTo(q.path("url").asText() + "|" + q.path("version").asText());
            assertThat(qr.path("status").asText()).as(id).isEqualTo("completed");
            assertThat(qr.path("identifier").path("system").asText()).as(id).isEqualTo("urn:recovery-outcomes:synthetic-response");
            assertThat(qr.path("identifier").path("value").asText()).as(id).isEqualTo(id);
            String subjectType = qr.path("subject").path("reference").asText().split("/")[0];
            assertThat(q.path("subjectType").toString()).as(id + " subject").contains("\"" + subjectType + "\"");
            assertThat(qr.path("authored").asText()).as(id).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
            assertThat(qr.path("author").path("reference").asText()).as(id).startsWith("Organization/");
            assertThat(qr.path("meta").path("profile").get(0).asText()).as(id)
                    .isEqualTo("https://w3id.org/recovery-outcomes/fhir/StructureDefinition/recovery-questionnaire-response");
        });
    }

    @Test
    void everyQuestionnaireOfTheProjectIsAnsweredWithItsOwnSubjectType() {
        Map<String, Set<String>> subjectTypesById = region.resources("QuestionnaireResponse").collect(Collectors.groupingBy(
                GeneratedResponsesTest::questionnaireId, Collectors.mapping(
                        qr -> qr.path("subject").path("reference").asText().split("/")[0], Collectors.toCollection(TreeSet::new))));
        List<String> published = new ArrayList<>();
        GeneratedRegion.content("recovery-outcomes.questionnaires", ".index.json").path("files").forEach(f -> {
            if (f.path("resourceType").asText().equals("Questionnaire")) {
                published.add(f.path("id").asText());
            }
        });
        assertThat(published).hasSizeGreaterThanOrEqualTo(12);
        assertThat(subjectTypesById.keySet()).containsExactlyInAnyOrderElementsOf(published);
        subjectTypesById.forEach((id, types) -> assertThat(types).as(id).containsExactly(
                questionnaire(id).path("subjectType").get(0).asText()));
    }

    @Test
    void eachOrganisationAssessesItselfEveryYear() {
        Map<String, Long> perSubject = region.resources("QuestionnaireResponse")
                .filter(qr -> qr.path("subject").path("reference").asText().startsWith("Organization/"))
                .collect(Collectors.groupingBy(qr -> qr.path("subject").path("reference").asText() + " " + questionnaireId(qr),
                        Collectors.counting()));
        assertThat(perSubject).hasSize(GeneratedRegion.SETTINGS.organisations() * 2)
                .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo((long) GeneratedRegion.SETTINGS.years()));
    }

    /** The rule checker itself must catch what a 422 would be about, or the tests above prove nothing. */
    @Test
    void theRuleCheckerFindsAWrongCodeAMissingRequiredAnswerAndAnAnswerToADisabledItem() {
        JsonNode inspire = region.resources("QuestionnaireResponse").filter(qr -> questionnaireId(qr).equals("inspire"))
                .findFirst().orElseThrow();
        QuestionnaireRules rules = rules("inspire");
        assertThat(rules.problems(inspire)).isEmpty();

        ObjectNode wrongCode = inspire.deepCopy();
        ((ObjectNode) first(wrongCode, "relationship-1").path("answer").get(0).path("valueCoding")).put("code", "5");
        assertThat(rules.problems(wrongCode)).anyMatch(p -> p.contains("relationship-1") && p.contains("not an allowed answer"));

        ObjectNode missing = inspire.deepCopy();
        ArrayNode relationship = (ArrayNode) first(missing, "relationship").path("item");
        relationship.remove(0);
        assertThat(rules.problems(missing)).anyMatch(p -> p.contains("relationship-1") && p.contains("required"));

        ObjectNode disabled = inspire.deepCopy();
        JsonNode rated = null;
        for (JsonNode support : first(disabled, "support").path("item")) {
            if (support.path("item").size() == 2) {
                rated = support;
                break;
            }
        }
        assertThat(rated).as("an INSPIRE response has at least one rated support item").isNotNull();
        ((ObjectNode) rated.path("item").get(0).path("answer").get(0).path("valueCoding")).put("code", "not-important");
        String ratingLinkId = rated.path("item").get(1).path("linkId").asText();
        assertThat(rules.problems(disabled)).anyMatch(p -> p.contains(ratingLinkId) && p.contains("disabled"));
    }

    static String questionnaireId(JsonNode qr) {
        String canonical = qr.path("questionnaire").asText();
        return canonical.substring(CANON.length(), canonical.indexOf('|'));
    }

    private static final Map<String, QuestionnaireRules> RULES = new HashMap<>();

    private static synchronized QuestionnaireRules rules(String id) {
        return RULES.computeIfAbsent(id, k -> new QuestionnaireRules(questionnaire(k)));
    }

    static JsonNode questionnaire(String id) {
        return GeneratedRegion.content("recovery-outcomes.questionnaires", "Questionnaire-" + id + ".json");
    }

    private static JsonNode first(JsonNode node, String linkId) {
        for (JsonNode item : node.path("item")) {
            if (item.path("linkId").asText().equals(linkId)) {
                return item;
            }
            JsonNode nested = first(item, linkId);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }
}
