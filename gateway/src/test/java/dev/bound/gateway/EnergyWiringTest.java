package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.config.BoundConfig;
import dev.bound.config.ConfigException;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Energy figures on hits, in the decision log and in the savings ledger across a restart. */
class EnergyWiringTest {
  private static String body(String q) {
    return "{\"model\":\"llama3.1:8b\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + q + "\"}]}";
  }

  private static double header(HttpResponse<?> r, String name) {
    return Double.parseDouble(r.headers().firstValue(name).orElseThrow());
  }

  @Test
  void hitsCarryTheirSaving_andTheLedgerSurvivesARestart(@TempDir Path dir) throws Exception {
    double saved;
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of())) {
      HttpResponse<String> miss = h.post("/chat/completions", body("What is PUE?"));
      assertTrue(miss.headers().firstValue("X-Bound-Energy-Saved").isEmpty());
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", body("What is PUE?"));
      assertEquals("HIT-EXACT", hit.headers().firstValue("X-Bound-Cache").orElseThrow());
      saved = header(hit, "X-Bound-Energy-Saved");
      assertTrue(saved > 0, "saved " + saved);
      assertTrue(header(hit, "X-Bound-Energy-Saved-Low") <= saved
          && saved <= header(hit, "X-Bound-Energy-Saved-High"));

      List<String> lines = h.decisionLines(2);
      JsonNode missLine = Json.MAPPER.readTree(lines.get(0));
      JsonNode hitLine = Json.MAPPER.readTree(lines.get(1));
      assertEquals("MISS", missLine.get("tier").asText());
      assertTrue(missLine.get("upstream_ms").asDouble() > 0 && !missLine.has("upstream_ns"),
          lines.get(0));
      assertTrue(missLine.at("/energy/wh").asDouble() <= 0, "a miss only costs Bound's own work");
      assertEquals(-missLine.at("/energy/bound_wh").asDouble(),
          missLine.at("/energy/wh").asDouble(), 1e-6);
      assertEquals("HIT-EXACT", hitLine.get("tier").asText());
      assertEquals(1.0, hitLine.get("similarity").asDouble());
      assertEquals("llama-3.1-8b", hitLine.at("/energy/profile").asText());
      assertTrue(hitLine.get("completion_tokens").asLong() > 0);
      for (String f : new String[] {"wh", "gco2e", "money"}) {
        assertTrue(hitLine.at("/energy/" + f).asDouble() > 0, f);
        assertTrue(hitLine.at("/energy/" + f + "_low").asDouble()
            <= hitLine.at("/energy/" + f + "_high").asDouble(), f);
      }
      assertEquals(saved, hitLine.at("/energy/wh").asDouble(), 1e-6);
    }
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("dashboard.token", READER))) {
      JsonNode savings = Json.MAPPER.readTree(h.getOutsideApi("/api/savings?granularity=day",
          "Authorization", "Bearer " + READER).body());
      JsonNode totals = savings.get("totals");
      assertEquals(2, totals.get("requests").asLong());
      assertEquals(1, totals.at("/hits/exact").asLong());
      assertEquals(1, totals.get("misses").asLong());
      assertEquals(0.5, totals.get("hit_rate").asDouble());
      double missCost = totals.get("bound_wh").asDouble();
      assertEquals(saved, totals.get("wh").asDouble(), missCost + 1e-6);
      assertEquals("llama3.1:8b", savings.at("/by_model/0/model").asText());
      assertEquals(445, savings.at("/assumptions/grid_intensity_gco2e_per_kwh").asDouble());
    }
  }

  static final String READER = "reader-token-0123456789";

  @Test
  void savingsApi_needsAToken(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness off = new Harness(dir.resolve("a"), up.url(), Map.of());
        Harness on = new Harness(dir.resolve("b"), up.url(), Map.of("dashboard.token", READER))) {
      assertEquals(404, off.getOutsideApi("/api/savings").statusCode());
      assertEquals(401, on.getOutsideApi("/api/savings").statusCode());
      assertEquals(401, on.getOutsideApi("/api/savings", "Authorization", "Bearer wrong-token-0000000")
          .statusCode());
      assertEquals(200, on.getOutsideApi("/api/savings", "Authorization", "Bearer " + READER)
          .statusCode());
    }
  }

  @Test
  void badSavingsQuery_is400() throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(Files.createTempDirectory("bound-e"), up.url(),
            Map.of("dashboard.token", READER))) {
      HttpResponse<String> r = h.getOutsideApi("/api/savings?granularity=week",
          "Authorization", "Bearer " + READER);
      assertEquals(400, r.statusCode());
      assertEquals("granularity", Json.MAPPER.readTree(r.body()).at("/error/param").asText());
    }
  }

  @Test
  void badProfileValue_stopsStartUpNamingTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bound.properties");
    Files.writeString(file, "energy.profile.mymodel.like = llama-3.1-8b\n"
        + "energy.profile.mymodel.layers = many\n");
    BoundConfig cfg = BoundConfig.resolve(Map.of("server.port", "0",
        "data.dir", dir.resolve("data").toString(), "upstream.url", "http://127.0.0.1:9/v1"),
        Map.of(), file);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gateway.start(cfg, Clock.systemUTC(), System.out));
    assertTrue(e.getMessage().contains("energy.profile.mymodel.layers"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("data")), "nothing is created before config is valid");

    ConfigException pue = assertThrows(ConfigException.class, () -> BoundConfig.resolve(
        Map.of("energy.deployment.pue", "0.5"), Map.of(), null));
    assertTrue(pue.getMessage().startsWith("invalid value '0.5' for energy.deployment.pue"),
        pue.getMessage());
  }

  /**
   * A hit on a model with a list price reports the API bill it avoided, in the header, the
   * decision line, the ledger and /metrics; a hit on a model without one says so everywhere.
   */
  @Test
  void hitsReportTheApiBill_andUnknownModelsSaySo(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("dashboard.token", READER))) {
      String priced = body("Name a prime number.").replace("llama3.1:8b", "gpt-4o-mini");
      h.post("/chat/completions", priced);
      h.post("/chat/completions", body("What is PUE?"));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", priced);
      HttpResponse<String> unknown = h.post("/chat/completions", body("What is PUE?"));
      h.gateway.awaitIdle();
      JsonNode usage = Json.MAPPER.readTree(hit.body()).get("usage");
      // gpt-4o-mini: 0.15 USD per million input tokens, 0.60 per million output.
      double expected = usage.get("prompt_tokens").asLong() * 0.15e-6
          + usage.get("completion_tokens").asLong() * 0.60e-6;
      String header = hit.headers().firstValue("X-Bound-Api-Saved").orElseThrow();
      assertEquals(EnergyAccounting.plain(expected) + " USD", header);
      assertEquals("unknown", unknown.headers().firstValue("X-Bound-Api-Saved").orElseThrow());

      List<String> lines = h.decisionLines(4);
      JsonNode hitLine = Json.MAPPER.readTree(lines.get(2));
      assertEquals(expected, hitLine.at("/api_bill/saved").asDouble(), expected * 1e-5);
      assertEquals("USD", hitLine.at("/api_bill/currency").asText());
      assertTrue(hitLine.at("/api_bill/source").asText().startsWith("https://"), lines.get(2));
      assertEquals("no API price known for this model",
          Json.MAPPER.readTree(lines.get(3)).at("/api_bill/note").asText());
      assertTrue(Json.MAPPER.readTree(lines.get(0)).path("api_bill").isMissingNode(),
          "a miss saves no bill");

      JsonNode savings = Json.MAPPER.readTree(h.getOutsideApi("/api/savings",
          "Authorization", "Bearer " + READER).body());
      assertEquals(expected, savings.at("/totals/api_cost_avoided").asDouble(), expected * 1e-5);
      assertEquals(1, savings.at("/totals/api_unpriced_hits").asLong());
      assertEquals("USD", savings.at("/assumptions/api_currency").asText());
      assertTrue(savings.at("/assumptions/api_price_sources").size() > 0);
      for (JsonNode m : savings.get("by_model")) {
        if (m.get("model").asText().equals("gpt-4o-mini")) {
          assertEquals(0.15, m.at("/api_price/input").asDouble());
          assertTrue(m.at("/api_price/checked").asText().matches("\\d{4}-\\d{2}-\\d{2}"));
        } else {
          assertEquals("no API price known for this model", m.get("api_price_note").asText());
        }
      }
      String metrics = h.getOutsideApi("/metrics").body();
      assertTrue(metrics.contains("bound_api_cost_avoided_total{currency=\"USD\"}"), metrics);
      assertTrue(metrics.contains("bound_api_unpriced_hits_total 1.0"), metrics);
    }
  }
}
