package org.recoveryoutcomes.server.web;

import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The landing page at / and how the web pages are served. */
@ServerTest
class WebPagesTest {

    private static Browser browser;
    private static String patient;
    private static final String FAMILY = "Webpages" + java.util.UUID.randomUUID().toString().substring(0, 8);

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

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private SignIn clinician() {
        if (patient == null) {
            patient = given().contentType("application/fhir+json")
                    .body("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"Kim\"],\"family\":\"" + FAMILY + "\"}]}")
                    .post(base() + "/fhir/Patient").then().statusCode(201).extract().jsonPath().getString("id");
        }
        return SignIn.as(browser, "clinician", "clinician").picking(FAMILY, patient);
    }

    @Test
    void theLandingPageLinksToTheAppsTheFhirBaseAndTheCapabilityStatement() {
        Response landing = given().noFilters().baseUri(base()).get("/");
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.contentType()).startsWith("text/html");
        assertThat(landing.asString()).contains("<html lang=\"en\">", "name=\"viewport\"",
                "href=\"app/\"", "href=\"hub/\"", "href=\"fhir\"", "href=\"fhir/metadata\"");

        // the pages are public (the data behind them is not)
        for (String page : List.of("/app/", "/app/profile.html", "/app/organisation.html", "/hub/")) {
            given().noFilters().baseUri(base()).get(page).then().statusCode(200).contentType("text/html");
        }
        given().noFilters().baseUri(base()).accept("application/fhir+json").get("/fhir/metadata").then().statusCode(200)
                .body("resourceType", org.hamcrest.Matchers.equalTo("CapabilityStatement"));
    }

    @Test
    void theAppsWithoutATrailingSlashRedirectToIt() {
        for (String app : List.of("/app", "/hub")) {
            Response r = given().noFilters().baseUri(base()).redirects().follow(false).get(app);
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.header("Location")).endsWith(app + "/");
        }
    }

    @Test
    void theFormFillersScriptsAreServedCompressed() {
        Response r = given().baseUri(base()).header("Accept-Encoding", "gzip").get("/app/lforms/webcomponent/lhc-forms.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
    }

    @Test
    void aKeyboardUserGetsFromTheLandingPageToTheFormFiller() {
        browser.driver.get(base() + "/");
        Actions keys = new Actions(browser.driver);
        keys.sendKeys(Keys.TAB).perform();
        assertThat(focused().getText()).isEqualTo("Skip to main content");
        for (int i = 0; i < 10 && !"Fill in a questionnaire".equals(focused().getText()); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(focused().getText()).isEqualTo("Fill in a questionnaire");
        keys.sendKeys(Keys.ENTER).perform();

        clinician().complete(d -> FormFiller.settled(d, ""));
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(base() + "/app/");
        WebElement select = browser.driver.findElement(By.id("questionnaire"));
        assertThat(browser.driver.findElement(By.cssSelector("label[for='questionnaire']")).getText()).isEqualTo("Questionnaire");
        select.sendKeys("Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)");
        new WebDriverWait(browser.driver, Duration.ofSeconds(60))
                .until(d -> "ready".equals(d.findElement(By.id("app-status")).getDomAttribute("data-state"))
                        && d.getCurrentUrl().endsWith("?questionnaire=wemwbs"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void theLandingPageAndAFormFitAPhoneScreen() {
        Dimension desktop = browser.driver.manage().window().getSize();
        browser.driver.get(base() + "/");
        browser.screenshot("landing");
        try {
            browser.driver.manage().window().setSize(new Dimension(390, 844));
            browser.driver.get(base() + "/");
            assertThat(horizontalOverflow()).as("landing page wider than the phone").isZero();
            browser.screenshot("landing-phone");

            new FormFiller(browser, base(), clinician()).open("swemwbs");
            assertThat(horizontalOverflow()).as("form wider than the phone").isZero();
            browser.screenshot("swemwbs-phone");
        } finally {
            browser.driver.manage().window().setSize(desktop);
        }
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void everyFieldOfTheFormFillerHasALabel() {
        new FormFiller(browser, base(), clinician()).open("social-inclusion");
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) browser.js("""
                return [...document.querySelectorAll('input, select, textarea')]
                    .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                    .map(e => e.outerHTML);""");
        assertThat(unlabelled).isEmpty();
    }

    private long horizontalOverflow() {
        return ((Number) browser.js("return Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")).longValue();
    }

    private WebElement focused() {
        return browser.driver.switchTo().activeElement();
    }
}
