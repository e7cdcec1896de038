package dev.bound.gateway.admin;

import static dev.bound.gateway.admin.Browser.cells;
import static dev.bound.gateway.admin.Browser.pixels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** What the dashboard shows, held against the JSON it was drawn from. */
final class DashboardChecks {
  static final String TOKEN = "dashboard-token-0123456789";
  private static final String[] TOTALS = {"total-requests", "total-misses", "total-bypasses",
      "total-hit-rate", "total-exact", "total-semantic", "total-bound", "total-tokens",
      "total-prompt-tokens", "total-completion-tokens", "total-wh", "total-wh-band",
      "total-bound-wh", "total-gco2e", "total-gco2e-band", "total-money", "total-money-band",
      "total-api", "total-api-note", "total-gco2e-shifted", "total-variant", "total-novelty",
      "total-pooled"};

  private DashboardChecks() {}

  static JsonNode api(Harness h, String path) throws Exception {
    HttpResponse<String> r = h.getOutsideApi(path, "Authorization", "Bearer " + TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  static void totals(ChromeDriver d, Harness h) throws Exception {
    // Read the query and every shown value in one script, so a refresh cannot come between.
    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) d.executeScript(
        "const t = document.getElementById('totals'); const out = {from: t.dataset.from,"
            + " to: t.dataset.to, granularity: t.dataset.granularity};"
            + " for (const id of arguments[0]) { const e = document.getElementById(id);"
            + " out[id] = e.dataset.value; out[id + ':text'] = e.textContent; } return out;",
        List.of(TOTALS));
    JsonNode t = api(h, "/api/savings?granularity=" + shown.get("granularity") + "&from="
        + shown.get("from") + "&to=" + shown.get("to")).get("totals");
    assertTrue(t.get("requests").asLong() >= 12, "the workload is in the period: " + t);
    assertEquals(t.get("requests").asText(), shown.get("total-requests"));
    assertEquals(t.get("requests").asText(), shown.get("total-requests:text"));
    assertEquals(t.get("misses").asText(), shown.get("total-misses"));
    assertEquals(t.at("/carbon_shifted/gco2e_shifted").asDouble(),
        num(shown, "total-gco2e-shifted"), "carbon shifted by pre-generation in the period");
    assertEquals(t.get("bypasses").asText(), shown.get("total-bypasses"));
    assertEquals(t.get("hit_rate").asDouble(), num(shown, "total-hit-rate"));
    assertEquals(Math.round(t.get("hit_rate").asDouble() * 1000) / 10.0,
        Double.parseDouble(text(shown, "total-hit-rate").replace("%", "").strip()), 1e-9);
    assertEquals(t.at("/hits/exact").asText(), shown.get("total-exact"));
    assertEquals(t.at("/hits/semantic").asText(), shown.get("total-semantic"));
    assertEquals(t.at("/hits/bound").asText(), shown.get("total-bound"));
    assertEquals(t.at("/hits/variant").asText(), shown.get("total-variant"));
    // The workload's creative request (X-Bound-Variants: off) asked for novelty.
    assertTrue(t.at("/temperature_mix/novelty_requests").asLong() >= 1, t.toString());
    assertEquals(t.at("/temperature_mix/novelty_requests").asText(), shown.get("total-novelty"));
    assertEquals(t.at("/temperature_mix/served_from_pools").asText(), shown.get("total-pooled"));
    long tokens = t.get("prompt_tokens_avoided").asLong()
        + t.get("completion_tokens_avoided").asLong();
    assertTrue(tokens > 0);
    assertEquals(Long.toString(tokens), shown.get("total-tokens"));
    assertEquals(String.format(Locale.US, "%,d", tokens), text(shown, "total-tokens"));
    for (String[] f : new String[][] {{"total-wh", "wh"}, {"total-bound-wh", "bound_wh"},
        {"total-gco2e", "gco2e"}, {"total-money", "money"}, {"total-api", "api_cost_avoided"}}) {
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
    // The API bill: only the priced model's hit, in dollars; the others are counted apart.
    assertTrue(t.get("api_cost_avoided").asDouble() > 0, t.toString());
    assertTrue(text(shown, "total-api").startsWith("$"), text(shown, "total-api"));
    assertEquals(t.get("api_unpriced_hits").asText(), shown.get("total-api-note"));
    assertTrue(text(shown, "total-api-note").startsWith(t.get("api_unpriced_hits").asText()
        + " hits on models with no known price"), text(shown, "total-api-note"));
    assertTrue(d.findElement(By.cssSelector("#api-card h2")).getText()
        .startsWith("API bill avoided"));
    assertTrue(d.findElement(By.xpath("//p[@id='total-money']/../h2")).getText()
        .startsWith("Electricity cost avoided"));
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

  static void charts(ChromeDriver d) {
    for (String id : List.of("chart-requests", "chart-energy")) {
      long count = Long.parseLong(String.valueOf(Browser.js(d,
          "return document.getElementById(arguments[0]).dataset.count", id)));
      assertTrue(count > 0, id + " has data points: " + count);
    }
    // Pixels of the series' own colours: bars of exact hits and misses, the net-saving line.
    assertTrue(pixels(d, "chart-requests", 0x1a, 0x9e, 0x5c) > 50, "exact-hit bars drawn");
    assertTrue(pixels(d, "chart-requests", 0xe0, 0x8a, 0x1e) > 50, "miss bars drawn");
    assertTrue(pixels(d, "chart-energy", 0x14, 0x7a, 0x4b) > 20, "energy line drawn");
  }

  /** The candidates as /api/candidates gives them, or the empty state where it is absent. */
  static void candidates(ChromeDriver d, Harness h) throws Exception {
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
      assertTrue(list.at("/0/examples").isMissingNode()
          ? shown.contains("Prompts and answers hidden") && !list.at("/0/answer").isTextual()
          : shown.contains(list.at("/0/examples/0").asText()), shown);
    }
  }

  private static double num(Map<String, Object> shown, String id) {
    return Double.parseDouble(String.valueOf(shown.get(id)));
  }

  private static String text(Map<String, Object> shown, String id) {
    return String.valueOf(shown.get(id + ":text"));
  }
}
