package org.recoveryoutcomes.server.goals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Golden scenarios under {@code golden/goal-attainment/}: goals and ratings are written over REST for a new person,
 * then {@code $goal-attainment} and the kept gas-t-score Observations are compared with the hand-calculated
 * expectations in each file ({@code calculation} shows the arithmetic).
 */
@ServerTest
class GoalAttainmentGoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private RestFhir fhir;

    @BeforeEach
    void client() {
        fhir = new RestFhir(port);
    }

    static Stream<String> scenarios() throws IOException, URISyntaxException {
        Path dir = Path.of(GoalAttainmentGoldenTest.class.getResource("/golden/goal-attainment").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0} gives the hand-calculated T-scores")
    @MethodSource("scenarios")
    void goalAttainmentMatchesTheHandCalculation(String scenario) throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/goal-attainment/" + scenario)) {
            golden = JSON.readTree(in);
        }
        String patient = fhir.newPatient();
        Map<String, String> ids = new HashMap<>();
        for (JsonNode g : golden.get("goals")) {
            Goal goal;
            if (g.has("gas") && !g.get("gas").asBoolean()) {
                goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                        .setSubject(new Reference("Patient/" + patient));
                goal.getDescription().setText("A goal recorded without GAS: " + g.get("key").asText());
            } else {
                BigDecimal weight = g.get("weight").isNull() ? null : g.get("weight").decimalValue();
                goal = GasFixtures.goal(patient, weight, g.get("baseline").asInt(), "Goal " + g.get("key").asText());
            }
            goal.setLifecycleStatus(Goal.GoalLifecycleStatus.fromCode(g.get("status").asText()));
            if (g.has("start")) {
                goal.setStart(new org.hl7.fhir.r4.model.DateType(g.get("start").asText()));
            }
            ids.put(g.get("key").asText(), fhir.create(goal).getValue());
        }
        for (JsonNode r : golden.get("ratings")) {
            String goalRef = ids.get(r.get("goal").asText());
            Observation rating = r.has("answer")
                    ? GasFixtures.ratingAnswer(patient, goalRef, r.get("date").asText(), r.get("answer").asText())
                    : GasFixtures.rating(patient, goalRef, r.get("date").asText(), r.get("level").asInt());
            if (r.has("status")) {
                rating.setStatus(Observation.ObservationStatus.fromCode(r.get("status").asText()));
            }
            ids.put(r.get("key").asText(), fhir.create(rating).getValue());
        }

        for (JsonNode q : golden.get("queries")) {
            String date = q.get("date").asText();
            Parameters out = fhir.operation("/Patient/" + patient + "/$goal-attainment?date=" + date);
            assertThat(out.getParameter("date").getValue().primitiveValue()).isEqualTo(date);
            if (q.get("t-score").isNull()) {
                assertThat(out.getParameter("t-score")).as("no t-score as of " + date).isNull();
                assertThat(out.getParameter("issue")).as("an issue says why").isNotNull();
            } else {
                BigDecimal t = (BigDecimal) ((org.hl7.fhir.r4.model.DecimalType) out.getParameter("t-score").getValue()).getValue();
                assertThat(t).as("T as of " + date).isCloseTo(q.get("t-score").decimalValue(), within(new BigDecimal("0.0000005")));
                assertThat(out.getParameter("issue")).isNull();
            }
            List<String> expectedGoals = new ArrayList<>();
            for (JsonNode g : q.get("goals")) {
                expectedGoals.add(ids.get(g.get("goal").asText()) + " w=" + g.get("weight").decimalValue().stripTrailingZeros().toPlainString()
                        + " x=" + g.get("level").asInt() + " rating=" + ids.get(g.get("rating").asText()));
            }
            List<String> actualGoals = out.getParameters("goal").stream().map(p -> part(p, "goal").primitiveValue() + " w="
                    + new BigDecimal(part(p, "weight").primitiveValue()).stripTrailingZeros().toPlainString()
                    + " x=" + part(p, "level").primitiveValue() + " rating=" + part(p, "rating").primitiveValue()).toList();
            assertThat(actualGoals).as("goals scored as of " + date).containsExactlyElementsOf(expectedGoals);
            List<String> expectedUnrated = new ArrayList<>();
            q.get("unrated").forEach(k -> expectedUnrated.add(ids.get(k.asText())));
            assertThat(out.getParameters("unrated-goal").stream().map(p -> part(p, "goal").primitiveValue()).toList())
                    .as("unrated goals as of " + date).containsExactlyElementsOf(expectedUnrated);
        }

        List<Observation> kept = fhir.search(Observation.class, "subject=Patient/" + patient
                + "&code=" + GasFixtures.SCORE + "|gas-t-score&_sort=date");
        List<String> expectedKept = new ArrayList<>();
        for (JsonNode t : golden.get("t-score-observations")) {
            List<String> from = new ArrayList<>();
            t.get("derivedFrom").forEach(k -> from.add(ids.get(k.asText())));
            expectedKept.add(patient + "/" + t.get("day").asText() + " " + t.get("effective").asText() + " " + from);
        }
        assertThat(kept.stream().map(o -> o.getIdentifierFirstRep().getValue() + " " + o.getEffectiveDateTimeType().getValueAsString()
                + " " + o.getDerivedFrom().stream().map(Reference::getReference).toList()).toList())
                .as("one gas-t-score Observation per rating day").containsExactlyElementsOf(expectedKept);
        for (int i = 0; i < kept.size(); i++) {
            Observation o = kept.get(i);
            assertThat(o.getValueQuantity().getValue()).isCloseTo(golden.get("t-score-observations").get(i).get("value").decimalValue(),
                    within(new BigDecimal("0.0000005")));
            assertThat(o.getValueQuantity().getUnit()).isEqualTo("{score}");
            assertThat(o.getCategory().stream().flatMap(c -> c.getCoding().stream()).map(c -> c.getCode()).toList())
                    .containsExactly("survey", "individual-recovery-goals");
            assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        }
    }

    static org.hl7.fhir.r4.model.Type part(ParametersParameterComponent p, String name) {
        ParametersParameterComponent part = p.getPart().stream().filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name));
        return part.getValue() instanceof Reference r ? new org.hl7.fhir.r4.model.StringType(r.getReference()) : part.getValue();
    }


}
