package dev.bound.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /admin/index} and {@code POST /admin/index/compact} while Bound keeps serving. */
class IndexAdminTest {
  private static final String ADMIN = "admin-token-0123456789abcdef";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> admin(Harness h, String method, String path, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.gateway.port()
            + path)).header("Authorization", "Bearer " + ADMIN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void compact_mergesTheSegments_andEveryAnswerStillServes(@TempDir Path dir) throws Exception {
    String[] questions = {"What is a vector index?", "How does HNSW find neighbours?",
        "Why merge index segments?", "What does a write lock protect?"};
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      for (String q : questions) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(q))));
        h.gateway.awaitIndexed(); // one add at a time: one small segment each
      }
      JsonNode before = Json.MAPPER.readTree(admin(h, "GET", "/admin/index", null).body());
      assertEquals(questions.length, before.get("entries").asInt());
      assertTrue(before.get("segments").asInt() > 1, before.toString());
      assertTrue(before.get("compaction").isNull());

      HttpResponse<String> bad = admin(h, "POST", "/admin/index/compact", "{\"max_segments\":0}");
      assertEquals(400, bad.statusCode(), bad.body());
      assertEquals("max_segments", Json.MAPPER.readTree(bad.body()).at("/error/param").asText());
      assertEquals(400, admin(h, "POST", "/admin/index/compact", "[1]").statusCode());

      HttpResponse<String> started = admin(h, "POST", "/admin/index/compact", null);
      assertEquals(202, started.statusCode(), started.body());
      JsonNode after = null;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        after = Json.MAPPER.readTree(admin(h, "GET", "/admin/index", null).body());
        if (!after.at("/compaction/state").asText().equals("running")) {
          break;
        }
        Thread.sleep(20);
      }
      assertEquals("done", after.at("/compaction/state").asText(), after.toString());
      assertEquals(1, after.get("segments").asInt(), after.toString());
      assertEquals(1, after.at("/compaction/segments_after").asInt());
      assertEquals(before.get("segments").asInt(), after.at("/compaction/segments_before").asInt());
      assertEquals(questions.length, after.get("entries").asInt());

      long calls = up.calls();
      for (String q : questions) {
        assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", Harness.ask(q))));
      }
      assertEquals("HIT-SEMANTIC", Harness.tier(h.post("/chat/completions",
          Harness.ask("Why would one merge the segments of an index?"), "X-Bound-Threshold", "0.6")));
      assertEquals(calls, up.calls());
    }
  }
}
