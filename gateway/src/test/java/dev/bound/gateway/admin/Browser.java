package dev.bound.gateway.admin;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the dashboard tests (Debian's {@code chromium} and
 * {@code chromium-driver}), and the small waits and reads they share.
 */
final class Browser {
  private static final String CHROMIUM = System.getProperty("bound.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER =
      System.getProperty("bound.chromedriver", "/usr/bin/chromedriver");

  private Browser() {}

  static ChromeDriver start(Path profile) {
    for (String p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(p))) {
        fail(p + " is missing: the dashboard test needs Debian's chromium and chromium-driver "
            + "(apt-get install chromium chromium-driver; .ci/run installs them), or "
            + "-Dbound.chromium=PATH -Dbound.chromedriver=PATH");
      }
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    // Without the background-networking flags Chromium keeps calling home, which fails here.
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-default-apps", "--window-size=1366,900", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    // The driver's path is given, so Selenium Manager has nothing to look up or download.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    try {
      ChromeDriver d = new ChromeDriver(service, o);
      d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return d;
    } catch (WebDriverException e) {
      service.stop();
      throw new AssertionError("headless Chromium could not start (" + CHROMIUM + " with "
          + CHROMEDRIVER + "); install Debian's chromium and chromium-driver of the same "
          + "version. Cause: " + e.getMessage(), e);
    }
  }

  /** Emulates a screen of this size; {@code mobile} also narrows the layout viewport. */
  static void viewport(ChromeDriver d, int width, int height, boolean mobile) {
    d.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
        "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    settle(d);
  }

  /** Waits until the charts have taken the width of their boxes after a viewport change. */
  static void settle(ChromeDriver d) {
    waitFor(() -> Boolean.TRUE.equals(js(d, "return [...document.querySelectorAll('canvas')]"
        + ".every(c => Math.abs(c.getBoundingClientRect().width - c.parentNode.clientWidth) < 2)")),
        () -> "the charts to resize");
  }

  static Path target() throws java.io.IOException {
    return Files.createDirectories(Path.of("target"));
  }

  static void fullPage(ChromeDriver d, Path file) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) js(d, "return {w: document.documentElement"
        + ".scrollWidth, h: document.documentElement.scrollHeight}");
    Map<String, Object> shot = d.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png", "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0,
            "width", size.get("w"), "height", size.get("h"), "scale", 1)));
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  /**
   * Adds the console's errors and warnings to {@code into}, except two that are expected: the
   * 401 that refuses a wrong token at sign-in, and the 404 of /api/candidates while bound
   * documents are off. The canvas read-back warning comes from the tests' own pixel check.
   */
  static void drainConsole(ChromeDriver d, String where, List<String> into) {
    for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      boolean expected = (m.contains("/dashboard/login") && m.contains("status of 401"))
          || (m.contains("/api/candidates") && m.contains("status of 404"))
          || m.contains("willReadFrequently");
      if (e.getLevel().intValue() >= Level.WARNING.intValue() && !expected) {
        into.add(where + ": " + e.getLevel() + " " + m);
      }
    }
  }

  static void waitLoaded(ChromeDriver d, long renders) {
    waitFor(() -> {
      Object v = js(d, "return document.body.dataset.loaded || '0'");
      return Long.parseLong(String.valueOf(v)) >= renders;
    }, () -> "the dashboard to render " + renders + " time(s); page says: "
        + d.findElement(By.tagName("body")).getText());
  }

  /** Waits for the next refresh after now. */
  static void nextRender(ChromeDriver d) {
    long now = Long.parseLong(String.valueOf(js(d, "return document.body.dataset.loaded")));
    waitLoaded(d, now + 1);
  }

  static void waitFor(BooleanSupplier ok, String what) {
    waitFor(ok, () -> what);
  }

  static void waitFor(BooleanSupplier ok, Supplier<String> what) {
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out waiting for " + what.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what.get());
      }
    }
  }

  static Object js(ChromeDriver d, String script, Object... args) {
    return ((JavascriptExecutor) d).executeScript(script, args);
  }

  static List<String> cells(ChromeDriver d, String css) {
    return d.findElements(By.cssSelector(css)).stream().map(e -> e.getText()).toList();
  }

  /** Pixels of a canvas within 20 of this colour. */
  static long pixels(ChromeDriver d, String canvas, int r, int g, int b) {
    return ((Number) js(d, "const c = document.getElementById(arguments[0]);"
        + " const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        + " let n = 0; for (let i = 0; i < px.length; i += 4) {"
        + " if (px[i + 3] > 200 && Math.abs(px[i] - arguments[1]) < 20"
        + " && Math.abs(px[i + 1] - arguments[2]) < 20 && Math.abs(px[i + 2] - arguments[3]) < 20)"
        + " n++; } return n;", canvas, r, g, b)).longValue();
  }
}
