package dev.rendezvous.browser;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One headless Chromium (Debian's, through the system chromedriver) whose tabs are the peers of a
 * test. Chromium needs the fake media-permission flag or it gathers no ICE candidates at all in
 * a loopback-only network namespace.
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final String base;
    /** Whether the one blank tab left by start-up or {@link #reset} is still unused. */
    private boolean blankTabFree = true;

    Browser(String base) throws Exception {
        this.base = base;
        Path output = output();
        String tmp = System.getenv("TMPDIR");
        if (tmp != null) {
            // chromedriver and Chromium inherit TMPDIR, and fail to start if it does not exist.
            Files.createDirectories(Path.of(tmp));
        }
        Path profile = Files.createTempDirectory(output, "profile");
        ChromeOptions options = new ChromeOptions()
                .setBinary(System.getProperty("browser.binary", "/usr/lib/chromium/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
                        "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic", "--disable-background-timer-throttling",
                        "--disable-backgrounding-occluded-windows", "--disable-renderer-backgrounding",
                        "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("browser.driver", "/usr/bin/chromedriver")))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    static Path output() throws Exception {
        return Files.createDirectories(Path.of(System.getProperty("browser.output", "target/browser")));
    }

    /** Opens {@code path} (relative to the server root) in a new tab and returns that tab. */
    Page open(String path) {
        if (blankTabFree) {
            blankTabFree = false;
        } else {
            driver.switchTo().newWindow(WindowType.TAB);
        }
        driver.get(base + path);
        return new Page(driver.getWindowHandle());
    }

    /** Closes every tab but one, which goes blank: each test starts with a fresh set of pages. */
    void reset() {
        List<String> tabs = List.copyOf(driver.getWindowHandles());
        for (int i = 1; i < tabs.size(); i++) {
            driver.switchTo().window(tabs.get(i)).close();
        }
        driver.switchTo().window(tabs.get(0)).get("about:blank");
        blankTabFree = true;
    }

    byte[] screenshot(Page page) {
        page.focus();
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** One tab: every call switches to it first. */
    final class Page {

        private final String handle;

        private Page(String handle) {
            this.handle = handle;
        }

        Page focus() {
            driver.switchTo().window(handle);
            return this;
        }

        WebElement find(String css) {
            focus();
            return driver.findElement(By.cssSelector(css));
        }

        List<WebElement> findAll(String css) {
            focus();
            return driver.findElements(By.cssSelector(css));
        }

        String text(String css) {
            List<WebElement> found = findAll(css);
            return found.isEmpty() ? "" : found.get(0).getText();
        }

        Object script(String js, Object... args) {
            focus();
            return ((JavascriptExecutor) driver).executeScript(js, args);
        }

        Object asyncScript(String js, Object... args) {
            focus();
            return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
        }

        void reload() {
            focus();
            driver.navigate().refresh();
        }

        /** Closes this tab as its person would (the page sees {@code pagehide}); another tab must stay open. */
        void close() {
            focus();
            driver.close();
            driver.switchTo().window(driver.getWindowHandles().iterator().next());
        }

        /** Waits for the condition, evaluated in this tab, and fails with {@code what} if it never holds. */
        void await(String what, Supplier<Boolean> condition) {
            await(what, WAIT, condition);
        }

        /** {@link #await(String, Supplier)} for up to {@code wait}. */
        void await(String what, Duration wait, Supplier<Boolean> condition) {
            try {
                Awaitility.await(what).atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptionsInstanceOf(WebDriverException.class)
                        .until(() -> Boolean.TRUE.equals(condition.get()));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("timed out after " + wait.toSeconds() + " s waiting until " + what
                        + "; status line: '" + text("#status") + "'", e);
            }
        }
    }

    /** The pause between two looks at a page that is polled. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The text of the first element under {@code element} matching {@code css}, or "". */
    static String childText(WebElement element, String css) {
        List<WebElement> found = element.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }
}
