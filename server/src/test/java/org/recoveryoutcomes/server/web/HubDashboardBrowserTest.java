package org.recoveryoutcomes.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.recoveryoutcomes.server.goals.RestFhir;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub dashboard at /hub/: a hub user signs in through the embedded issuer (client demo-hub-web, scope
 * user/MeasureReport.rs only), asks for WEMWBS by organisation for one month, and sees the figures of an organisation
 * with ten people and, for one with three, suppressed cells; the table downloads as CSV.
 */
@ServerTest
class HubDashboardBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = (Files.isDirectory(Path.of("questionnaires")) ? Path.of("") : Path.of(".."))
            .resolve("questionnaires/src/test/golden/wemwbs");
    private static final Duration LOAD = Duration.ofSeconds(90);
    /** A month no other test writes WEMWBS scores in, so the chart holds these two organisations only. */
    private static final String MONTH = "2019-05";

    private static Browser browser;
    private static String large;
    private static String small;

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
    void data() {
        base = "http://127.0.0.1:" + port;
        fhir = new RestFhir(port);
        if (large == null) {
            String tag = UUID.randomUUID().toString().substring(0, 6);
            large = organisation("hub-large-" + tag, "Large Trust " + tag);
            small = organisation("hub-small-" + tag, "Small Trust " + tag);
            // ten people at the large trust: five score 46 (golden mixed), five 56 (all often)
            for (int i = 0; i < 10; i++) {
                scoredPerson(large, i < 5 ? "wemwbs-mixed.json" : "wemwbs-all-often.json");
            }
            // three at the small one: fewer than 8, so every figure of theirs is suppressed
            for (int i = 0; i < 3; i++) {
                scoredPerson(small, "wemwbs-all-all-of-the-time.json");
            }
        }
        browser.console();
    }

    private String organisation(String id, String name) {
        Response r = fhir.request().body("{\"resourceType\":\"Organization\",\"id\":\"" + id + "\",\"name\":\"" + name + "\"}")
                .put("/Organization/" + id);
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 201);
        return id;
    }

    private void scoredPerson(String organisation, String golden) {
        String patient = fhir.request().body("{\"resourceType\":\"Patient\",\"managingOrganization\":{\"reference\":\"Organization/"
                + organisation + "\"}}").post("/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        try {
            ObjectNode qr = (ObjectNode) JSON.readTree(GOLDEN.resolve(golden).toFile());
            qr.remove("id");
            qr.putObject("subject").put("reference", "Patient/" + patient);
            qr.put("authored", MONTH + "-15T10:00:00Z");
            Response r = fhir.request().body(JSON.writeValueAsString(qr)).post("/QuestionnaireResponse");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void openDashboard() {
        SignIn.as(browser, "hub", "hub").open(base + "/hub/", d -> state(d, "ready") || state(d, "error"));
        assertThat(state(browser.driver, "ready")).as(browser.driver.findElement(By.id("hub-status")).getText()).isTrue();
    }

    private static boolean state(WebDriver d, String state) {
        List<WebElement> s = d.findElements(By.id("hub-status"));
        return !s.isEmpty() && state.equals(s.get(0).getDomAttribute("data-state"));
    }

    /** Chooses WEMWBS, one month and organisations with the keyboard, and shows the figures. */
    private void askForWemwbsByOrganisation() {
        new Select(browser.driver.findElement(By.id("measure"))).selectByValue("wemwbs-total");
        new Select(browser.driver.findElement(By.id("period"))).selectByValue("custom");
        browser.driver.findElement(By.id("from")).sendKeys(MONTH);
        browser.driver.findElement(By.id("to")).sendKeys(MONTH);
        new Select(browser.driver.findElement(By.id("group-by"))).selectByValue("organization");
        browser.driver.findElement(By.id("show")).sendKeys(org.openqa.selenium.Keys.ENTER);
        new WebDriverWait(browser.driver, LOAD).until(d -> state(d, "error")
                || state(d, "ready") && d.findElement(By.id("hub-status")).getText().startsWith("Figures"));
        assertThat(state(browser.driver, "ready")).as(browser.driver.findElement(By.id("hub-status")).getText()).isTrue();
    }

    private List<String> row(String stratum) {
        WebElement tr = browser.driver.findElement(By.xpath("//table[contains(@class,'aggregate-table')]//tr[th[normalize-space()='"
                + stratum + "']]"));
        return tr.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
    }

    @Test
    void aHubUserSeesTheFiguresOfALargeOrganisationAndTheSuppressedCellsOfASmallOne() {
        openDashboard();
        askForWemwbsByOrganisation();
        browser.screenshot("hub-dashboard");

        // large: 10 people (a multiple of 5 stays 10); mean and median of five 46s and five 56s = 51; sample SD =
        // √(10·5² / 9) = 5.27 → 5.3
        assertThat(row(large).subList(0, 4)).containsExactly("10", "51", "51", "5.3");
        // small: 3 people, so suppressed, and so is every statistic of theirs
        List<String> smallRow = row(small);
        assertThat(smallRow).hasSize(10);
        assertThat(smallRow.subList(0, 4)).containsOnly("suppressed");
        WebElement suppressedCell = browser.driver.findElement(By.xpath("//tr[th[normalize-space()='" + small + "']]/td[1]"));
        assertThat(suppressedCell.getDomAttribute("data-absent")).isEqualTo("masked");

        WebElement chart = browser.driver.findElement(By.cssSelector("#chart svg[role='img']"));
        assertThat(chart.findElement(By.cssSelector(".bar[data-label='" + large + "']")).getDomAttribute("data-value")).isEqualTo("51");
        WebElement hatched = chart.findElement(By.cssSelector(".bar.suppressed[data-label='" + small + "']"));
        assertThat(hatched.getText()).contains("suppressed");
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void theTableDownloadsAsCsvWithTheSuppressedCellsMarked() {
        openDashboard();
        askForWemwbsByOrganisation();
        WebElement link = browser.driver.findElement(By.id("csv"));
        assertThat(link.getDomAttribute("download")).isEqualTo("wemwbs-total-by-organization-custom.csv");
        String csv = (String) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
                link.getDomProperty("href"));
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Organisation,People measured,Mean,Median,Standard deviation,With a later score,"
                + "Mean change,Reliably improved,Reliably deteriorated,% reliably improved,% reliably deteriorated");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(large + ",10,51,51,5.3,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(small + ",suppressed,suppressed,suppressed,suppressed,"));
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    }

    @Test
    void theHubsTokenReachesTheAggregatesAndNoPersonsData() {
        openDashboard();
        String session = (String) browser.js("return sessionStorage.getItem('recovery-outcomes.smart-session.demo-hub-web')");
        String token = parse(session).get("accessToken").asText();
        assertThat(parse(session).get("scope").asText()).isEqualTo("user/MeasureReport.rs");
        given().noFilters().baseUri(base).header("Authorization", "Bearer " + token)
                .get("/fhir/Observation/$aggregate?code=wemwbs-total").then().statusCode(200);
        for (String read : List.of("/fhir/Patient", "/fhir/Observation", "/fhir/QuestionnaireResponse", "/fhir/Organization/" + large)) {
            given().noFilters().baseUri(base).header("Authorization", "Bearer " + token).get(read).then().statusCode(403);
        }
    }

    @Test
    void theDashboardFitsAPhone() {
        Dimension desktop = browser.driver.manage().window().getSize();
        try {
            browser.driver.manage().window().setSize(new Dimension(390, 844));
            openDashboard();
            askForWemwbsByOrganisation();
            assertThat(((Number) browser.js("return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")).longValue())
                    .as("dashboard wider than the phone").isZero();
            browser.screenshot("hub-dashboard-phone");
        } finally {
            browser.driver.manage().window().setSize(desktop);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
