package org.recoveryoutcomes.server.web;

import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.recoveryoutcomes.server.goals.RestFhir;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organisation page of the clinician app: an organisation's latest Box 2 answers and key-challenge ratings next to
 * the previous self-assessment's, from {@code Organization/{id}/$recovery-indicators} (contract §4).
 */
@ServerTest
class OrganisationPageBrowserTest {

    private static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    private static final List<String> INSTRUMENTS = List.of("rosi", "rsa", "sri", "rpfs", "dreem");
    private static final List<String> DEVELOPMENTS = List.of("recovery-colleges", "peer-support-workers", "safety-planning",
            "inpatient-recovery-principles");
    private static final Map<String, String> LEVELS = Map.of("not-started", "Not started", "early", "Early progress",
            "developing", "Developing", "established", "Established", "embedded", "Embedded across the organisation");

    private static Browser browser;
    private static String organisation;
    private static String name;
    private static String patient;
    private static String family;

    @LocalServerPort
    int port;

    private String base;
    private RestFhir fhir;

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
    void assessments() {
        base = "http://127.0.0.1:" + port;
        fhir = new RestFhir(port);
        Assumptions.assumeTrue(fhir.request().get("/OperationDefinition/recovery-indicators").statusCode() == 200,
                "Organization/$recovery-indicators is not on this server yet (it comes with the feat/aggregate branch)");
        if (organisation != null) {
            return;
        }
        String tag = UUID.randomUUID().toString().substring(0, 6);
        name = "Assessed Trust " + tag;
        organisation = fhir.request().body("{\"resourceType\":\"Organization\",\"name\":\"" + name + "\"}").post("/Organization")
                .then().statusCode(201).extract().jsonPath().getString("id");
        family = "Orgpage" + tag;
        patient = fhir.request().body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}").post("/Patient")
                .then().statusCode(201).extract().jsonPath().getString("id");
        // a year apart: DREEM and peer support workers come in; key challenge 1 goes from early to developing, 5 from
        // not started to embedded
        post(box2("2024-01-10", List.of("rosi", "recovery-colleges")));
        post(box2("2025-01-10", List.of("rosi", "dreem", "recovery-colleges", "peer-support-workers")));
        post(keyChallenges("2024-02-01", Map.of("kc-01", "early", "kc-05", "not-started")));
        post(keyChallenges("2025-02-01", Map.of("kc-01", "developing", "kc-05", "embedded")));
        browser.console();
    }

    @Test
    void theLatestAnswersAndRatingsAreShownWithTheChangeSinceThePreviousSelfAssessment() {
        SignIn.as(browser, "clinician", "clinician").picking(family, patient)
                .open(base + "/app/organisation.html", d -> state(d, "ready") || state(d, "error"));
        new Select(browser.driver.findElement(By.id("organisation"))).selectByValue(organisation);
        new WebDriverWait(browser.driver, Duration.ofSeconds(60)).until(d -> state(d, "error")
                || state(d, "ready") && organisation.equals(d.findElement(By.id("org-status")).getDomAttribute("data-organization"))
                && d.findElement(By.id("org-status")).getText().startsWith("Self-assessments"));
        assertThat(state(browser.driver, "ready")).as(browser.driver.findElement(By.id("org-status")).getText()).isTrue();
        browser.screenshot("organisation");

        assertThat(browser.driver.findElement(By.id("box2-when")).getText())
                .isEqualTo("Latest self-assessment 10 Jan 2025, compared with the one of 10 Jan 2024.");
        assertThat(row("indicator-table", "DREEM")).containsExactly("No", "Yes", "changed");
        assertThat(row("indicator-table", "ROSI")).containsExactly("Yes", "Yes", "unchanged");
        assertThat(row("indicator-table", "Peer Support Workers")).containsExactly("No", "Yes", "changed");
        assertThat(row("challenge-table", "day-to-day interactions")).containsExactly("Early progress (1)", "Developing (2)", "+1 level");
        assertThat(row("challenge-table", "personalization")).containsExactly("Not started (0)", "Embedded across the organisation (4)",
                "+4 levels");
        assertThat(browser.driver.findElements(By.cssSelector("table.challenge-table tbody tr"))).hasSize(10);
        assertThat(browser.driver.findElements(By.cssSelector("table.indicator-table tbody tr"))).hasSize(10);
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    private List<String> row(String table, String questionContains) {
        WebElement tr = browser.driver.findElement(By.xpath("//table[contains(@class,'" + table + "')]//tr[th[contains(., '"
                + questionContains + "')]]"));
        return tr.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
    }

    private static boolean state(WebDriver d, String state) {
        List<WebElement> s = d.findElements(By.id("org-status"));
        return !s.isEmpty() && state.equals(s.get(0).getDomAttribute("data-state"));
    }

    private void post(String json) {
        Response r = fhir.request().body(json).post("/QuestionnaireResponse");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    }

    private String box2(String authored, List<String> yes) {
        List<String> items = new ArrayList<>();
        items.add(group("instruments-used", INSTRUMENTS.stream().map(i -> yesNo(i, yes.contains(i))).toList()));
        items.add(yesNo("imroc-self-assessment", yes.contains("imroc-self-assessment")));
        items.add(group("co-produced-developments", DEVELOPMENTS.stream().map(i -> yesNo(i, yes.contains(i))).toList()));
        return response("organisational-indicators", authored, items);
    }

    private String keyChallenges(String authored, Map<String, String> levels) {
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String kc = String.format("kc-%02d", i);
            String level = levels.getOrDefault(kc, "not-started");
            items.add(group(kc, List.of("{\"linkId\":\"" + kc + "-progress\",\"answer\":[{\"valueCoding\":{\"system\":\"" + CANON
                    + "/CodeSystem/key-challenge-progress\",\"code\":\"" + level + "\",\"display\":\"" + LEVELS.get(level) + "\"}}]}")));
        }
        return response("key-challenges", authored, items);
    }

    private String response(String questionnaire, String authored, List<String> items) {
        return "{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":\"" + CANON + "/Questionnaire/" + questionnaire
                + "\",\"status\":\"completed\",\"subject\":{\"reference\":\"Organization/" + organisation + "\"},\"authored\":\""
                + authored + "T09:00:00Z\",\"item\":[" + String.join(",", items) + "]}";
    }

    private static String group(String linkId, List<String> items) {
        return "{\"linkId\":\"" + linkId + "\",\"item\":[" + String.join(",", items) + "]}";
    }

    private static String yesNo(String linkId, boolean yes) {
        return "{\"linkId\":\"" + linkId + "\",\"answer\":[{\"valueCoding\":{\"system\":\"" + CANON + "/CodeSystem/yes-no\",\"code\":\""
                + (yes ? "yes" : "no") + "\",\"display\":\"" + (yes ? "Yes" : "No") + "\"}}]}";
    }
}
