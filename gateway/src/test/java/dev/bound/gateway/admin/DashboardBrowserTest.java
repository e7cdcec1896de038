package dev.bound.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}): sign-in, totals against {@code /api/savings}, charts with data, no
 * console errors, and screenshots at desktop and phone sizes under {@code target/}.
 */
class DashboardBrowserTest {
  static final String TOKEN = "dashboard-token-0123456789";
  private static final String CHROMIUM = System.getProperty("bound.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER =
      System.getProperty("bound.chromedriver", "/usr/bin/chromedriver");
  private static final String[] TOTALS = {"total-requests", "total-misses", "total-bypasses",
      "total-hit-rate", "total-exact", "total-semantic", "total-bound", "total-tokens",
      "total-prompt-tokens", "total-completion-tokens", "total-wh", "total-wh-band",
      "total-bound-wh", "total-gco2e", "total-gco2e-band", "total-money", "total-money-band"};

  private final List<String> consoleErrors = new ArrayList<>();

  private static String body(String model, String q, double temperature) {
    return "{\"model\":\"" + model + "\",\"temperature\":" + temperature + ",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"" + q + "\"}]}";
  }

  /** Misses, exact and semantic hits and a bypass, over two models and two tenants. */
  private static void workload(Harness h) throws Exception {
    String[] questions = {"What is the capital of France?", "How many legs does a spider have?",
        "Who wrote Pride and Prejudice?", "What is the boiling point of water at sea level?"};
    for (int i = 0; i < questions.length; i++) {
      String model = i % 2 == 0 ? "llama3.1:8b" : "qwen2.5:7b";
      String ns = i < 2 ? "team-a" : "team-b";
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", body(model, questions[i], 0),
          "X-Bound-Namespace", ns)));
    }
    h.gateway.awaitIndexed();
    for (int n = 0; n < 3; n++) {
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
          body("llama3.1:8b", questions[0], 0), "X-Bound-Namespace", "team-a")));
    }
    assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
        body("qwen2.5:7b", questions[3], 0), "X-Bound-Namespace", "team-b")));
    assertEquals("HIT-SEMANTIC", Harness.tier(h.post("/chat/completions",
        body("qwen2.5:7b", "How many legs has a spider got?", 0),
        "X-Bound-Namespace", "team-a", "X-Bound-Threshold", "0.6")));
    assertEquals("BYPASS", Harness.tier(h.post("/chat/completions",
        body("llama3.1:8b", "Write a poem about caches.", 1.0), "X-Bound-Namespace", "team-a",
        "X-Bound-Variants", "off")));
    h.gateway.awaitIdle();
  }

  @Test
  void dashboard_showsTheLedgerInARealBrowser(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir.resolve("data"), up.url(),
            Map.of("dashboard.token", TOKEN))) {
      workload(h);
      String origin = "http://127.0.0.1:" + h.gateway.port();
      ChromeDriver d = startChromium(dir.resolve("chromium-profile"));
      try {
        // Sign-in: a wrong token is refused and sets nothing.
        d.get(origin + "/dashboard");
        assertTrue(d.findElements(By.id("signin-form")).size() == 1, d.getPageSource());
        d.findElement(By.id("token")).sendKeys("wrong-token-000000000000");
        d.findElement(By.id("signin-submit")).click();
        waitFor(() -> !d.findElements(By.id("signin-error")).isEmpty(), "the sign-in error");
        assertEquals("That token does not open the dashboard.",
            d.findElement(By.id("signin-error")).getText());
        assertNull(d.manage().getCookieNamed(AdminAuth.COOKIE), "no cookie for a wrong token");
        assertEquals(401, h.getOutsideApi("/api/savings", "Authorization",
            "Bearer wrong-token-000000000000").statusCode());
        assertEquals(401, h.getOutsideApi("/api/decisions").statusCode());
        fullPage(d, target().resolve("dashboard-signin.png"));
        drainConsole(d, "sign-in page");

        d.findElement(By.id("token")).sendKeys(TOKEN);
        d.findElement(By.id("signin-submit")).click();
        waitLoaded(d, 1);
        Cookie c = d.manage().getCookieNamed(AdminAuth.COOKIE);
        assertTrue(c != null && c.isHttpOnly() && "Strict".equals(c.getSameSite())
            && "/".equals(c.getPath()), "cookie " + c);

        // The default period: 24 h by hour.
        checkTotals(d, h);
        checkCharts(d);
        checkTables(d, h);
        checkCandidates(d, h);

        // The last hour, by minute.
        d.findElement(By.cssSelector("button[data-period=hour]")).click();
        waitFor(() -> "minute".equals(js(d,
            "return document.getElementById('totals').dataset.granularity")), "minute buckets");
        checkTotals(d, h);
        checkCharts(d);

        screenshots(d);
        drainConsole(d, "dashboard");

        d.findElement(By.cssSelector("form[action='/dashboard/logout'] button")).click();
        waitFor(() -> !d.findElements(By.id("signin-form")).isEmpty(), "signed out");
        assertNull(d.manage().getCookieNamed(AdminAuth.COOKIE));
        drainConsole(d, "sign-out");
        assertTrue(consoleErrors.isEmpty(), "browser console errors: " + consoleErrors);
      } finally {
        d.quit();
      }
    }
  }

  private void checkTotals(ChromeDriver d, Harness h) throws Exception {
    // Read the query and every shown value in one script, so a refresh cannot come between.
    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) d.executeScript(
        "const t = document.getElementById('totals'); const out = {from: t.dataset.from,"
            + " to: t.dataset.to, granularity: t.dataset.granularity};"
            + " for (const id of arguments[0]) { const e = document.getElementById(id);"
            + " out[id] = e.dataset.value; out[id + ':text'] = e.textContent; } return out;",
        List.of(TOTALS));
    JsonNode api = Json.MAPPER.readTree(h.getOutsideApi("/api/savings?granularity="
        + shown.get("granularity") + "&from=" + shown.get("from") + "&to=" + shown.get("to"),
        "Authorization", "Bearer " + TOKEN).body());
    JsonNode t = api.get("totals");
    assertTrue(t.get("requests").asLong() >= 10, "the workload is in the period: " + t);
    assertEquals(t.get("requests").asText(), shown.get("total-requests"));
    assertEquals(t.get("requests").asText(), shown.get("total-requests:text"));
    assertEquals(t.get("misses").asText(), shown.get("total-misses"));
    assertEquals(t.get("bypasses").asText(), shown.get("total-bypasses"));
    assertEquals(t.get("hit_rate").asDouble(), num(shown, "total-hit-rate"));
    assertEquals(Math.round(t.get("hit_rate").asDouble() * 1000) / 10.0,
        Double.parseDouble(text(shown, "total-hit-rate").replace("%", "").strip()), 1e-9);
    assertEquals(t.at("/hits/exact").asText(), shown.get("total-exact"));
    assertEquals(t.at("/hits/semantic").asText(), shown.get("total-semantic"));
    assertEquals(t.at("/hits/bound").asText(), shown.get("total-bound"));
    long tokens = t.get("prompt_tokens_avoided").asLong()
        + t.get("completion_tokens_avoided").asLong();
    assertTrue(tokens > 0);
    assertEquals(Long.toString(tokens), shown.get("total-tokens"));
    assertEquals(String.format(java.util.Locale.US, "%,d", tokens), text(shown, "total-tokens"));
    for (String[] f : new String[][] {{"total-wh", "wh"}, {"total-bound-wh", "bound_wh"},
        {"total-gco2e", "gco2e"}, {"total-money", "money"}}) {
      assertEquals(t.get(f[1]).asDouble(), num(shown, f[0]), f[1]);
    }
    for (String f : new String[] {"wh", "gco2e", "money"}) {
      String[] band = String.valueOf(shown.get("total-" + f + "-band")).split(",");
      assertEquals(t.get(f + "_low").asDouble(), Double.parseDouble(band[0]), f + "_low");
      assertEquals(t.get(f + "_high").asDouble(), Double.parseDouble(band[1]), f + "_high");
    }
    // The energy is written with a unit of its size and three significant digits.
    assertEquals(t.get("wh").asDouble(), energyShown(text(shown, "total-wh")),
        Math.abs(t.get("wh").asDouble()) * 0.006);
    assertTrue(text(shown, "total-money").startsWith("$"), text(shown, "total-money"));
    assertTrue(text(shown, "total-gco2e").matches("-?[0-9.,]+ (t|kg|g|mg|µg)"),
        text(shown, "total-gco2e"));
  }

  private static double energyShown(String s) {
    String[] p = s.split(" ");
    double scale = switch (p[1]) {
      case "MWh" -> 1e6;
      case "kWh" -> 1e3;
      case "Wh" -> 1;
      case "mWh" -> 1e-3;
      case "µWh" -> 1e-6;
      default -> throw new AssertionError("unit of " + s);
    };
    return Double.parseDouble(p[0].replace(",", "")) * scale;
  }

  private static void checkCharts(ChromeDriver d) {
    for (String id : List.of("chart-requests", "chart-energy")) {
      long count = Long.parseLong(String.valueOf(js(d,
          "return document.getElementById(arguments[0]).dataset.count", id)));
      assertTrue(count > 0, id + " has data points: " + count);
    }
    // Pixels of the series' own colours: bars of exact hits and misses, the net-saving line.
    assertTrue(pixels(d, "chart-requests", 0x1a, 0x9e, 0x5c) > 50, "exact-hit bars drawn");
    assertTrue(pixels(d, "chart-requests", 0xe0, 0x8a, 0x1e) > 50, "miss bars drawn");
    assertTrue(pixels(d, "chart-energy", 0x14, 0x7a, 0x4b) > 20, "energy line drawn");
  }

  private static long pixels(ChromeDriver d, String canvas, int r, int g, int b) {
    return ((Number) js(d, "const c = document.getElementById(arguments[0]);"
        + " const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        + " let n = 0; for (let i = 0; i < px.length; i += 4) {"
        + " if (px[i + 3] > 200 && Math.abs(px[i] - arguments[1]) < 20"
        + " && Math.abs(px[i + 1] - arguments[2]) < 20 && Math.abs(px[i + 2] - arguments[3]) < 20)"
        + " n++; } return n;", canvas, r, g, b)).longValue();
  }

  private static void checkTables(ChromeDriver d, Harness h) throws Exception {
    JsonNode top = Json.MAPPER.readTree(h.getOutsideApi("/api/top", "Authorization",
        "Bearer " + TOKEN).body());
    assertEquals(3, top.at("/entries/0/hits").asLong(), top.toString());
    assertEquals(0, top.get("documents").size());
    List<String> first = cells(d, "#top-entries tbody tr:first-child td");
    assertEquals(top.at("/entries/0/id").asText(), first.get(0));
    assertEquals("3", first.get(1));
    assertEquals("llama3.1:8b", first.get(2));
    assertEquals("anonymous/ns:team-a", first.get(3));

    JsonNode dec = Json.MAPPER.readTree(h.getOutsideApi("/api/decisions?limit=25",
        "Authorization", "Bearer " + TOKEN).body()).get("decisions");
    assertEquals(10, dec.size());
    assertEquals(10, d.findElements(By.cssSelector("#decisions tbody tr")).size());
    assertEquals(List.of("BYPASS", "HIT-SEMANTIC", "HIT-EXACT"),
        d.findElements(By.cssSelector("#decisions tbody tr .tier")).subList(0, 3).stream()
            .map(e -> e.getText()).toList());
    List<String> semantic = cells(d, "#decisions tbody tr:nth-child(2) td");
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f", dec.get(1).get("similarity")
        .asDouble()), semantic.get(2));

    List<String> models = d.findElements(By.cssSelector("#by-model tbody td:first-child"))
        .stream().map(e -> e.getText()).sorted().toList();
    assertEquals(List.of("llama3.1:8b", "qwen2.5:7b"), models);
    List<String> tenants = d.findElements(By.cssSelector("#by-tenant tbody td:first-child"))
        .stream().map(e -> e.getText()).sorted().toList();
    assertEquals(List.of("anonymous/ns:team-a", "anonymous/ns:team-b"), tenants);
  }

  /** The candidates as /api/candidates gives them, or the empty state where it is absent. */
  private static void checkCandidates(ChromeDriver d, Harness h) throws Exception {
    HttpResponse<String> r = h.getOutsideApi("/api/candidates", "Authorization",
        "Bearer " + TOKEN);
    String shown = d.findElement(By.id("candidates")).getText();
    if (r.statusCode() == 404) {
      assertTrue(shown.contains("Bound documents are not enabled"), shown);
      return;
    }
    assertEquals(200, r.statusCode(), r.body());
    JsonNode list = Json.MAPPER.readTree(r.body()).get("candidates");
    List<String> items = cells(d, "#candidates .candidate .meta");
    assertEquals(list.size(), items.size(), shown);
    if (list.isEmpty()) {
      assertTrue(shown.contains("No candidates yet"), shown);
    } else {
      assertTrue(items.get(0).startsWith("asked " + list.at("/0/count").asLong() + " times"),
          items.get(0));
      assertTrue(shown.contains(list.at("/0/examples/0").asText()), shown);
    }
  }

  private static List<String> cells(ChromeDriver d, String css) {
    return d.findElements(By.cssSelector(css)).stream().map(e -> e.getText()).toList();
  }

  /** Full-page screenshots at a laptop size and at a phone size, under target/. */
  private static void screenshots(ChromeDriver d) throws Exception {
    Path out = target();
    d.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1366,
        "height", 900, "deviceScaleFactor", 1, "mobile", false));
    settle(d);
    fullPage(d, out.resolve("dashboard-desktop.png"));
    d.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 390,
        "height", 844, "deviceScaleFactor", 1, "mobile", true));
    settle(d);
    Number overflow = (Number) js(d,
        "return document.documentElement.scrollWidth - window.innerWidth");
    assertTrue(overflow.intValue() <= 0, "the phone layout scrolls sideways by " + overflow);
    fullPage(d, out.resolve("dashboard-phone.png"));
    d.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  private static Path target() throws java.io.IOException {
    return Files.createDirectories(Path.of("target"));
  }

  /** Waits until the charts have taken the width of their boxes after a viewport change. */
  private static void settle(ChromeDriver d) {
    waitFor(() -> Boolean.TRUE.equals(js(d, "return [...document.querySelectorAll('canvas')]"
        + ".every(c => Math.abs(c.getBoundingClientRect().width - c.parentNode.clientWidth) < 2)")),
        () -> "the charts to resize");
  }

  private static void fullPage(ChromeDriver d, Path file) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) js(d, "return {w: document.documentElement"
        + ".scrollWidth, h: document.documentElement.scrollHeight}");
    Map<String, Object> shot = d.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png", "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0,
            "width", size.get("w"), "height", size.get("h"), "scale", 1)));
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  private static ChromeDriver startChromium(Path profile) {
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

  /**
   * Keeps the console's errors and warnings, except two that are expected: the 401 that refuses
   * a wrong token at sign-in, and the 404 of /api/candidates while bound documents are off. The
   * canvas read-back warning comes from this test's own pixel check.
   */
  private void drainConsole(ChromeDriver d, String where) {
    for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
      String m = e.getMessage();
      boolean expected = (m.contains("/dashboard/login") && m.contains("status of 401"))
          || (m.contains("/api/candidates") && m.contains("status of 404"))
          || m.contains("willReadFrequently");
      if (e.getLevel().intValue() >= Level.WARNING.intValue() && !expected) {
        consoleErrors.add(where + ": " + e.getLevel() + " " + m);
      }
    }
  }

  private static void waitLoaded(ChromeDriver d, long renders) {
    waitFor(() -> {
      Object v = js(d, "return document.body.dataset.loaded || '0'");
      return Long.parseLong(String.valueOf(v)) >= renders;
    }, () -> "the dashboard to render " + renders + " time(s); page says: "
        + d.findElement(By.tagName("body")).getText());
  }

  private static void waitFor(BooleanSupplier ok, String what) {
    waitFor(ok, () -> what);
  }

  private static void waitFor(BooleanSupplier ok, Supplier<String> what) {
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

  private static Object js(ChromeDriver d, String script, Object... args) {
    return ((JavascriptExecutor) d).executeScript(script, args);
  }

  private static double num(Map<String, Object> shown, String id) {
    return Double.parseDouble(String.valueOf(shown.get(id)));
  }

  private static String text(Map<String, Object> shown, String id) {
    return String.valueOf(shown.get(id + ":text"));
  }

}
