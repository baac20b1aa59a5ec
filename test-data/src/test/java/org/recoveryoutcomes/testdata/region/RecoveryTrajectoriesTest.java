package org.recoveryoutcomes.testdata.region;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The data behaves like a caseload: measures move together, people differ in direction, situations change. */
class RecoveryTrajectoriesTest {

    private final GeneratedRegion region = GeneratedRegion.shared();

    @Test
    void changeInWellbeingGoesWithChangeInRecoveryAndQualityOfLife() {
        Map<String, Double> wellbeing = change("wemwbs", "swemwbs");
        Map<String, Double> recovery = change("qpr-22", "qpr-15");
        Map<String, Double> life = change("mansa");
        assertThat(correlation(wellbeing, recovery)).isGreaterThan(0.4);
        assertThat(correlation(wellbeing, life)).isGreaterThan(0.4);
    }

    @Test
    void somePeopleImproveAndSomeGetWorse() {
        Map<String, Double> wellbeing = change("wemwbs", "swemwbs");
        // mean item score on a 1–5 scale; half a point is a large change
        long better = wellbeing.values().stream().filter(c -> c >= 0.5).count();
        long worse = wellbeing.values().stream().filter(c -> c <= -0.5).count();
        assertThat(better).isGreaterThanOrEqualTo(wellbeing.size() / 5);
        assertThat(worse).isGreaterThanOrEqualTo(1);
        assertThat(better).isGreaterThan(worse);
    }

    @Test
    void employmentAndAccommodationChangeForSomePeople() {
        Map<String, List<String>> employment = answersOverTime("employment-status");
        Map<String, List<String>> settled = answersOverTime("settled-accommodation");
        assertThat(employment.values()).anyMatch(v -> v.stream().distinct().count() > 1);
        assertThat(settled.values()).anyMatch(v -> v.stream().distinct().count() > 1);
        assertThat(employment.values()).anyMatch(v -> v.contains("01"));
        assertThat(settled.values()).anyMatch(v -> v.contains("no"));
    }

    /** Per person: mean item weight at the last response minus at the first, over the given Questionnaires. */
    private Map<String, Double> change(String... questionnaires) {
        List<String> ids = List.of(questionnaires);
        Map<String, TreeMap<String, Double>> byPerson = new HashMap<>();
        region.resources("QuestionnaireResponse")
                .filter(qr -> ids.contains(GeneratedResponsesTest.questionnaireId(qr)))
                .forEach(qr -> byPerson.computeIfAbsent(qr.path("subject").path("reference").asText(), k -> new TreeMap<>())
                        .put(qr.path("authored").asText(), meanWeight(qr)));
        Map<String, Double> change = new HashMap<>();
        byPerson.forEach((who, series) -> {
            if (series.size() > 1) {
                change.put(who, series.lastEntry().getValue() - series.firstEntry().getValue());
            }
        });
        assertThat(change).hasSizeGreaterThan(GeneratedRegion.SETTINGS.patients() / 3);
        return change;
    }

    private static double meanWeight(JsonNode qr) {
        JsonNode q = GeneratedResponsesTest.questionnaire(GeneratedResponsesTest.questionnaireId(qr));
        Map<String, Double> weights = new HashMap<>();
        weights(q.path("item"), weights);
        List<Double> values = new ArrayList<>();
        collect(qr.path("item"), weights, values);
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static void weights(JsonNode items, Map<String, Double> out) {
        for (JsonNode item : items) {
            for (JsonNode option : item.path("answerOption")) {
                for (JsonNode e : option.path("extension")) {
                    if (e.path("url").asText().equals("http://hl7.org/fhir/StructureDefinition/itemWeight")
                            && option.path("valueCoding").path("system").asText().matches(".*/(wemwbs|qpr|mansa-satisfaction)[^/]*")) {
                        out.put(item.path("linkId").asText() + "|" + option.path("valueCoding").path("code").asText(), e.path("valueDecimal").asDouble());
                    }
                }
            }
            weights(item.path("item"), out);
        }
    }

    private static void collect(JsonNode items, Map<String, Double> weights, List<Double> out) {
        for (JsonNode item : items) {
            for (JsonNode a : item.path("answer")) {
                Double w = weights.get(item.path("linkId").asText() + "|" + a.path("valueCoding").path("code").asText());
                if (w != null) {
                    out.add(w);
                }
            }
            collect(item.path("item"), weights, out);
        }
    }

    private Map<String, List<String>> answersOverTime(String linkId) {
        Map<String, TreeMap<String, String>> byPerson = new HashMap<>();
        region.resources("QuestionnaireResponse").filter(qr -> GeneratedResponsesTest.questionnaireId(qr).equals("social-inclusion"))
                .forEach(qr -> find(qr.path("item"), linkId).ifPresent(code -> byPerson
                        .computeIfAbsent(qr.path("subject").path("reference").asText(), k -> new TreeMap<>())
                        .put(qr.path("authored").asText(), code)));
        Map<String, List<String>> out = new HashMap<>();
        byPerson.forEach((who, series) -> out.put(who, new ArrayList<>(series.values())));
        return out;
    }

    private static java.util.Optional<String> find(JsonNode items, String linkId) {
        for (JsonNode item : items) {
            if (item.path("linkId").asText().equals(linkId)) {
                return java.util.Optional.of(item.path("answer").get(0).path("valueCoding").path("code").asText());
            }
            java.util.Optional<String> nested = find(item.path("item"), linkId);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return java.util.Optional.empty();
    }

    private static double correlation(Map<String, Double> a, Map<String, Double> b) {
        List<double[]> pairs = new ArrayList<>();
        a.forEach((k, v) -> {
            if (b.containsKey(k)) {
                pairs.add(new double[] {v, b.get(k)});
            }
        });
        double mx = pairs.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = pairs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = 0, sxx = 0, syy = 0;
        for (double[] p : pairs) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
