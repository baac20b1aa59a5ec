package org.recoveryoutcomes.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMART EHR launch in a real browser: a clinician signs in at the embedded issuer's EHR launch simulator, finds a person
 * and presses Launch; the clinician app opens with {@code iss} and {@code launch}, gets its token with that person in
 * context without the patient picker, and a WEMWBS filled in there is stored and scored for that person.
 */
@ServerTest
class EhrLaunchBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = (Files.isDirectory(Path.of("questionnaires")) ? Path.of("") : Path.of(".."))
            .resolve("questionnaires/src/test/golden/wemwbs");
    private static final Duration LOAD = Duration.ofSeconds(90);

    private static Browser browser;

    @LocalServerPort
    int port;

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

    @Test
    void aClinicianLaunchesTheAppForAPersonFromTheEhrAndTheWemwbsTheyFillIsScoredForThatPerson() {
        // the loopback address: the demo app's registered redirect URI on any port
        String base = "http://127.0.0.1:" + port;
        RestAssured.baseURI = base + "/fhir";
        String family = "Ehrbrowser" + UUID.randomUUID().toString().substring(0, 8);
        String person = newPatient("Robin", family);
        String other = newPatient("Robin", "Other" + family);

        SignIn.as(browser, "clinician", "clinician").open(base + "/launch/ehr", d -> on(d, "/launch/ehr"));
        browser.screenshot("ehr-launch-simulator");
        WebElement search = browser.driver.findElement(By.id("name"));
        search.sendKeys(family, Keys.ENTER);
        wait(LOAD).until(ExpectedConditions.stalenessOf(search));
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("tr[data-patient]"));
        assertThat(rows).as("people found by the name " + family).hasSize(1);
        assertThat(rows.get(0).getDomAttribute("data-patient")).isEqualTo(person).isNotEqualTo(other);
        rows.get(0).findElement(By.xpath(".//button[normalize-space()='Launch']")).click();

        // the app's EHR launch runs by itself; a login or consent page (the picker) would stop here
        wait(LOAD).until(d -> on(d, "/login") || on(d, "/launch/consent") || FormFiller.settled(d, ""));
        browser.screenshot("ehr-launched-app");
        assertThat(URI.create(browser.driver.getCurrentUrl()).getPath()).as("no sign-in page, no patient picker").isEqualTo("/app/");
        assertThat(browser.driver.getCurrentUrl()).as("launch, code and state are gone from the address bar")
                .doesNotContain("launch=").doesNotContain("code=").doesNotContain("iss=");
        WebElement status = browser.driver.findElement(By.id("app-status"));
        assertThat(status.getDomAttribute("data-state")).as(status.getText()).isEqualTo("ready");
        assertThat(browser.driver.findElement(By.id("signed-in-person")).getDomAttribute("data-patient")).isEqualTo(person);
        @SuppressWarnings("unchecked")
        Map<String, Object> connection = (Map<String, Object>) browser.js(
                "return JSON.parse(sessionStorage.getItem('recovery-outcomes.smart-session.demo-app'))");
        assertThat(connection).containsEntry("fhirBase", base + "/fhir").containsEntry("patientId", person);
        assertThat(String.valueOf(connection.get("scope")).split(" ")).contains("launch", "launch/patient", "user/*.cruds");

        // the tab keeps the launch's token: the form opens for the same person without another launch
        FormFiller app = new FormFiller(browser, base, SignIn.as(browser, "clinician", "clinician"));
        app.open("wemwbs");
        assertThat(browser.driver.findElement(By.id("subject-id")).getDomProperty("value")).as("the person launched for")
                .isEqualTo(person);
        app.fill(read(GOLDEN.resolve("wemwbs-all-often.json")));
        // 14 items "Often" (4): 14 x 4 = 56
        Map<String, JsonNode> live = app.awaitScores(List.of("wemwbs-total"), s -> s.get("wemwbs-total").isNumber());
        assertThat(live.get("wemwbs-total").asDouble()).as("live score").isEqualTo(56.0);
        int submitted = app.submitAsItIs();
        browser.screenshot("ehr-launch-submitted-wemwbs");
        assertThat(submitted).as(app.resultText()).isEqualTo(201);
        String id = app.storedId().orElseThrow();

        JsonPath stored = given().get("/QuestionnaireResponse/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(stored.getString("subject.reference")).isEqualTo("Patient/" + person);
        JsonPath observations = given().queryParam("derived-from", "QuestionnaireResponse/" + id).get("/Observation")
                .then().statusCode(200).extract().jsonPath();
        assertThat(observations.getList("entry")).hasSize(1);
        assertThat(observations.getString("entry[0].resource.subject.reference")).isEqualTo("Patient/" + person);
        double serverScore = observations.getDouble("entry[0].resource.valueQuantity.value");
        assertThat(serverScore).as("the server's score Observation").isEqualTo(56.0);
        assertThat(app.storedScores().get("wemwbs-total").asDouble()).as("the stored score the app shows").isEqualTo(serverScore);

        // and the person's recovery profile shows it
        SignIn.as(browser, "clinician", "clinician").open(base + "/app/profile.html", EhrLaunchBrowserTest::profileSettled);
        WebElement profile = browser.driver.findElement(By.id("profile-status"));
        assertThat(profile.getDomAttribute("data-state")).as(profile.getText()).isEqualTo("ready");
        assertThat(browser.driver.findElement(By.id("signed-in-person")).getDomAttribute("data-patient")).isEqualTo(person);
        WebElement wemwbs = browser.driver.findElement(By.cssSelector("figure[data-code='wemwbs-total']"));
        // the person's one score is their baseline (a latest score appears with a second one)
        assertThat(wemwbs.findElement(By.cssSelector("[data-baseline]")).getText()).isEqualTo("56");
        assertThat(wemwbs.findElements(By.cssSelector("[data-latest]"))).isEmpty();
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    private static String newPatient(String given, String family) {
        return given().contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"" + given + "\"],\"family\":\"" + family + "\"}]}")
                .post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
    }

    private static boolean profileSettled(WebDriver d) {
        List<WebElement> status = d.findElements(By.id("profile-status"));
        return !status.isEmpty() && !"loading".equals(status.get(0).getDomAttribute("data-state"));
    }

    private static boolean on(WebDriver d, String path) {
        return path.equals(URI.create(d.getCurrentUrl()).getPath());
    }

    private static WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser.driver, timeout, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.ignoring(org.openqa.selenium.NoSuchElementException.class);
        return wait;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
