package dev.bound.gateway.admin;

import static dev.bound.gateway.admin.Browser.js;
import static dev.bound.gateway.admin.Browser.waitFor;
import static dev.bound.gateway.admin.DashboardChecks.TOKEN;
import static dev.bound.gateway.admin.DashboardChecks.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.Harness;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real headless Chromium: sign-in, totals against {@code /api/savings}, charts
 * with data, each decision's reason and scores, the API bill beside electricity, prompts only
 * when {@code dashboard.show-prompts} is on, at desktop and phone widths, with no console errors;
 * screenshots under {@code target/}.
 */
class DashboardBrowserTest {
  private static final String SPIDER = "How many legs does a spider have?";
  private static final String SPIDER_AGAIN = "How many legs has a spider got?";
  private static final int DESKTOP = 1366;
  private static final int PHONE = 390;

  private final List<String> consoleErrors = new ArrayList<>();

  private static String body(String model, String q, double temperature) {
    return "{\"model\":\"" + model + "\",\"temperature\":" + temperature + ",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"" + q + "\"}]}";
  }

  /**
   * Misses, exact and semantic hits and a bypass, over two unpriced models and one with an API
   * price (gpt-4o-mini), and two tenants.
   */
  private static void workload(Harness h) throws Exception {
    String[] questions = {"What is the capital of France?", SPIDER,
        "Who wrote Pride and Prejudice?", "What is the boiling point of water at sea level?"};
    for (int i = 0; i < questions.length; i++) {
      String model = i % 2 == 0 ? "llama3.1:8b" : "qwen2.5:7b";
      String ns = i < 2 ? "team-a" : "team-b";
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", body(model, questions[i], 0),
          "X-Bound-Namespace", ns)));
    }
    assertEquals("MISS", Harness.tier(h.post("/chat/completions",
        body("gpt-4o-mini", "Name a prime number.", 0), "X-Bound-Namespace", "team-b")));
    h.gateway.awaitIndexed();
    for (int n = 0; n < 3; n++) {
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
          body("llama3.1:8b", questions[0], 0), "X-Bound-Namespace", "team-a")));
    }
    assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
        body("qwen2.5:7b", questions[3], 0), "X-Bound-Namespace", "team-b")));
    var priced = h.post("/chat/completions", body("gpt-4o-mini", "Name a prime number.", 0),
        "X-Bound-Namespace", "team-b");
    assertEquals("HIT-EXACT", Harness.tier(priced));
    assertTrue(priced.headers().firstValue("X-Bound-Api-Saved").orElseThrow()
        .matches("0\\.[0-9]+ USD"), priced.headers().map().toString());
    assertEquals("HIT-SEMANTIC", Harness.tier(h.post("/chat/completions",
        body("qwen2.5:7b", SPIDER_AGAIN, 0), "X-Bound-Namespace", "team-a",
        "X-Bound-Threshold", "0.6")));
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
      ChromeDriver d = Browser.start(dir.resolve("chromium-profile"));
      try {
        // Sign-in: a wrong token is refused and sets nothing.
        d.get(origin(h) + "/dashboard");
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
        Browser.fullPage(d, Browser.target().resolve("dashboard-signin.png"));
        Browser.drainConsole(d, "sign-in page", consoleErrors);

        signIn(d);
        Cookie c = d.manage().getCookieNamed(AdminAuth.COOKIE);
        assertTrue(c != null && c.isHttpOnly() && "Strict".equals(c.getSameSite())
            && "/".equals(c.getPath()), "cookie " + c);

        // A fresh start opens on the last hour, by minute.
        assertEquals("minute", granularity(d));
        assertEquals("hour", d.findElement(By.cssSelector(".periods .active"))
            .getDomAttribute("data-period"));
        DashboardChecks.totals(d, h);
        DashboardChecks.charts(d);
        DashboardChecks.candidates(d, h);

        // The last 24 hours, by hour.
        d.findElement(By.cssSelector("button[data-period=day]")).click();
        waitFor(() -> "hour".equals(granularity(d)), "hour buckets");
        DashboardChecks.totals(d, h);
        DashboardChecks.charts(d);

        for (int width : new int[] {DESKTOP, PHONE}) {
          Browser.viewport(d, width, width == PHONE ? 844 : 900, width == PHONE);
          Browser.nextRender(d);
          explains(d, h, false, width);
          Browser.fullPage(d, Browser.target().resolve("dashboard-" + name(width) + ".png"));
        }
        d.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        Browser.drainConsole(d, "dashboard", consoleErrors);

        d.findElement(By.cssSelector("form[action='/dashboard/logout'] button")).click();
        waitFor(() -> !d.findElements(By.id("signin-form")).isEmpty(), "signed out");
        assertNull(d.manage().getCookieNamed(AdminAuth.COOKIE));
        Browser.drainConsole(d, "sign-out", consoleErrors);
        assertTrue(consoleErrors.isEmpty(), "browser console errors: " + consoleErrors);
      } finally {
        d.quit();
      }
    }
  }

  @Test
  void dashboard_showsPromptsAndTenantNames_whenSwitchedOn(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir.resolve("data"), up.url(), Map.of("dashboard.token", TOKEN,
            "dashboard.show-prompts", "true",
            "dashboard.tenant-names", "anonymous/ns:team-a=Team A"))) {
      workload(h);
      ChromeDriver d = Browser.start(dir.resolve("chromium-profile"));
      try {
        d.get(origin(h) + "/dashboard");
        signIn(d);
        for (int width : new int[] {DESKTOP, PHONE}) {
          Browser.viewport(d, width, width == PHONE ? 844 : 900, width == PHONE);
          Browser.nextRender(d);
          explains(d, h, true, width);
          Browser.fullPage(d, Browser.target().resolve("dashboard-prompts-" + name(width)
              + ".png"));
        }
        List<String> tenants = texts(d, "#by-tenant tbody td:first-child");
        assertTrue(tenants.contains("Team A") && tenants.contains("anonymous/ns:team-b"),
            tenants.toString());
        Browser.drainConsole(d, "dashboard with prompts", consoleErrors);
        assertTrue(consoleErrors.isEmpty(), "browser console errors: " + consoleErrors);
      } finally {
        d.quit();
      }
    }
  }

  /**
   * The latest decisions and most-hit entries against /api/decisions and /api/top: reason codes,
   * similarity and matcher score, electricity and the API bill, tenants, and the prompts exactly
   * when they may be shown; at a phone width the wide tables say they scroll.
   */
  private static void explains(ChromeDriver d, Harness h, boolean prompts, int width)
      throws Exception {
    String where = name(width) + (prompts ? " with prompts" : "");
    JsonNode dec = api(h, "/api/decisions?limit=25").get("decisions");
    JsonNode top = api(h, "/api/top");
    assertEquals(12, dec.size());
    assertEquals(prompts, dec.toString().contains("\"prompt\"")
        && dec.toString().contains("\"matched_prompt\""), where);
    assertEquals(prompts, top.toString().contains("\"prompt\""), where);
    assertEquals(12, d.findElements(By.cssSelector("#decisions tbody tr")).size(), where);
    assertEquals(List.of("BYPASS", "HIT-SEMANTIC", "HIT-EXACT", "HIT-EXACT"),
        texts(d, "#decisions tbody tr .tier").subList(0, 4), where);
    List<String> bypass = row(d, 1);
    assertFalse(dec.get(0).get("reason").isNull(), dec.get(0).toString());
    assertEquals(dec.get(0).get("reason").asText(), bypass.get(2), where);
    assertEquals("—", bypass.get(9), "a bypass saves no API bill: " + where);
    List<String> semantic = row(d, 2);
    assertEquals("—", semantic.get(2), "a hit needs no reason: " + where);
    assertEquals(four(dec.get(1).get("similarity")), semantic.get(3), where);
    assertEquals(dec.get(1).get("score").isNull() ? "—" : four(dec.get(1).get("score")),
        semantic.get(4), where);
    assertEquals("no price", semantic.get(9), "qwen has no API price: " + where);
    List<String> priced = row(d, 3);
    assertEquals("gpt-4o-mini", priced.get(5), where);
    assertTrue(priced.get(9).startsWith("$") && dec.get(2).get("api_saved").asDouble() > 0,
        where + ": " + priced);
    assertTrue(priced.get(8).matches("-?[0-9.,]+ (MWh|kWh|Wh|mWh|µWh)"),
        "energy apart: " + priced);
    List<String> shownPrompts = texts(d, "#decisions td.prompt");
    long headers = d.findElements(By.cssSelector("#decisions th.prompt-col")).stream()
        .filter(e -> e.getDomAttribute("hidden") == null).count();
    if (prompts) {
      assertEquals(2, headers, where);
      assertEquals(SPIDER_AGAIN, semantic.get(10), where);
      assertEquals(SPIDER, semantic.get(11), where);
      assertEquals(dec.at("/0/prompt").asText(), bypass.get(10), where);
      assertFalse(texts(d, "#top-entries td.prompt").isEmpty(), where);
      assertEquals(top.at("/entries/0/prompt").asText(),
          texts(d, "#top-entries tbody tr:first-child td.prompt").get(0), where);
    } else {
      assertEquals(0, headers, where);
      assertTrue(shownPrompts.isEmpty(), where + ": " + shownPrompts);
      assertTrue(texts(d, "#top-entries td.prompt").isEmpty(), where);
      assertFalse(d.getPageSource().contains(SPIDER_AGAIN), "the prompt appears nowhere");
    }
    List<String> first = texts(d, "#top-entries tbody tr:first-child td");
    assertEquals(top.at("/entries/0/id").asText(), first.get(0));
    assertEquals("3", first.get(prompts ? 2 : 1));
    assertEquals(List.of("gpt-4o-mini", "llama3.1:8b", "qwen2.5:7b"),
        texts(d, "#by-model tbody td:first-child").stream().sorted().toList());
    if (width == PHONE) {
      Number overflow = (Number) js(d,
          "return document.documentElement.scrollWidth - window.innerWidth");
      assertTrue(overflow.intValue() <= 0, "the phone layout scrolls sideways by " + overflow);
      waitFor(() -> "true".equals(js(d, "return document.querySelector('#decisions')"
          + ".closest('.scroll').dataset.overflowing")), "the decisions table to overflow");
      assertTrue(d.findElement(By.cssSelector("#decisions")).findElement(By.xpath(
          "../following-sibling::p[@class='scroll-hint']")).isDisplayed(), "scroll hint shown");
    }
  }

  private static void signIn(ChromeDriver d) {
    d.findElement(By.id("token")).sendKeys(TOKEN);
    d.findElement(By.id("signin-submit")).click();
    Browser.waitLoaded(d, 1);
  }

  private static List<String> row(ChromeDriver d, int n) {
    return texts(d, "#decisions tbody tr:nth-child(" + n + ") td");
  }

  /** The text of each match, whether or not it is scrolled into view. */
  @SuppressWarnings("unchecked")
  private static List<String> texts(ChromeDriver d, String css) {
    return (List<String>) js(d, "return [...document.querySelectorAll(arguments[0])]"
        + ".map(e => e.textContent)", css);
  }

  private static String four(JsonNode v) {
    return String.format(Locale.ROOT, "%.4f", v.asDouble());
  }

  private static String granularity(ChromeDriver d) {
    return String.valueOf(js(d, "return document.getElementById('totals').dataset.granularity"));
  }

  private static String origin(Harness h) {
    return "http://127.0.0.1:" + h.gateway.port();
  }

  private static String name(int width) {
    return width == PHONE ? "phone" : "desktop";
  }
}
