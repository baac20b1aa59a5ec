package org.recoveryoutcomes.server.web;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.springframework.util.FileSystemUtils;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (installed by .ci/run); nothing is downloaded.
 * {@code CHROMIUM} and {@code CHROMEDRIVER} name other binaries.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target/browser-screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        String chromedriver = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
        // with both paths given, Selenium Manager has nothing to look up or download
        System.setProperty("webdriver.chrome.driver", chromedriver);
        Path profile;
        try {
            profile = Files.createTempDirectory("recovery-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // as root Chromium needs --no-sandbox; the rest keeps it from calling home
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    /** The console messages logged since the last call (chromedriver hands each out once). */
    List<LogEntry> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /**
     * Console errors since the last call, as text: errors, and LHC-Forms' report of a failed calculation (which it
     * logs at info level).
     */
    List<String> consoleErrors() {
        return console().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue() || e.getMessage().contains("Run of expressions failed"))
                .map(LogEntry::toString).toList();
    }

    /** Every resource the page loaded from a host other than its own. */
    List<String> foreignRequests() {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) js("""
                return performance.getEntriesByType('resource').map(e => e.name)
                    .filter(u => new URL(u).origin !== location.origin);""");
        return urls;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A PNG of the whole page (the window grows to the page's height for the shot). */
    Path screenshot(String name) {
        Dimension before = driver.manage().window().getSize();
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        try {
            driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(Math.max(height + 120, 600), 12_000)));
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            FileSystemUtils.deleteRecursively(profile.toFile());
        }
    }
}
