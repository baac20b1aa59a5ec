package org.recoveryoutcomes.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The form filler at /app/ as a user drives it: with the keyboard, through LHC-Forms' own fields. */
final class FormFiller {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOAD = Duration.ofSeconds(90);
    private static final Duration REACT = Duration.ofSeconds(20);

    private final Browser browser;
    private final String baseUrl;
    private final SignIn signIn;

    /** The app at {@code baseUrl}/app/, signing in (when it asks) as {@code signIn} says. */
    FormFiller(Browser browser, String baseUrl, SignIn signIn) {
        this.browser = browser;
        this.baseUrl = baseUrl;
        this.signIn = signIn;
    }

    /** Opens the app with a Questionnaire chosen through the URL and waits until LHC-Forms has rendered it. */
    FormFiller open(String questionnaireId) {
        signIn.open(baseUrl + "/app/?questionnaire=" + questionnaireId, d -> settled(d, questionnaireId));
        awaitStatus(questionnaireId);
        return this;
    }

    /** Opens the app and waits until the list of Questionnaires is loaded. */
    FormFiller openEmpty() {
        signIn.open(baseUrl + "/app/", d -> settled(d, ""));
        awaitStatus("");
        return this;
    }

    /** The app says it is ready with this Questionnaire ("" = none chosen), or that something went wrong. */
    static boolean settled(org.openqa.selenium.WebDriver d, String questionnaireId) {
        if (d.findElements(By.id("app-status")).isEmpty()) {
            return false;
        }
        WebElement s = d.findElement(By.id("app-status"));
        return "error".equals(s.getDomAttribute("data-state"))
                || "ready".equals(s.getDomAttribute("data-state")) && questionnaireId.equals(s.getDomAttribute("data-questionnaire"));
    }

    /** Waits until the app says it is ready with this Questionnaire ("" = none chosen), or fails with what it says. */
    private void awaitStatus(String questionnaireId) {
        wait(LOAD).until(d -> settled(d, questionnaireId));
        WebElement s = browser.driver.findElement(By.id("app-status"));
        assertThat(s.getDomAttribute("data-state")).as(s.getText()).isEqualTo("ready");
    }

    List<String> questionnaireChoices() {
        return new Select(browser.driver.findElement(By.id("questionnaire"))).getOptions().stream()
                .map(o -> o.getDomAttribute("value")).filter(v -> v != null && !v.isEmpty()).toList();
    }

    /** The text LHC-Forms shows for the form, whitespace collapsed. */
    String formText() {
        return browser.driver.findElement(By.id("lforms-form")).getText().replaceAll("\\s+", " ");
    }

    /** Answers every item of a QuestionnaireResponse (as JSON) in the form, in order. */
    void fill(JsonNode response) {
        fillItems(response.path("item"), 0);
    }

    private void fillItems(JsonNode items, int depth) {
        for (JsonNode item : items) {
            // LHC-Forms names a field after the linkId and the position of the item and each of its ancestors
            String field = item.get("linkId").asText() + "/1".repeat(depth + 1);
            for (JsonNode answer : item.path("answer")) {
                if (answer.has("valueCoding")) {
                    pick(field, answer.get("valueCoding").get("display").asText());
                } else if (answer.has("valueInteger") || answer.has("valueDecimal") || answer.has("valueString")) {
                    type(field, answer.properties().iterator().next().getValue().asText());
                } else {
                    throw new IllegalArgumentException("no way to enter " + answer + " for " + field);
                }
            }
            fillItems(item.path("item"), depth + 1);
        }
    }

    /** Focuses the field and returns the labels of the answer list LHC-Forms opens for it. */
    List<String> options(String field) {
        WebElement input = browser.driver.findElement(By.id(field));
        input.sendKeys("");
        wait(REACT).until(d -> "true".equals(input.getDomAttribute("aria-expanded")));
        @SuppressWarnings("unchecked")
        List<String> options = (List<String>) browser.js("""
                return [...document.querySelectorAll('#lhc-tools-searchResults li')].map(li => {
                  const c = li.cloneNode(true);
                  c.querySelector('.listNum')?.remove();
                  return c.textContent.replace(/\\u00a0/g, ' ').trim();
                });""");
        return options;
    }

