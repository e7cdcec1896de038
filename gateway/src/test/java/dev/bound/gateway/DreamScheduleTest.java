package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler in a running Bound driven by an injected clock: no dream outside the window,
 * none while live traffic is high, never more than the hour's request budget, and the next
 * hour outside the window stops it again.
 */
class DreamScheduleTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void dreamsOnlyInWindow_withinBudget_andNotUnderLiveLoad(@TempDir Path data) throws Exception {
    DreamGateTest.HandClock clock = new DreamGateTest.HandClock("2026-01-01T00:30:00Z");
    Map<String, String> flags = new HashMap<>(Map.of("server.port", "0",
        "data.dir", data.toString(), "upstream.api-key", "sk-upstream-key-for-dreams",
        "cache.variants.pool-size", "4", "cache.variants.dream.enabled", "true",
        "cache.variants.dream.intensity", "500,500,10" + ",500".repeat(21),
        "cache.variants.dream.clean-hours", "1", "cache.variants.dream.min-asks", "1",
        "cache.variants.dream.requests-per-hour", "2", "cache.variants.dream.concurrency", "1"));
    flags.put("cache.variants.dream.pause-above-rps", "1");
    flags.put("cache.variants.dream.interval", "1h");
    flags.put("admin.token", DreamTest.ADMIN);
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true)) {
      flags.put("upstream.url", up.url().toString());
      try (Gateway g = Gateway.start(BoundConfig.resolve(flags, Map.of(), null), clock,
          new PrintStream(OutputStream.nullOutputStream()))) {
        for (String topic : new String[] {"tea", "rain", "trains"}) {
          assertEquals("MISS", tier(ask(g, "Write a haiku about " + topic + ".", null)));
        }
        g.awaitIndexed();
        Dreamer d = g.dreamer();
        long calls = up.calls();
        assertEquals(calls, dreams(d, up), "00:30 is outside the window (02:00-02:59)");

        clock.advance(Duration.ofMinutes(90)); // 02:00, inside the window
        for (int i = 0; i < 11; i++) { // 1.1 live requests per second over the last 10 s
          ask(g, "What is " + i + " plus one?", 0.0);
        }
        g.awaitIdle();
        assertEquals(DreamGate.State.LIVE_LOAD, d.gate.state(0));
        assertEquals(calls + 11, dreams(d, up), "paused while live traffic is high");

        clock.advance(Duration.ofSeconds(10));
        assertEquals(calls + 12, dreams(d, up), "one at a time (concurrency 1)");
        assertEquals(calls + 13, dreams(d, up));
        assertEquals(DreamGate.State.REQUEST_BUDGET, d.gate.state(0));
        assertEquals(calls + 13, dreams(d, up), "two per hour, however often it ticks");

        clock.advance(Duration.ofHours(1)); // 03:00, outside again
        assertEquals(calls + 13, dreams(d, up));
        assertEquals(DreamGate.State.OUTSIDE_WINDOW, d.gate.state(0));
        com.fasterxml.jackson.databind.JsonNode carbon = Json.MAPPER.readTree(http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port()
                + "/admin/variants/queue")).header("Authorization", "Bearer " + DreamTest.ADMIN)
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body()).path("carbon");
        assertEquals(2, carbon.path("pregenerated").asLong(), carbon.toString());
        assertTrue(carbon.path("pregeneration_gco2e").asDouble() > 0);
        // Made at 10 g/kWh for pools asked at 500 g/kWh, none served yet: the kept dreams' energy
        // at 500 less every dream's at 10, positive.
        assertEquals("demand_hours", carbon.path("shift_priced_at").asText());
        double kept = carbon.path("wh_shifted").asDouble();
        assertEquals(kept / 1000 * 500, carbon.path("pregeneration_gco2e_at_demand_hours")
            .asDouble(), 1e-6, carbon.toString());
        assertEquals(kept / 1000 * 500 - carbon.path("pregeneration_gco2e").asDouble(),
            carbon.path("gco2e_shifted").asDouble(), 1e-6, carbon.toString());
        assertTrue(carbon.path("gco2e_shifted").asDouble() > 0, carbon.toString());
      }
    }
  }

  /** Ticks once, waits for the dreams it started; returns the upstream's call count. */
  private static long dreams(Dreamer d, SimulatedUpstream up) throws Exception {
    d.tick();
    assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
    return up.calls();
  }

  private HttpResponse<String> ask(Gateway g, String question, Double temperature)
      throws Exception {
    String t = temperature == null ? "" : "\"temperature\":" + temperature + ",";
    String body = "{\"model\":\"sim\"," + t + "\"messages\":[{\"role\":\"user\",\"content\":\""
        + question + "\"}]}";
    return http.send(HttpRequest.newBuilder(URI.create(g.url() + "/chat/completions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer sk-client")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String tier(HttpResponse<String> r) {
    return Harness.tier(r);
  }
}
