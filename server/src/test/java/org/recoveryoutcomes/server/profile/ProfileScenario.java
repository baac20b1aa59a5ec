package org.recoveryoutcomes.server.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import org.recoveryoutcomes.server.goals.RestFhir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A golden scenario under {@code golden/recovery-profile/}: {@code resources} are written in order for a new person
 * ({@code {{patient}}} and {@code {{key}}} stand for the ids the server gives), then {@code $recovery-profile?date=}
 * must equal {@code expected} (hand-calculated, see {@code calculation}): same structure and order, numbers equal
 * within 5·10⁻⁷, and {@code {{any}}} in an expected string matching anything.
 */
final class ProfileScenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    private static final BigDecimal TOLERANCE = new BigDecimal("0.0000005");

    private ProfileScenario() {
    }

    static Stream<String> all() throws IOException, URISyntaxException {
        Path dir = Path.of(ProfileScenario.class.getResource("/golden/recovery-profile").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    static void run(RestFhir fhir, String scenario) throws IOException {
        JsonNode golden;
        try (InputStream in = ProfileScenario.class.getResourceAsStream("/golden/recovery-profile/" + scenario)) {
            golden = JSON.readTree(in);
        }
        Map<String, String> ids = new HashMap<>();
        ids.put("patient", fhir.newPatient());
        for (JsonNode entry : golden.get("resources")) {
            String body = substitute(JSON.writeValueAsString(entry.get("resource")), ids);
            String type = entry.get("resource").get("resourceType").asText();
            Response r = fhir.request().body(body).post("/" + type);
            assertThat(r.statusCode()).as(entry.get("key").asText() + ": " + r.asString()).isEqualTo(201);
            ids.put(entry.get("key").asText(), RestFhir.parse(r).getIdElement().getIdPart());
        }
        Response r = fhir.get("/Patient/" + ids.get("patient") + "/$recovery-profile?date=" + golden.get("date").asText());
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode expected = JSON.readTree(substitute(JSON.writeValueAsString(golden.get("expected")), ids));
        JsonNode actual = JSON.readTree(r.asString());
        List<String> differences = new ArrayList<>();
        compare("Parameters", expected, actual, differences);
        assertThat(differences).as("differences from " + scenario + " (actual: " + r.asString() + ")").isEmpty();
    }

    private static String substitute(String json, Map<String, String> ids) {
        Matcher m = PLACEHOLDER.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement("any".equals(key) ? m.group() : ids.getOrDefault(key, "?" + key)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (actual == null) {
            differences.add(path + ": missing");
        } else if (expected.isNumber()) {
            if (!actual.isNumber() || expected.decimalValue().subtract(actual.decimalValue()).abs().compareTo(TOLERANCE) > 0) {
                differences.add(path + ": expected " + expected + " but was " + actual);
            }
        } else if (expected.isTextual()) {
            String e = expected.asText();
            boolean matches = e.contains("{{any}}")
                    ? actual.isTextual() && actual.asText().matches(Pattern.quote(e).replace("{{any}}", "\\E.+\\Q"))
                    : actual.isTextual() && e.equals(actual.asText());
            if (!matches) {
                differences.add(path + ": expected " + expected + " but was " + actual);
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                differences.add(path + ": expected " + expected.size() + " entries but was " + (actual.isArray() ? actual.size() : actual));
            }
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                compare(path + "[" + i + "]" + label(expected.get(i)), expected.get(i), actual.get(i), differences);
            }
        } else if (expected.isObject()) {
            for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!expected.has(name)) {
                    differences.add(path + "." + name + ": unexpected " + actual.get(name));
                }
            }
            for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                compare(path + "." + name, expected.get(name), actual.get(name), differences);
            }
        } else if (!expected.equals(actual)) {
            differences.add(path + ": expected " + expected + " but was " + actual);
        }
    }

    private static String label(JsonNode node) {
        return node.has("name") ? "(" + node.get("name").asText() + ")" : "";
    }
}
