package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends {@code bound.fuzz.requests} malformed requests (2,000 by default; more with
 * {@code -Dbound.fuzz.requests=N}, another sequence with {@code -Dbound.fuzz.seed=S}) made by
 * {@link RequestFuzz} to a Bound whose upstream always answers 200 with a valid body. Bound must
 * never answer 5xx itself, every error it gives must be in the OpenAI shape (with Anthropic's
 * top-level {@code "type":"error"} on its path), and a valid request must still work after.
 *
 * <pre>mvn -B -o -pl gateway -am test -Dtest=RequestFuzzTest -Dbound.fuzz.requests=50000 \
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class RequestFuzzTest {
  @TempDir Path data;

  /** Answers every request with a valid body of its path's API, streamed when asked. */
  static void answer(Context ctx) throws Exception {
    String body = new String(ctx.bodyAsBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (body.replace(" ", "").contains("\"stream\":true")) {
      var out = FakeUpstream.sse(ctx);
      FakeUpstream.event(out, FakeUpstream.chunk("fuzzed", null));
      FakeUpstream.event(out, FakeUpstream.chunk(null, "stop"));
      FakeUpstream.event(out, "[DONE]");
      return;
    }
    ctx.contentType("application/json");
    if (ctx.path().endsWith("/embeddings")) {
      JsonNode req = Json.parseOrNull(ctx.bodyAsBytes());
      int n = req != null && req.path("input").isArray() ? req.path("input").size() : 1;
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < n; i++) {
        data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
            .append(",\"embedding\":[0.6,0.8]}");
      }
      ctx.result("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"fake\",\"usage\":"
          + "{\"prompt_tokens\":1,\"total_tokens\":1}}");
    } else if (ctx.path().endsWith("/messages")) {
      ctx.result("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"fake\",\"content\":[{\"type\":\"text\",\"text\":\"fuzzed\"}],\"stop_reason\":"
          + "\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}");
    } else if (ctx.path().endsWith("/responses")) {
      ctx.result("{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":"
          + "\"completed\",\"model\":\"fake\",\"output\":[{\"type\":\"message\",\"id\":\"m1\","
          + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
          + "\"output_text\",\"text\":\"fuzzed\",\"annotations\":[]}]}],\"usage\":"
          + "{\"input_tokens\":3,\"output_tokens\":1,\"total_tokens\":4}}");
    } else {
      ctx.result(UpstreamFaultsTest.answer("fuzzed"));
    }
  }

  @Test
  void fuzzedRequests_neverGet5xxAndErrorsKeepTheirShape() throws Exception {
    int requests = Integer.getInteger("bound.fuzz.requests", 2000);
    long seed = Long.getLong("bound.fuzz.seed", 20260801L);
    RequestFuzz fuzz = new RequestFuzz(seed);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long t0 = System.nanoTime();
    try (FakeUpstream upstream = new FakeUpstream(RequestFuzzTest::answer);
        Harness bound = new Harness(data, upstream.url(), Map.of("log.decisions", "false"));
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        int index = i;
        done.add(pool.submit(() -> {
          String why = check(bound, fuzz.make(index), ok, refused);
          if (why != null) {
            failures.add("request " + index + " (seed " + seed + "): " + why);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      HttpResponseCheck.valid(bound);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("fuzz: %d requests (seed %d) in %d ms: %d answered 2xx, %d refused 4xx, "
        + "%d failures%n", requests, seed, ms, ok.get(), refused.get(), failures.size());
    assertTrue(failures.isEmpty(), failures.size() + " failures, the first: "
        + failures.stream().limit(5).toList());
    assertEquals(requests, ok.get() + refused.get());
  }

  /** Null when the answer is acceptable, else what is wrong with it. */
  private static String check(Harness bound, RequestFuzz.Case c, AtomicInteger ok,
      AtomicInteger refused) {
    RawHttp.Response r;
    try {
      r = RawHttp.send(bound.gateway.port(), RawHttp.request(c.method(), c.path(), c.headers(),
          c.body()), 30_000);
    } catch (Exception e) {
      return "no answer: " + e;
    }
    if (r.status() < 0) {
      return "the connection closed without an answer";
    }
    if (r.status() >= 500) {
      return "status " + r.status() + ": " + r.text();
    }
    if (r.status() < 300) {
      ok.incrementAndGet();
      return null;
    }
    refused.incrementAndGet();
    JsonNode body = Json.parseOrNull(r.body());
    JsonNode e = body == null ? null : body.path("error");
    if (e == null || !e.has("message") || !e.has("type") || !e.has("param") || !e.has("code")) {
      return "status " + r.status() + " not in the OpenAI shape: " + r.text();
    }
    if (c.path().startsWith("/v1/messages") && !body.path("type").asText().equals("error")) {
      return "an Anthropic error without \"type\":\"error\": " + r.text();
    }
    return null;
  }

  /** The request every client sends, after the fuzzing. */
  private static final class HttpResponseCheck {
    static void valid(Harness bound) throws Exception {
      var r = bound.post("/chat/completions", Harness.ask("after the fuzzing"));
      assertEquals(200, r.statusCode(), r.body());
    }
  }
}
