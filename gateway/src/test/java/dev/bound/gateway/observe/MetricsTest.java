package dev.bound.gateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.FakeUpstream;
import dev.bound.gateway.Harness;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} after a miss, a hit and an upstream failure. */
public class MetricsTest {
  private static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
      + "\"created\":1,\"model\":\"llama3.1:8b\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"Power usage effectiveness.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150}}";

  private static String body(String q) {
    return "{\"model\":\"llama3.1:8b\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + q + "\"}]}";
  }

  /** The samples of a scrape, keyed by name and labels as written ({@code a_total{x="y"}}). */
  public static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String value = line.substring(space + 1);
      out.put(line.substring(0, space), switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value);
      });
    }
    return out;
  }

  private static double sample(Map<String, Double> s, String key) {
    Double v = s.get(key);
    if (v == null) {
      throw new AssertionError("no series " + key + " in /metrics; it has " + s.keySet());
    }
    return v;
  }

  @Test
  void metrics_countAMissAHitAndAnUpstreamError(@TempDir Path dir) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> {
          if (ctx.body().contains("fail")) {
            ctx.status(500).contentType("application/json")
                .result("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
          } else {
            ctx.contentType("application/json").result(ANSWER);
          }
        });
        Harness h = new Harness(dir, up.url(), Map.of())) {
      assertEquals("MISS", h.post("/chat/completions", body("What is PUE?"))
          .headers().firstValue("X-Bound-Cache").orElseThrow());
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", body("What is PUE?"));
      assertEquals("HIT-EXACT", hit.headers().firstValue("X-Bound-Cache").orElseThrow());
      double saved = Double.parseDouble(hit.headers().firstValue("X-Bound-Energy-Saved")
          .orElseThrow());
      assertEquals(500, h.post("/chat/completions", body("please fail")).statusCode());

      h.gateway.awaitIdle();
      HttpResponse<String> r = h.getOutsideApi("/metrics");
      assertEquals(200, r.statusCode(), "open without a token");
      assertTrue(r.headers().firstValue("Content-Type").orElseThrow()
          .startsWith("text/plain; version=0.0.4"));
      Map<String, Double> s = samples(r.body());
      Files.writeString(Path.of("target", "metrics-sample.txt"), r.body()); // for the curious

      String chat = "endpoint=\"chat.completions\"";
      assertEquals(2, sample(s, "bound_requests_total{" + chat + ",outcome=\"MISS\"}"));
      assertEquals(1, sample(s, "bound_requests_total{" + chat + ",outcome=\"HIT-EXACT\"}"));
      assertEquals(0, sample(s, "bound_requests_total{" + chat + ",outcome=\"HIT-SEMANTIC\"}"));
      assertEquals(0, sample(s, "bound_requests_total{" + chat + ",outcome=\"HIT-BOUND\"}"));
      assertEquals(0, sample(s, "bound_requests_total{" + chat + ",outcome=\"BYPASS\"}"));
      assertEquals(0, sample(s,
          "bound_requests_total{endpoint=\"completions\",outcome=\"MISS\"}"));
      assertEquals(1.0 / 3, sample(s, "bound_cache_hit_ratio"), 1e-9);
      assertEquals(2, sample(s,
          "bound_request_duration_seconds_count{" + chat + ",outcome=\"MISS\"}"));
      assertEquals(1, sample(s,
          "bound_request_duration_seconds_bucket{" + chat + ",outcome=\"HIT-EXACT\",le=\"+Inf\"}"));
      assertEquals(2, sample(s, "bound_upstream_duration_seconds_count{" + chat + "}"));
      // An exact hit is found by its key, without an embedding; every request searched.
      assertEquals(2, sample(s, "bound_embedding_duration_seconds_count"));
      assertEquals(3, sample(s, "bound_search_duration_seconds_count"));
      assertEquals(2, sample(s, "bound_embedding_batch_size_count"));
      assertEquals(2, sample(s, "bound_embedding_batch_size_sum"));
      assertEquals(120, sample(s, "bound_tokens_avoided_total{kind=\"prompt\"}"));
      assertEquals(30, sample(s, "bound_tokens_avoided_total{kind=\"completion\"}"));
      assertEquals(1, sample(s, "bound_upstream_errors_total{" + chat + ",kind=\"status_5xx\"}"));
      assertEquals(0, sample(s, "bound_client_aborts_total"));
      assertEquals(1, sample(s, "bound_index_entries"));
      assertEquals(0, sample(s, "bound_documents"));

      // Gross avoided minus Bound's own spend is the net saving the hit reported.
      double spent = sample(s, "bound_energy_spent_joules_total");
      double avoided = sample(s, "bound_energy_avoided_joules_total{band=\"central\"}");
      assertTrue(spent > 0, "Bound's own work costs something: " + spent);
      assertTrue(sample(s, "bound_energy_avoided_joules_total{band=\"low\"}") <= avoided
          && avoided <= sample(s, "bound_energy_avoided_joules_total{band=\"high\"}"));
      double hitOwn = avoided / 3600 - saved;
      assertTrue(hitOwn > 0 && hitOwn < spent / 3600, "own share of the hit " + hitOwn);
      assertTrue(sample(s, "bound_carbon_avoided_grams_total{band=\"central\"}") > 0);
      assertTrue(sample(s, "bound_carbon_spent_grams_total") > 0);
      assertTrue(sample(s,
          "bound_electricity_cost_avoided_total{band=\"central\",currency=\"USD\"}") > 0);
      assertTrue(sample(s, "bound_electricity_cost_spent_total{currency=\"USD\"}") > 0);

      HttpResponse<String> om = h.getOutsideApi("/metrics", "Accept",
          "application/openmetrics-text; version=1.0.0");
      assertTrue(om.headers().firstValue("Content-Type").orElseThrow()
          .startsWith("application/openmetrics-text"));
      assertTrue(om.body().strip().endsWith("# EOF"));

      assertEquals(404, h.getOutsideApi("/dashboard").statusCode(), "no token configured");
      assertEquals(404, h.getOutsideApi("/api/decisions").statusCode());
      assertEquals(404, h.getOutsideApi("/dashboard/assets/app.js").statusCode());
    }
  }
}
