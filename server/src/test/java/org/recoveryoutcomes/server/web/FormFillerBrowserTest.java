package org.recoveryoutcomes.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The project's Questionnaires in a real browser, behind the real sign-in: the clinician app at /app/ launches with
 * SMART through the embedded issuer (demo login, patient picker, PKCE), renders each Questionnaire with LHC-Forms,
 * which calculates the scores live as the answers of a golden response are entered with the keyboard, and stores a
 * response whose score the server computes again.
 */
@ServerTest
class FormFillerBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Files.isDirectory(Path.of("questionnaires")) ? Path.of("") : Path.of("..");
    private static final Path QUESTIONNAIRES = ROOT.resolve("questionnaires/src/main/fhir");
    private static final Path GOLDEN = ROOT.resolve("questionnaires/src/test/golden");
    private static final String CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";

    /** One golden response per scored Questionnaire, plus an incomplete one that must show no score. */
    private static final List<String> GOLDEN_RESPONSES = List.of(
            "wemwbs/wemwbs-all-often",
            "swemwbs/swemwbs-mixed-raw-16",
            "swemwbs/swemwbs-incomplete-item-7-missing",
            "qpr-15/qpr-15-mixed",
            "mansa/mansa-mixed",
            "recovery-practice/recovery-practice-mixed",
            "inspire-brief/inspire-brief-mixed",
            "inspire/inspire-some-not-important",
            "social-inclusion/social-inclusion-employed-settled");

    private static Browser browser;
    /** The person picked when the class's browser first signs in. */
    private static String patient;
    private static String family;

    @LocalServerPort
    int port;

    private String base;
    private FormFiller app;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void connect() {
        // the loopback address: the demo app's registered redirect URI on any port
        base = "http://127.0.0.1:" + port;
        RestAssured.baseURI = base + "/fhir";
        if (patient == null) {
            family = "Formfiller" + UUID.randomUUID().toString().substring(0, 8);
            patient = newPatient("Alex", family);
        }
        app = new FormFiller(browser, base, SignIn.as(browser, "clinician", "clinician").picking(family, patient));
        browser.console(); // start every test with an empty console log
    }

    private static String newPatient(String given, String family) {
        return given().contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"" + given + "\"],\"family\":\"" + family + "\"}]}")
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
    }

    static Stream<String> questionnaires() {
        try (Stream<Path> files = Files.list(QUESTIONNAIRES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("Questionnaire-") && n.endsWith(".json"))
                    .map(n -> n.substring("Questionnaire-".length(), n.length() - ".json".length())).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode questionnaire(String id) {
        return read(QUESTIONNAIRES.resolve("Questionnaire-" + id + ".json"));
    }

    static Stream<String> goldenResponses() {
        return GOLDEN_RESPONSES.stream();
    }

    @Test
    void theFormFillerOffersEveryQuestionnaireOfTheProject() {
        List<String> ids = questionnaires().toList();
        assertThat(ids).hasSize(12);
        assertThat(app.openEmpty().questionnaireChoices()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void everyQuestionnaireWithAScoreHasAGoldenResponseEnteredHere() {
        List<String> scored = questionnaires().filter(id -> !scoreLinkIds(questionnaire(id).get("item"), new ArrayList<>()).isEmpty()).toList();
        List<String> entered = GOLDEN_RESPONSES.stream().map(n -> n.substring(0, n.indexOf('/'))).distinct().toList();
        assertThat(entered).containsExactlyInAnyOrderElementsOf(scored);
    }

    @ParameterizedTest(name = "{0} renders with every item shown and no console error")
    @MethodSource("questionnaires")
    void everyQuestionnaireRendersInLhcFormsWithoutConsoleErrors(String id) {
        JsonNode questionnaire = questionnaire(id);
        assertThat(questionnaire.get("id").asText()).isEqualTo(id);
        app.open(id);
        String shown = app.formText();
        browser.screenshot(id);

        assertThat(shown).as("title").contains(questionnaire.get("title").asText());
        List<String> texts = visibleItemTexts(questionnaire.get("item"), new ArrayList<>());
        assertThat(texts).isNotEmpty();
        assertThat(texts).allSatisfy(text -> assertThat(shown).contains(text.replaceAll("\\s+", " ").trim()));
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        assertThat(browser.foreignRequests()).as("requests to other hosts").isEmpty();
    }

    @ParameterizedTest(name = "{0}: the live score is the hand-calculated one")
    @MethodSource("goldenResponses")
    void enteringAGoldenResponseShowsItsHandCalculatedScoresLive(String name) {
        JsonNode response = read(GOLDEN.resolve(name + ".json"));
        JsonNode expected = read(GOLDEN.resolve(name + ".expected.json")).get("scores");
        String questionnaireId = response.get("questionnaire").asText().replaceAll(".*/Questionnaire/([^|]+).*", "$1");
        List<String> scoreIds = scoreLinkIds(questionnaire(questionnaireId).get("item"), new ArrayList<>());
        assertThat(expected.fieldNames()).toIterable().as("scores of " + questionnaireId).containsExactlyInAnyOrderElementsOf(scoreIds);

        app.open(questionnaireId);
        assertThat(app.score(scoreIds.get(0))).as("no score before any answer").isEmpty();
        app.fill(response);
        if (scoreIds.stream().anyMatch(l -> expected.get(l).isNull())) {
            pause(); // no value to wait for: give a wrong one time to show
        }
        Map<String, JsonNode> shown = app.awaitScores(scoreIds, s -> scoreIds.stream().allMatch(l -> matches(s.get(l), expected.get(l))));
        browser.screenshot("scored-" + name.substring(name.indexOf('/') + 1));

        for (String linkId : scoreIds) {
            JsonNode want = expected.get(linkId);
            JsonNode got = shown.get(linkId);
            if (want.isNull()) {
                assertThat(got.isNull()).as(linkId + " shown as " + got).isTrue();
                assertThat(app.scoreText(linkId)).isEqualTo("not yet");
            } else if (want.isNumber()) {
                assertThat(got.isNumber()).as(linkId + " shown as " + got).isTrue();
                assertThat(got.asDouble()).as(linkId).isCloseTo(want.asDouble(), within(0.005));
            } else {
                assertThat(got).as(linkId).isEqualTo(want);
            }
        }
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void aClinicianSignsInPicksThePersonFillsWemwbsAndSeesTheScoreTheServerStored() {
        // a new launch in this tab: the app forgets its token, the issuer asks for the person again
        String surname = "Launch" + UUID.randomUUID().toString().substring(0, 8);
        String person = newPatient("Sam", surname);
        browser.driver.get(base + "/");
        browser.js("sessionStorage.clear()");
        FormFiller launched = new FormFiller(browser, base, SignIn.as(browser, "clinician", "clinician").picking(surname, person));

        launched.open("wemwbs");
        assertThat(browser.driver.findElement(By.id("signed-in-person")).getDomAttribute("data-patient")).isEqualTo(person);
        assertThat(browser.driver.findElement(By.id("subject-id")).getDomProperty("value")).as("the person picked at sign-in")
                .isEqualTo(person);
        launched.fill(read(GOLDEN.resolve("wemwbs/wemwbs-all-often.json")));
        // 14 items "Often" (4): 14 x 4 = 56, as the golden fixture says
        double expected = read(GOLDEN.resolve("wemwbs/wemwbs-all-often.expected.json")).get("scores").get("wemwbs-total").asDouble();
        assertThat(expected).isEqualTo(56.0);
        Map<String, JsonNode> live = launched.awaitScores(List.of("wemwbs-total"), s -> s.get("wemwbs-total").isNumber());
        assertThat(live.get("wemwbs-total").asDouble()).as("live score").isEqualTo(expected);

        int status = launched.submitAsItIs();
        browser.screenshot("submitted-wemwbs");
        assertThat(status).as(launched.resultText()).isEqualTo(201);
        String id = launched.storedId().orElseThrow();
        Map<String, JsonNode> shownStored = launched.storedScores();

        JsonPath stored = given().get("/QuestionnaireResponse/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(stored.getString("status")).isEqualTo("completed");
        assertThat(stored.getString("questionnaire")).startsWith("https://w3id.org/recovery-outcomes/fhir/Questionnaire/wemwbs");
        assertThat(stored.getString("subject.reference")).isEqualTo("Patient/" + person);
        assertThat(stored.getList("item.findAll { it.linkId != 'wemwbs-total' }.collect { it.answer[0].valueCoding.code }"))
                .hasSize(14).containsOnly("often");
        JsonPath observations = given().queryParam("derived-from", "QuestionnaireResponse/" + id).get("/Observation")
                .then().statusCode(200).extract().jsonPath();
        assertThat(observations.getList("entry")).hasSize(1);
        assertThat(observations.getList("entry[0].resource.code.coding.code")).contains("wemwbs-total");
        double serverScore = observations.getDouble("entry[0].resource.valueQuantity.value");
        assertThat(serverScore).as("the server's score Observation").isEqualTo(expected);
        assertThat(shownStored).as("the stored scores the app shows").containsOnlyKeys("wemwbs-total");
        assertThat(shownStored.get("wemwbs-total").asDouble()).isEqualTo(serverScore);
        assertThat(browser.driver.findElement(By.cssSelector("#stored-scores dd[data-stored-score='wemwbs-total']")).getText())
                .isEqualTo("56");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void answerListsFromAValueSetAreExpandedByThisServer() {
        app.open("recovery-narrative");
        assertThat(app.options("themes/1")).containsExactly("Connectedness", "Hope", "Identity", "Meaning", "Empowerment");
        @SuppressWarnings("unchecked")
        List<String> expansions = (List<String>) browser.js(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/ValueSet/'))");
        assertThat(expansions).anySatisfy(u -> assertThat(u).startsWith(base + "/fhir/ValueSet/").contains("expand"));
        assertThat(browser.foreignRequests()).isEmpty();
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** Texts of the items a user sees before answering anything (items behind enableWhen appear later). */
    private static List<String> visibleItemTexts(JsonNode items, List<String> out) {
        for (JsonNode item : items) {
            if (item.has("enableWhen")) {
                continue;
            }
            if (item.has("text")) {
                out.add(item.get("text").asText());
            }
            visibleItemTexts(item.path("item"), out);
        }
        return out;
    }

    private static List<String> scoreLinkIds(JsonNode items, List<String> out) {
        for (JsonNode item : items) {
            for (JsonNode ext : item.path("extension")) {
                if (CALCULATED.equals(ext.path("url").asText())) {
                    out.add(item.get("linkId").asText());
                }
            }
            scoreLinkIds(item.path("item"), out);
        }
        return out;
    }

    private static boolean matches(JsonNode got, JsonNode want) {
        if (want.isNull()) {
            return true; // nothing to wait for; asserted after the wait
        }
        return want.isNumber() ? got.isNumber() && Math.abs(got.asDouble() - want.asDouble()) < 0.005 : want.equals(got);
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
