package org.recoveryoutcomes.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a hub must do against a plain FHIR server: page through {@code Observation?code=...} ({@code _count=1000}, the
 * server's largest page) and compute, per organisation (performer) and quarter, the mean of each person's latest
 * score there — the figure $aggregate reports as measureScore for group-by=organization&group-by=quarter.
 */
final class PagingClient {

    /** A cell ("Organization/x|2022-Q3") → its mean and the number of people. */
    record Cell(double mean, int people) {
    }

    record Paged(int resources, long nanos, Map<String, Cell> cells) {
        double perSecond() {
            return resources / (nanos / 1e9);
        }
    }

    private record Latest(long effective, double value) {
    }

    private PagingClient() {
    }

    static Paged page(FhirClient fhir) {
        long t0 = System.nanoTime();
        Map<String, Map<String, Latest>> latest = new HashMap<>();
        int resources = 0;
        String next = "Observation?code=" + ScoreGenerator.SYSTEM + "%7C" + ScoreGenerator.CODE + "&_count=1000";
        while (next != null) {
            JsonNode page = fhir.getJson(next);
            for (JsonNode e : page.path("entry")) {
                JsonNode o = e.path("resource");
                resources++;
                String patient = o.path("subject").path("reference").asText();
                String performer = o.path("performer").path(0).path("reference").asText("");
                String organisation = performer.isEmpty() ? "(no organisation)" : performer;
                String effectiveDateTime = o.path("effectiveDateTime").asText("");
                if (effectiveDateTime.isEmpty()) {
                    continue;
                }
                ZonedDateTime when = zoned(effectiveDateTime);
                String cell = organisation + "|" + when.getYear() + "-Q" + ((when.getMonthValue() - 1) / 3 + 1);
                JsonNode v = o.path("valueQuantity").path("value");
                double value = v.isMissingNode() ? o.path("valueInteger").asDouble() : v.asDouble();
                long effective = when.toInstant().toEpochMilli();
                latest.computeIfAbsent(cell, c -> new HashMap<>()).merge(patient, new Latest(effective, value),
                        (a, b) -> b.effective() > a.effective() ? b : a);
            }
            next = null;
            for (JsonNode link : page.path("link")) {
                if ("next".equals(link.path("relation").asText())) {
                    next = link.path("url").asText();
                }
            }
        }
        Map<String, Cell> cells = new TreeMap<>();
        latest.forEach((cell, people) -> cells.put(cell, new Cell(people.values().stream().mapToDouble(Latest::value).average().orElse(0),
                people.size())));
        return new Paged(resources, System.nanoTime() - t0, cells);
    }

    /** dateTime as FHIR writes it: with a zone offset, or (date or date and time without one) in the server's zone. */
    static ZonedDateTime zoned(String dateTime) {
        if (dateTime.length() <= 10) {
            return java.time.LocalDate.parse(dateTime.length() == 4 ? dateTime + "-01-01" : dateTime.length() == 7 ? dateTime + "-01" : dateTime)
                    .atStartOfDay(ScoreGenerator.ZONE);
        }
        try {
            return OffsetDateTime.parse(dateTime).atZoneSameInstant(ScoreGenerator.ZONE);
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.LocalDateTime.parse(dateTime).atZone(ScoreGenerator.ZONE);
        }
    }
}
