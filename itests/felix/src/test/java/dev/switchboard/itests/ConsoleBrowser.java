package dev.switchboard.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's Chromium (Debian's {@code chromium} and {@code chromium-driver}), headless, showing the
 * operator console. Every check reads what the page shows; each test saves a screenshot under
 * {@code target/console-screenshots/} so that a person can look at it.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final ChromeDriver driver;

    private ConsoleBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    static ConsoleBrowser open(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("SWITCHBOARD_CHROMIUM", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("SWITCHBOARD_CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options));
    }

    static ConsoleBrowser open() {
        return open(1280, 900);
    }

    private static String executable(String variable, String fallback) {
        String configured = System.getenv(variable);
        return configured == null || configured.isEmpty() ? fallback : configured;
    }

    void go(String url) {
        driver.get(url);
    }

    /** The text of the first element matching {@code css}, or "" when there is none. */
    String text(String css) {
        // read in one step in the page: a live update may draw the element anew at any moment
        Object text = script("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return text == null ? "" : text.toString();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Clicks and accepts the confirmation the page asks for. */
    void clickConfirming(String css) throws Exception {
        script("window.confirm = () => true;");
        click(css);
    }

    /** Clicks the element, found again when the page drew it anew meanwhile (a live update). */
    void click(String css) throws Exception {
        await("a click on " + css, () -> {
            try {
                find(css).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until {@code done}; fails naming {@code what}, with the page's text. */
    void await(String what, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Boolean.TRUE.equals(done.call())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what + "\npage:\n" + text("body")
                        + "\nbrowser console:\n" + String.join("\n", driver.manage().logs().get(LogType.BROWSER).getAll()
                                .stream().map(LogEntry::toString).toList()));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the element matching {@code css} shows a text containing {@code fragment}, in any case. */
    void awaitText(String css, String fragment) throws Exception {
        // in any case: states are spelt as the host spells them ("activated", R5's "Activated")
        String wanted = fragment.toLowerCase(java.util.Locale.ROOT);
        await("'" + fragment + "' in " + css, () -> text(css).toLowerCase(java.util.Locale.ROOT).contains(wanted));
    }

    /** Errors the page wrote to the browser's console, beyond those a refused call or socket must cause. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** After a test: its screenshot, the check that no script from the host's data ran, the browser closed. */
    void finish(String testName) throws IOException {
        try {
            screenshot(testName);
            org.junit.Assert.assertNull("the page ran a script from the host's data", script("return window.pwned"));
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** What {@code bin/switchboard console} prints: the console's address with a token in the fragment. */
    static String consoleUrl(Distribution distribution, boolean readOnly) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(distribution.home().resolve("bin/switchboard").toString(),
                "console", "--port", String.valueOf(distribution.port())));
        if (readOnly) {
            command.add("--read-only");
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Process process = new ProcessBuilder(command).directory(distribution.home().toFile())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() == 0) {
                assertTrue(output, output.startsWith("http://127.0.0.1:" + distribution.port() + "/Service/Controller/UI/#token="));
                return output;
            }
            assertTrue("bin/switchboard console failed: " + output, System.nanoTime() < deadline);
            Thread.sleep(200);
        }
    }
}