    /** Moves down the field's answer list to the answer with this label and presses Enter. */
    void pick(String field, String label) {
        List<String> options = options(field);
        int index = options.indexOf(label);
        assertThat(index).as("answer '%s' offered for %s among %s", label, field, options).isNotNegative();
        WebElement input = browser.driver.findElement(By.id(field));
        input.sendKeys(Keys.ARROW_DOWN.toString().repeat(index + 1) + Keys.ENTER);
        wait(REACT).until(d -> label.equals(input.getDomProperty("value")));
    }

    void type(String field, String text) {
        WebElement input = browser.driver.findElement(By.id(field));
        input.sendKeys(text, Keys.TAB);
    }

    /** The live score the app shows for a score item (its unrounded value), if it shows one. */
    Optional<JsonNode> score(String linkId) {
        String value = browser.driver.findElement(By.cssSelector("dd[data-score='" + linkId + "']")).getDomAttribute("data-value");
        try {
            return value == null ? Optional.empty() : Optional.of(JSON.readTree(value));
        } catch (Exception e) {
            throw new IllegalStateException(value, e);
        }
    }

    String scoreText(String linkId) {
        return browser.driver.findElement(By.cssSelector("dd[data-score='" + linkId + "']")).getText();
    }

    /** Waits until the shown scores satisfy the condition; returns them (linkId to value or null) either way. */
    Map<String, JsonNode> awaitScores(List<String> linkIds, Predicate<Map<String, JsonNode>> done) {
        try {
            wait(REACT).until(d -> done.test(scores(linkIds)));
        } catch (org.openqa.selenium.TimeoutException e) {
            // the caller's assertion says what is wrong
        }
        return scores(linkIds);
    }

    private Map<String, JsonNode> scores(List<String> linkIds) {
        return linkIds.stream().collect(Collectors.toMap(l -> l, l -> score(l).orElse(JSON.nullNode())));
    }

    /** Types the subject id, submits with Enter, and waits for the server's answer; returns the HTTP status shown. */
    int submit(String subjectId) {
        WebElement subject = browser.driver.findElement(By.id("subject-id"));
        subject.clear();
        subject.sendKeys(subjectId, Keys.ENTER);
        WebElement result = browser.driver.findElement(By.id("result"));
        wait(LOAD).until(d -> result.getDomAttribute("data-status") != null);
        return Integer.parseInt(result.getDomAttribute("data-status"));
    }

    /** The scores the app shows as stored by the server after a submit: score code to value. */
    Map<String, JsonNode> storedScores() {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        wait(REACT).until(d -> !d.findElements(By.cssSelector("#stored-scores dd[data-stored-score]")).isEmpty()
                || !d.findElement(By.id("stored-scores")).getText().isBlank());
        for (WebElement dd : browser.driver.findElements(By.cssSelector("#stored-scores dd[data-stored-score]"))) {
            try {
                out.put(dd.getDomAttribute("data-stored-score"), JSON.readTree(dd.getDomAttribute("data-value")));
            } catch (Exception e) {
                throw new IllegalStateException(dd.getDomAttribute("data-value"), e);
            }
        }
        return out;
    }

    /** Submits with the subject the app filled in (the person picked at sign-in); returns the HTTP status shown. */
    int submitAsItIs() {
        browser.driver.findElement(By.id("submit")).sendKeys(Keys.ENTER);
        WebElement result = browser.driver.findElement(By.id("result"));
        wait(LOAD).until(d -> result.getDomAttribute("data-status") != null);
        return Integer.parseInt(result.getDomAttribute("data-status"));
    }

    Optional<String> storedId() {
        return Optional.ofNullable(browser.driver.findElement(By.id("result")).getDomAttribute("data-id"));
    }

    String resultText() {
        return browser.driver.findElement(By.id("result")).getText();
    }

    private WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser.driver, timeout, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }
}
