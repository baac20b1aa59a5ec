package org.recoveryoutcomes.server.web;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user going through the embedded issuer's pages during a SMART launch, as a person would: the demo login page
 * (Spring Security's), then the consent page, where a person is found by name and picked when the app asks for
 * {@code launch/patient}, and Allow.
 */
final class SignIn {

    private static final Duration LOAD = Duration.ofSeconds(90);

    private final Browser browser;
    private final String username;
    private final String password;
    private String patientName;
    private String patientId;

    private SignIn(Browser browser, String username, String password) {
        this.browser = browser;
        this.username = username;
        this.password = password;
    }

    static SignIn as(Browser browser, String username, String password) {
        return new SignIn(browser, username, password);
    }

    /** The person to pick on the consent page: found by this name, chosen by id. */
    SignIn picking(String name, String id) {
        this.patientName = name;
        this.patientId = id;
        return this;
    }

    /**
     * Opens the page and goes through whatever sign-in pages come up until the app says it is there; a page that needs
     * no sign-in (a token kept in the tab) goes straight there.
     */
    void open(String url, Function<WebDriver, Boolean> arrived) {
        browser.driver.get(url);
        complete(arrived);
    }

    /** Goes through the sign-in pages the browser is on or is about to get to, until the app says it is there. */
    void complete(Function<WebDriver, Boolean> arrived) {
        for (int step = 0; step < 6; step++) {
            wait(LOAD).until(d -> on(d, "/login") || on(d, "/launch/consent") || Boolean.TRUE.equals(arrived.apply(d)));
            if (on(browser.driver, "/login")) {
                login();
            } else if (on(browser.driver, "/launch/consent")) {
                consent();
            } else {
                return;
            }
        }
        throw new AssertionError("still signing in after six pages: " + browser.driver.getCurrentUrl());
    }

    private void login() {
        browser.screenshot("sign-in-login");
        browser.driver.findElement(By.id("username")).sendKeys(username);
        WebElement pw = browser.driver.findElement(By.id("password"));
        pw.sendKeys(password, Keys.ENTER);
        wait(LOAD).until(d -> !on(d, "/login") || d.getCurrentUrl().contains("error"));
        assertThat(browser.driver.getCurrentUrl()).as("login refused").doesNotContain("error");
    }

    private void consent() {
        if (patientId != null) {
            // as a clinician would among many people: find the person by name, then pick them
            if (!patientName.equals(browser.driver.findElement(By.id("name")).getDomProperty("value"))) {
                WebElement search = browser.driver.findElement(By.id("name"));
                search.clear();
                search.sendKeys(patientName, Keys.ENTER);
                wait(LOAD).until(ExpectedConditions.stalenessOf(search));
            }
            List<WebElement> found = browser.driver.findElements(By.cssSelector("input[name='patient']"));
            assertThat(found).as("people found by the name " + patientName).hasSize(1);
            assertThat(found.get(0).getDomAttribute("value")).isEqualTo(patientId);
            found.get(0).click();
        }
        browser.screenshot("sign-in-consent-" + (patientId != null ? "with-patient" : "no-patient"));
        String before = browser.driver.getCurrentUrl();
        browser.driver.findElement(By.xpath("//button[normalize-space()='Allow']")).click();
        wait(LOAD).until(d -> !d.getCurrentUrl().equals(before));
    }

    private static boolean on(WebDriver d, String path) {
        return path.equals(URI.create(d.getCurrentUrl()).getPath());
    }

    private WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser.driver, timeout, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.ignoring(org.openqa.selenium.NoSuchElementException.class);
        return wait;
    }
}
