package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
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
 * Pre-generation over HTTP: a pool asked often but not full is filled upstream by the dreamer,
 * through the journal like a live miss, and then serves variant hits; the admin API lists pools
 * and the queue and pauses and resumes it. The scheduler's own ticks are an hour apart here, so
 * the test ticks it by hand.
 */
class DreamTest {
  static final String ADMIN = "admin-token-for-dream-tests";
  static final String HAIKU = "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Write a haiku about tea.\"}]}";
  private final HttpClient http = HttpClient.newHttpClient();

  static Map<String, String> dreaming(String apiKey) {
    Map<String, String> m = new HashMap<>(Map.of("cache.variants.pool-size", "3",
        "cache.variants.dream.enabled", "true", "cache.variants.dream.clean-hours", "24",
        "cache.variants.dream.min-asks", "2", "cache.variants.dream.interval", "1h",
        "admin.token", ADMIN));
    m.put("upstream.api-key", apiKey);
    return m;
  }

  private JsonNode admin(Harness h, String method, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + h.gateway.port() + path))
        .header("Authorization", "Bearer " + ADMIN);
    b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void askedPool_isFilledByPreGeneration_thenServesVariants(@TempDir Path data)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), dreaming("sk-upstream-key-for-dreams"))) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = h.post("/chat/completions", HAIKU,
            "Authorization", "Bearer sk-client");
        assertEquals("MISS", Harness.tier(r));
        h.gateway.awaitIndexed();
      }
      JsonNode queue = admin(h, "GET", "/admin/variants/queue");
      assertEquals("ready", queue.path("state").asText(), queue.toString());
      assertEquals(1, queue.path("queue").size(), queue.toString());
      assertEquals(2, queue.path("queue").path(0).path("asks").asLong());

      admin(h, "POST", "/admin/variants/dream/pause");
      long calls = up.calls();
      Dreamer d = h.gateway.dreamer();
      d.tick();
      assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(calls, up.calls(), "paused: nothing goes upstream");
      assertEquals("paused", admin(h, "GET", "/admin/variants/queue").path("state").asText());
      admin(h, "POST", "/admin/variants/dream/resume");

      d.tick();
      assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
      h.gateway.awaitIndexed();
      assertEquals(calls + 1, up.calls(), "one dream fills the pool of three");
      JsonNode pool = admin(h, "GET", "/admin/variants/pools").path("pools").path(0);
      assertEquals(1, pool.path("pregenerated").asLong(), pool.toString());
      assertEquals(3, pool.path("variants").asInt());
      assertTrue(pool.path("full").asBoolean());
      assertTrue(pool.path("variety").asDouble() > 0, pool.toString());
      assertEquals(0, admin(h, "GET", "/admin/variants/queue").path("queue").size());

      d.tick();
      assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(calls + 1, up.calls(), "a full pool is not dreamed for");
      HttpResponse<String> hit = h.post("/chat/completions", HAIKU,
          "Authorization", "Bearer sk-client");
      assertEquals("HIT-VARIANT", Harness.tier(hit));
      assertEquals("3/3", hit.headers().firstValue("X-Bound-Pool").orElseThrow());
      h.gateway.awaitIdle();

      JsonNode savings = Json.MAPPER.readTree(h.getOutsideApi("/api/savings",
          "Authorization", "Bearer " + ADMIN).body()).path("totals").path("carbon_shifted");
      assertEquals(1, savings.path("pregenerated_stored").asLong(), savings.toString());
      assertEquals(1, savings.path("variant_hits").asLong(), savings.toString());
      assertTrue(savings.path("pregeneration_gco2e").asDouble() > 0, savings.toString());
      assertTrue(savings.has("gco2e_shifted"), savings.toString());
    }
  }

  @Test
  void restart_keepsTheDreamAccountAndTheDemand(@TempDir Path data) throws Exception {
    Map<String, String> flags = dreaming("sk-upstream-key-for-dreams");
    // Dirty at every hour but the one now, so the dream runs now and the account is not flat.
    int now = java.time.Instant.now().atOffset(java.time.ZoneOffset.UTC).getHour();
    StringBuilder profile = new StringBuilder();
    for (int hour = 0; hour < 24; hour++) {
      profile.append(hour == 0 ? "" : ",").append(hour == now ? "40" : "400");
    }
    flags.put("cache.variants.dream.intensity", profile.toString());
    flags.put("cache.variants.dream.clean-hours", "2");
    JsonNode before;
    JsonNode poolBefore;
    JsonNode budgetBefore;
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true)) {
      try (Harness h = new Harness(data, up.url(), flags)) {
        for (int i = 0; i < 2; i++) {
          h.post("/chat/completions", HAIKU, "Authorization", "Bearer sk-client");
          h.gateway.awaitIndexed();
        }
        h.gateway.dreamer().tick();
        assertTrue(h.gateway.dreamer().gate.awaitIdle(Duration.ofSeconds(30)));
        h.gateway.awaitIndexed();
        assertEquals("HIT-VARIANT", Harness.tier(h.post("/chat/completions", HAIKU,
            "Authorization", "Bearer sk-client")));
        h.gateway.awaitIdle();
        before = savings(h);
        poolBefore = admin(h, "GET", "/admin/variants/pools").path("pools").path(0);
        budgetBefore = admin(h, "POST", "/admin/variants/dream/pause").path("budget");
        assertEquals(1, budgetBefore.path("requests_this_hour").asInt(), budgetBefore.toString());
        assertTrue(budgetBefore.path("tokens_today").asLong() > 0, budgetBefore.toString());
        assertEquals(1, before.path("pregenerated_stored").asLong(), before.toString());
        assertEquals(1, before.path("variant_hits").asLong(), before.toString());
        assertTrue(before.path("pregeneration_gco2e").asDouble() > 0, before.toString());
      }
      try (Harness again = new Harness(data, up.url(), flags)) {
        assertEquals(before, savings(again), "the same account after the restart");
        // The pause and the budgets spent hold across it, unless the hour has just turned.
        JsonNode q = admin(again, "GET", "/admin/variants/queue");
        assertEquals("paused", q.path("state").asText(), q.toString());
        if (java.time.Instant.now().atOffset(java.time.ZoneOffset.UTC).getHour() == now) {
          assertEquals(budgetBefore.path("requests_this_hour"),
              q.path("budget").path("requests_this_hour"));
          assertEquals(budgetBefore.path("tokens_today"), q.path("budget").path("tokens_today"));
        }
        assertEquals(before, admin(again, "GET", "/admin/variants/queue").path("carbon"));
        JsonNode pool = admin(again, "GET", "/admin/variants/pools").path("pools").path(0);
        assertEquals(3, pool.path("asks").asLong(), pool.toString());
        assertEquals(poolBefore.path("pregenerated_ids"), pool.path("pregenerated_ids"));
        assertEquals(poolBefore.path("last_asked"), pool.path("last_asked"));
        assertEquals(3, pool.path("variants").asInt(), pool.toString());
        HttpResponse<String> hit = again.post("/chat/completions", HAIKU,
            "Authorization", "Bearer sk-client");
        assertEquals("HIT-VARIANT", Harness.tier(hit), "the restored pool still serves");
        again.gateway.awaitIdle();
        assertEquals(4, admin(again, "GET", "/admin/variants/pools").path("pools").path(0)
            .path("asks").asLong(), "counting goes on from the saved demand");
      }
    }
  }

  private JsonNode savings(Harness h) throws Exception {
    HttpResponse<String> r = h.getOutsideApi("/api/savings?granularity=day",
        "Authorization", "Bearer " + ADMIN);
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body()).path("totals").path("carbon_shifted");
  }

  @Test
  void withoutUpstreamKey_preGenerationIsOff_andSaysWhy(@TempDir Path data) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), dreaming(""))) {
      h.post("/chat/completions", HAIKU, "Authorization", "Bearer sk-client");
      h.post("/chat/completions", HAIKU, "Authorization", "Bearer sk-client");
      JsonNode q = admin(h, "GET", "/admin/variants/queue");
      assertEquals("off", q.path("state").asText());
      assertEquals("upstream.api-key is not set; a client's key is never kept to pre-generate "
          + "with", q.path("off_because").asText());
      assertEquals(0, q.path("queue").size(), "nothing is remembered when it is off");
    }
  }

  @Test
  void dreamsAreCappedToTheirReservation_byEachApisName() {
    assertEquals("{\"model\":\"m\",\"messages\":[],\"max_tokens\":40}",
        new String(Dreamer.capTokens("{\"model\":\"m\",\"messages\":[]}".getBytes(), 40)));
    // The first asker's own limit is not the pool's; the dream's reservation is.
    assertEquals("{\"model\":\"m\",\"max_completion_tokens\":40}", new String(Dreamer
        .capTokens("{\"model\":\"m\",\"max_completion_tokens\":10}".getBytes(), 40)));
    assertEquals("{\"model\":\"m\",\"input\":\"q\",\"max_output_tokens\":40}",
        new String(Dreamer.capTokens("{\"model\":\"m\",\"input\":\"q\"}".getBytes(), 40)));
    assertEquals("{\"model\":\"m\",\"max_tokens\":40,\"messages\":[]}", new String(Dreamer
        .capTokens("{\"model\":\"m\",\"max_tokens\":1024,\"messages\":[]}".getBytes(), 40)));
  }

  /**
   * The pool's first asker wanted 5 tokens; its answers were cut and never joined the pool. A
   * dream asks for a whole answer, not that asker's 5 tokens, and is kept. A dream the upstream
   * refuses, or answers in a form the pool cannot keep, puts the pool off its next dream for
   * twice as long each time, instead of spending the hour's budget one interval after another.
   */
  @Test
  void dreams_askForWholeAnswers_andBackOffAfterSetbacks(@TempDir Path data) throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> mode =
        new java.util.concurrent.atomic.AtomicReference<>("normal");
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    try (FakeUpstream up = new FakeUpstream(ctx -> {
          JsonNode req = Json.MAPPER.readTree(ctx.body());
          int limit = req.path("max_tokens").asInt(0);
          if (mode.get().equals("refuse") && limit != 5) {
            ctx.status(400).contentType("application/json").result("{\"error\":{\"message\":"
                + "\"max_tokens is not supported\",\"type\":\"invalid_request_error\"}}");
            return;
          }
          boolean cut = limit == 5 || mode.get().equals("truncate");
          var answer = Json.object().put("id", "c").put("object", "chat.completion")
              .put("created", 1).put("model", "sim");
          answer.putArray("choices").addObject().put("index", 0)
              .put("finish_reason", cut ? "length" : "stop").putObject("message")
              .put("role", "assistant").put("content", "Steam rises, leaf " + n.incrementAndGet());
          answer.putObject("usage").put("prompt_tokens", 9).put("completion_tokens", 6);
          ctx.contentType("application/json").result(Json.bytes(answer));
        });
        Harness h = new Harness(data, up.url(), dreaming("sk-upstream-key-for-dreams"))) {
      String limited = HAIKU.replace("\"messages\"", "\"max_tokens\":5,\"messages\"");
      for (int i = 0; i < 2; i++) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions", limited,
            "Authorization", "Bearer sk-client")));
        h.gateway.awaitIndexed();
      }
      Dreamer d = h.gateway.dreamer();
      d.tick();
      assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
      h.gateway.awaitIndexed();
      JsonNode pool = admin(h, "GET", "/admin/variants/pools").path("pools").path(0);
      assertEquals(1, pool.path("pregenerated").asLong(), pool.toString());
      assertEquals(0, pool.path("discarded").asLong(), pool.toString());

      for (String m : new String[] {"truncate", "refuse"}) {
        mode.set(m);
        int calls = up.calls.get();
        d.tick();
        assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
        assertEquals(calls + 1, up.calls.get(), m);
        pool = admin(h, "GET", "/admin/variants/pools").path("pools").path(0);
        assertTrue(pool.has("retry_at"), pool.toString());
        d.tick(); // within the wait: nothing goes upstream
        assertTrue(d.gate.awaitIdle(Duration.ofSeconds(30)));
        assertEquals(calls + 1, up.calls.get(), m);
        if (m.equals("truncate")) {
          assertEquals(1, pool.path("discarded").asLong(), pool.toString());
          // The wait is over (as if an hour had passed) for the next mode's try.
          d.queue.all().forEach(w -> {
            synchronized (w) {
              w.retryAtMillis = 0;
            }
          });
        } else {
          assertEquals(1, pool.path("failures").asLong(), pool.toString());
        }
      }
      assertEquals(1, admin(h, "GET", "/admin/variants/pools").path("pools").path(0)
          .path("pregenerated").asLong());
    }
  }

  @Test
  void streamedRequest_isReplayedWhole() {
    byte[] body = Dreamer.notStreamed(("{\"model\":\"m\",\"stream\":true,\"stream_options\":"
        + "{\"include_usage\":true},\"messages\":[]}").getBytes());
    assertEquals("{\"model\":\"m\",\"stream\":false,\"messages\":[]}", new String(body));
    assertEquals(Map.of("anthropic-version", java.util.List.of("2023-06-01")),
        Dreamer.shaping(Map.of("anthropic-version", java.util.List.of("2023-06-01"),
            "Authorization", java.util.List.of("Bearer sk-secret"),
            "x-api-key", java.util.List.of("sk-secret"))));
  }
}
