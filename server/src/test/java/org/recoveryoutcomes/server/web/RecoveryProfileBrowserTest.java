package org.recoveryoutcomes.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.recoveryoutcomes.server.goals.GasFixtures;
import org.recoveryoutcomes.server.goals.RestFhir;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The person's recovery profile in the clinician app: charts per domain from the score Observations with the baseline,
 * latest score and reliable change of $recovery-profile, the GAS goals and T-score of $goal-attainment, and service use
 * as plain figures. The expected figures are worked out by hand below from the data the test writes.
 */
@ServerTest
class RecoveryProfileBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Path GOLDEN = (Files.isDirectory(Path.of("questionnaires")) ? Path.of("") : Path.of(".."))
            .resolve("questionnaires/src/test/golden/wemwbs");
    private static final String SERVICE_USE = GasFixtures.CANON + "/CodeSystem/service-use-type";

    private static Browser browser;
    private static String patient;
    private static String family;

    @LocalServerPort
    int port;

    private RestFhir fhir;
    private String base;

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
    void person() {
        base = "http://127.0.0.1:" + port;
        fhir = new RestFhir(port);
        if (patient == null) {
            family = "Profile" + UUID.randomUUID().toString().substring(0, 8);
            patient = writePersonWithAYearOfRecovery(family);
        }
        browser.console();
    }

    /**
     * Today minus 300, 200 and 100 days: WEMWBS 46 (golden mixed), 70 (all of the time), 56 (often). Three GAS goals
     * (weights 1, 2, 1) rated +2, +1, −1 fifty days ago. Service use: a 14-night admission and two community contacts
     * in the year before the first measure; two community contacts and a crisis contact in the latest 12 months.
     */
    private String writePersonWithAYearOfRecovery(String familyName) {
        Patient p = new Patient();
        p.addName().setFamily(familyName).addGiven("Robin");
        p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1990-05-17"));
        String id = fhir.create(p).getIdPart();
        LocalDate today = LocalDate.now(LONDON);
        response(id, "wemwbs-mixed.json", today.minusDays(300));
        response(id, "wemwbs-all-all-of-the-time.json", today.minusDays(200));
        response(id, "wemwbs-all-often.json", today.minusDays(100));

        String start = today.minusDays(300).toString();
        String[] goals = {
                fhir.create(GasFixtures.goal(id, BigDecimal.ONE, -1, "Walk to the shops on my own", start)).getValue(),
                fhir.create(GasFixtures.goal(id, BigDecimal.valueOf(2), -1, "Cook a meal for friends", start)).getValue(),
                fhir.create(GasFixtures.goal(id, BigDecimal.ONE, -2, "Join the allotment group", start)).getValue(),
        };
        String rated = today.minusDays(50) + "T10:00:00Z";
        int[] levels = {2, 1, -1};
        for (int i = 0; i < goals.length; i++) {
            fhir.create(GasFixtures.rating(id, goals[i], rated, levels[i]));
        }

        LocalDate first = today.minusDays(300);
        encounter(id, "inpatient-admission", "IMP", first.minusDays(100) + "T14:00:00Z", first.minusDays(86) + "T11:30:00Z");
        encounter(id, "community-contact", "AMB", first.minusDays(150) + "T10:00:00Z", first.minusDays(150) + "T11:00:00Z");
        encounter(id, "community-contact", "AMB", first.minusDays(200) + "T10:00:00Z", first.minusDays(200) + "T11:00:00Z");
        encounter(id, "community-contact", "AMB", today.minusDays(30) + "T10:00:00Z", today.minusDays(30) + "T11:00:00Z");
        encounter(id, "community-contact", "AMB", today.minusDays(60) + "T10:00:00Z", today.minusDays(60) + "T11:00:00Z");
        encounter(id, "crisis-contact", "AMB", today.minusDays(90) + "T22:00:00Z", today.minusDays(90) + "T23:00:00Z");
        return id;
    }

    private void response(String patientId, String golden, LocalDate authored) {
        try {
            ObjectNode qr = (ObjectNode) JSON.readTree(GOLDEN.resolve(golden).toFile());
            qr.remove("id");
            qr.putObject("subject").put("reference", "Patient/" + patientId);
            qr.put("authored", authored + "T10:00:00Z");
            Response r = fhir.request().body(JSON.writeValueAsString(qr)).post("/QuestionnaireResponse");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void encounter(String patientId, String type, String encounterClass, String start, String end) {
        Encounter e = new Encounter();
        e.getMeta().addProfile(GasFixtures.CANON + "/StructureDefinition/service-use-encounter");
        e.setStatus(Encounter.EncounterStatus.FINISHED);
        e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", encounterClass, null));
        e.addType(new CodeableConcept(new Coding(SERVICE_USE, type, null)));
        e.setSubject(new Reference("Patient/" + patientId));
        e.setPeriod(new Period().setStartElement(new DateTimeType(start)).setEndElement(new DateTimeType(end)));
        fhir.create(e);
    }

    private void openProfile() {
        SignIn.as(browser, "clinician", "clinician").picking(family, patient)
                .open(base + "/app/profile.html", RecoveryProfileBrowserTest::settled);
        WebElement status = browser.driver.findElement(By.id("profile-status"));
        assertThat(status.getDomAttribute("data-state")).as(status.getText()).isEqualTo("ready");
    }

    private static boolean settled(WebDriver d) {
        List<WebElement> status = d.findElements(By.id("profile-status"));
        return !status.isEmpty() && !"loading".equals(status.get(0).getDomAttribute("data-state"));
    }

    @Test
    void theWemwbsChartShowsEveryScoreWithBaselineLatestAndAReliableImprovement() {
        openProfile();
        browser.screenshot("profile");

        assertThat(browser.driver.findElements(By.cssSelector("section.domain")).stream().map(s -> s.getDomAttribute("data-domain")))
                .containsExactly("recovery-supporting-care", "individual-recovery-goals", "personal-recovery",
                        "socially-valued-goals", "quality-of-life", "service-use");
        WebElement wemwbs = browser.driver.findElement(By.cssSelector("section[data-domain='quality-of-life'] figure[data-code='wemwbs-total']"));
        // baseline 46 (mixed), latest 56 (often): change 56 − 46 = +10 ≥ 9, higher is better: a reliable improvement
        assertThat(wemwbs.findElement(By.cssSelector("[data-baseline]")).getText()).isEqualTo("46");
        assertThat(wemwbs.findElement(By.cssSelector("[data-latest]")).getText()).isEqualTo("56");
        assertThat(wemwbs.findElement(By.cssSelector("[data-change]")).getText()).isEqualTo("+10");
        assertThat(wemwbs.getDomAttribute("data-reliable-change")).isEqualTo("improved");
        assertThat(wemwbs.findElement(By.cssSelector(".reliable-change")).getText()).startsWith("Reliable improvement");

        WebElement chart = wemwbs.findElement(By.cssSelector("svg[role='img']"));
        assertThat(chart.getSize().getWidth()).isGreaterThan(250);
        List<WebElement> points = chart.findElements(By.cssSelector(".point"));
        assertThat(points.stream().map(e -> Double.parseDouble(e.getDomAttribute("data-value")))).containsExactly(46.0, 70.0, 56.0);
        assertThat(chart.findElement(By.cssSelector(".point.baseline")).getDomAttribute("data-value")).isEqualTo("46");
        assertThat(chart.findElement(By.cssSelector(".point.latest")).getDomAttribute("data-value")).isEqualTo("56");
        // the band of no reliable change around the baseline: 46 ± 9
        assertThat(chart.findElements(By.cssSelector("rect.band"))).hasSize(1);
        String[] labelledBy = chart.getDomAttribute("aria-labelledby").split(" ");
        assertThat(browser.driver.findElement(By.id(labelledBy[0])).getDomProperty("textContent")).isEqualTo("WEMWBS total over time");
        assertThat(browser.driver.findElement(By.id(labelledBy[1])).getDomProperty("textContent")).contains("3 scores", "Reliable improvement");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void theGoalsShowTheirLevelsAndTheTScore() {
        openProfile();
        WebElement goals = browser.driver.findElement(By.cssSelector("section[data-domain='individual-recovery-goals']"));
        // weights 1, 2, 1 rated +2, +1, −1: Σwx = 2 + 2 − 1 = 3, Σw² = 6, (Σw)² = 16, √(0.7·6 + 0.3·16) = √9 = 3,
        // T = 50 + 10·3/3 = 60
        WebElement t = goals.findElement(By.cssSelector("[data-t-score]"));
        assertThat(Double.parseDouble(t.getDomAttribute("data-t-score"))).isCloseTo(60.0, within(1e-6));
        assertThat(t.getText()).isEqualTo("60");
        Map<String, String> levels = goals.findElements(By.cssSelector("table.goals-table tbody tr")).stream().collect(Collectors.toMap(
                r -> r.findElement(By.cssSelector("th")).getText(), r -> r.findElement(By.cssSelector("td[data-level]")).getText()));
        assertThat(levels).containsOnly(
                Map.entry("Walk to the shops on my own", "+2 — Much better than expected: Walk to the shops on my own"),
                Map.entry("Cook a meal for friends", "+1 — Better than expected: Cook a meal for friends"),
                Map.entry("Join the allotment group", "−1 — Less than expected: Join the allotment group"));
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void serviceUseIsShownAsFiguresForTheYearBeforeTheFirstMeasureAndTheLatestYear() {
        openProfile();
        WebElement section = browser.driver.findElement(By.cssSelector("section[data-domain='service-use']"));
        Map<String, String> figures = section.findElements(By.cssSelector("td[data-figure]")).stream().collect(Collectors.toMap(
                td -> td.getDomAttribute("data-window") + " " + td.getDomAttribute("data-figure"), WebElement::getText));
        // before the first measure: the admission (3 p.m. to 11.30 a.m. 14 days later: 14 midnights) and two contacts;
        // the latest 12 months: two community contacts and one crisis contact
        assertThat(figures).containsOnly(
                Map.entry("before-first-measure inpatient-admissions", "1"), Map.entry("before-first-measure bed-days", "14"),
                Map.entry("before-first-measure community-contacts", "2"), Map.entry("before-first-measure crisis-contacts", "0"),
                Map.entry("before-first-measure mha-detentions", "0"),
                Map.entry("latest inpatient-admissions", "0"), Map.entry("latest bed-days", "0"),
                Map.entry("latest community-contacts", "2"), Map.entry("latest crisis-contacts", "1"),
                Map.entry("latest mha-detentions", "0"));
        String table = section.findElement(By.cssSelector("table.service-use-table")).getText().toLowerCase();
        assertThat(table).doesNotContain("good", "bad", "better", "worse", "improv", "deteriorat");
        assertThat(section.findElements(By.cssSelector(".reliable-change, svg"))).isEmpty();
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void theProfileFitsAPhoneAndEveryChartHasItsFiguresInATableForKeyboardAndScreenReaderUsers() {
        Dimension desktop = browser.driver.manage().window().getSize();
        try {
            browser.driver.manage().window().setSize(new Dimension(390, 844));
            openProfile();
            assertThat(((Number) browser.js("return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")).longValue())
                    .as("profile wider than the phone").isZero();
            browser.screenshot("profile-phone");
            WebElement chart = browser.driver.findElement(By.cssSelector("figure[data-code='wemwbs-total'] svg"));
            assertThat(chart.getSize().getWidth()).isLessThanOrEqualTo(390);

            for (WebElement figure : browser.driver.findElements(By.cssSelector("figure.measure"))) {
                WebElement summary = figure.findElement(By.cssSelector("details > summary"));
                summary.sendKeys(org.openqa.selenium.Keys.ENTER);
                assertThat(figure.findElement(By.cssSelector("details")).getDomProperty("open")).isEqualTo("true");
                assertThat(figure.findElements(By.cssSelector("details table caption"))).hasSize(1);
                assertThat(figure.findElements(By.cssSelector("details tbody tr")))
                        .hasSize(figure.findElements(By.cssSelector("svg .point")).size());
            }
            @SuppressWarnings("unchecked")
            List<String> unnamed = (List<String>) browser.js("""
                    return [...document.querySelectorAll('svg')].filter(s => s.getAttribute('role') !== 'img'
                        || !(s.getAttribute('aria-labelledby') || '').split(' ').every(id => document.getElementById(id)?.textContent))
                      .map(s => s.outerHTML.slice(0, 120));""");
            assertThat(unnamed).as("charts without a title and description").isEmpty();
        } finally {
            browser.driver.manage().window().setSize(desktop);
        }
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }
}
