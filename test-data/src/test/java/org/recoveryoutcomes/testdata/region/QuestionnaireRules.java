package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SDC rules a completed response must meet, checked by walking the Questionnaire JSON as published (written for
 * the tests, sharing nothing with the generator): every linkId exists where it is used, choice answers are among the
 * answerOptions (or in the answerValueSet's CodeSystem), value types match item types, minValue/maxValue hold, items
 * that do not repeat have one answer, required enabled items are answered, and disabled items are absent.
 */
final class QuestionnaireRules {

    private static final String MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
    private static final String MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";

    private final JsonNode questionnaire;
    private final String id;

    QuestionnaireRules(JsonNode questionnaire) {
        this.questionnaire = questionnaire;
        this.id = questionnaire.path("id").asText();
    }

    /** The problems of {@code response} against this Questionnaire; empty when it is valid. */
    List<String> problems(JsonNode response) {
        List<String> problems = new ArrayList<>();
        Map<String, List<JsonNode>> answers = new HashMap<>();
        collect(response.path("item"), answers);
        items(questionnaire.path("item"), response.path("item"), answers, response.path("id").asText(), problems);
        return problems;
    }

    private void items(JsonNode defined, JsonNode given, Map<String, List<JsonNode>> answers, String where, List<String> problems) {
        Map<String, JsonNode> byLinkId = new HashMap<>();
        defined.forEach(d -> byLinkId.put(d.path("linkId").asText(), d));
        Set<String> seen = new HashSet<>();
        for (JsonNode g : given) {
            String linkId = g.path("linkId").asText();
            JsonNode d = byLinkId.get(linkId);
            String here = where + "/" + linkId;
            if (d == null) {
                problems.add(here + ": no such item at this place in " + id);
                continue;
            }
            if (!seen.add(linkId)) {
                problems.add(here + ": item given twice");
            }
            if (!enabled(d, answers)) {
                problems.add(here + ": item is disabled by its enableWhen but present");
            }
            String type = d.path("type").asText();
            switch (type) {
                case "display" -> problems.add(here + ": display item present");
                case "group" -> {
                    if (g.has("answer")) {
                        problems.add(here + ": group has answers");
                    }
                    if (!g.path("item").isArray() || g.path("item").isEmpty()) {
                        problems.add(here + ": group has no items");
                    }
                    items(d.path("item"), g.path("item"), answers, here, problems);
                }
                default -> answers(d, g, here, problems);
            }
        }
        for (JsonNode d : defined) {
            String linkId = d.path("linkId").asText();
            if (d.path("required").asBoolean() && !seen.contains(linkId) && enabled(d, answers)) {
                problems.add(where + "/" + linkId + ": required item of " + id + " not answered");
            }
        }
    }

    private void answers(JsonNode d, JsonNode g, String here, List<String> problems) {
        JsonNode list = g.path("answer");
        if (!list.isArray() || list.isEmpty()) {
            problems.add(here + ": question present without an answer");
            return;
        }
        if (list.size() > 1 && !d.path("repeats").asBoolean()) {
            problems.add(here + ": " + list.size() + " answers to an item that does not repeat");
        }
        String type = d.path("type").asText();
        for (JsonNode a : list) {
            switch (type) {
                case "choice" -> {
                    JsonNode coding = a.path("valueCoding");
                    if (coding.isMissingNode()) {
                        problems.add(here + ": choice answered without valueCoding");
                    } else if (!allowed(d, coding)) {
                        problems.add(here + ": " + coding.path("system").asText() + "|" + coding.path("code").asText() + " is not an allowed answer");
                    }
                }
                case "integer" -> {
                    if (!a.path("valueInteger").isInt()) {
                        problems.add(here + ": integer item answered without valueInteger");
                    } else {
                        int v = a.path("valueInteger").asInt();
                        Integer min = bound(d, MIN_VALUE);
                        Integer max = bound(d, MAX_VALUE);
                        if (min != null && v < min || max != null && v > max) {
                            problems.add(here + ": " + v + " is outside " + min + "…" + max);
                        }
                    }
                }
                case "text", "string" -> {
                    if (!a.path("valueString").isTextual() || a.path("valueString").asText().isBlank()) {
                        problems.add(here + ": " + type + " item answered without a valueString");
                    }
                }
                case "date" -> {
                    if (!a.path("valueDate").asText().matches("\\d{4}-\\d{2}-\\d{2}")) {
                        problems.add(here + ": date item answered without a valueDate");
                    }
                }
                default -> problems.add(here + ": answer to an item of type " + type);
            }
            if (a.has("item")) {
                problems.add(here + ": nested items under an answer");
            }
        }
    }

    private static boolean allowed(JsonNode d, JsonNode coding) {
        String system = coding.path("system").asText();
        String code = coding.path("code").asText();
        if (d.has("answerOption")) {
            for (JsonNode option : d.path("answerOption")) {
                JsonNode c = option.path("valueCoding");
                if (c.path("system").asText().equals(system) && c.path("code").asText().equals(code)) {
                    return true;
                }
            }
            return false;
        }
        String valueSet = d.path("answerValueSet").asText();
        String vsId = valueSet.substring(valueSet.lastIndexOf('/') + 1);
        for (JsonNode include : GeneratedRegion.content("recovery-outcomes.terminology", "ValueSet-" + vsId + ".json").path("compose").path("include")) {
            if (!include.path("system").asText().equals(system)) {
                continue;
            }
            if (include.has("concept")) {
                for (JsonNode c : include.path("concept")) {
                    if (c.path("code").asText().equals(code)) {
                        return true;
                    }
                }
                continue;
            }
            String csId = system.substring(system.lastIndexOf('/') + 1);
            if (codes(GeneratedRegion.content("recovery-outcomes.terminology", "CodeSystem-" + csId + ".json").path("concept")).contains(code)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> codes(JsonNode concepts) {
        Set<String> out = new HashSet<>();
        for (JsonNode c : concepts) {
            out.add(c.path("code").asText());
            out.addAll(codes(c.path("concept")));
        }
        return out;
    }

    private static boolean enabled(JsonNode d, Map<String, List<JsonNode>> answers) {
        if (!d.has("enableWhen")) {
            return true;
        }
        boolean all = d.path("enableBehavior").asText("any").equals("all");
        boolean any = false;
        for (JsonNode condition : d.path("enableWhen")) {
            List<JsonNode> given = answers.getOrDefault(condition.path("question").asText(), List.of());
            boolean met = switch (condition.path("operator").asText()) {
                case "exists" -> given.isEmpty() != condition.path("answerBoolean").asBoolean();
                case "=" -> given.stream().anyMatch(a -> sameAnswer(a, condition));
                case "!=" -> given.stream().noneMatch(a -> sameAnswer(a, condition));
                default -> throw new IllegalStateException("the test does not evaluate operator " + condition.path("operator"));
            };
            if (all && !met) {
                return false;
            }
            any |= met;
        }
        return any;
    }

    private static boolean sameAnswer(JsonNode answer, JsonNode condition) {
        if (condition.has("answerCoding")) {
            JsonNode want = condition.path("answerCoding");
            JsonNode got = answer.path("valueCoding");
            return got.path("system").asText().equals(want.path("system").asText()) && got.path("code").asText().equals(want.path("code").asText());
        }
        if (condition.has("answerBoolean")) {
            return answer.path("valueBoolean").equals(condition.path("answerBoolean"));
        }
        if (condition.has("answerInteger")) {
            return answer.path("valueInteger").equals(condition.path("answerInteger"));
        }
        throw new IllegalStateException("the test does not evaluate enableWhen " + condition);
    }

    private static Integer bound(JsonNode d, String url) {
        for (JsonNode e : d.path("extension")) {
            if (e.path("url").asText().equals(url) && e.has("valueInteger")) {
                return e.path("valueInteger").asInt();
            }
        }
        return null;
    }

    private static void collect(JsonNode items, Map<String, List<JsonNode>> answers) {
        for (JsonNode item : items) {
            List<JsonNode> list = answers.computeIfAbsent(item.path("linkId").asText(), k -> new ArrayList<>());
            item.path("answer").forEach(list::add);
            collect(item.path("item"), answers);
        }
    }
}
