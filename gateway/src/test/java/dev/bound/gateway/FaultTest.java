package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams that go wrong: cut half way, stalled past the time-out, broken by an error event, or
 * left by the client. Nothing of them is stored, and Bound keeps serving other requests.
 */
class FaultTest {
  @TempDir static Path data;
  static FakeUpstream upstream;
  static Harness bound;
  static final AtomicBoolean upstreamSawDisconnect = new AtomicBoolean();
  static final CountDownLatch passThroughGate = new CountDownLatch(1);

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream(FaultTest::script);
    bound = new Harness(data, upstream.url(), Map.of("upstream.timeout", "1s"));
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  /** Behaves according to a marker word in the prompt. */
  static void script(io.javalin.http.Context ctx) throws Exception {
    if (ctx.path().equals("/v1/slow-pass-through")) {
      OutputStream out = ctx.res().getOutputStream();
      ctx.res().setContentType("text/plain");
      out.write("part one\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      passThroughGate.await(10, TimeUnit.SECONDS);
      out.write("part two\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    JsonNode req = Json.MAPPER.readTree(ctx.bodyAsBytes());
    String prompt = req.path("messages").get(0).path("content").asText();
    OutputStream out = FakeUpstream.sse(ctx);
    FakeUpstream.event(out, "{\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
        + "\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    FakeUpstream.event(out, FakeUpstream.chunk("Hello", null));
    if (prompt.contains("CUT")) {
      return; // the connection ends with no finish_reason and no [DONE]
    }
    if (prompt.contains("STALL")) {
      Thread.sleep(3000);
    }
    if (prompt.contains("ERROR")) {
      FakeUpstream.event(out, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
    }
    if (prompt.contains("LONG")) {
      try {
        for (int i = 0; i < 2000; i++) {
          FakeUpstream.event(out, FakeUpstream.chunk(" word" + i, null));
          Thread.sleep(5);
        }
      } catch (Exception e) {
        upstreamSawDisconnect.set(true);
        return;
      }
    }
    FakeUpstream.event(out, FakeUpstream.chunk(" world", null));
    FakeUpstream.event(out, FakeUpstream.chunk(null, "stop"));
    FakeUpstream.event(out, "{\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1,\"model\":\"fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":2,\"total_tokens\":5}}");
    FakeUpstream.event(out, "[DONE]");
  }

  private static String streamBody(String prompt) {
    return "{\"model\":\"fake\",\"temperature\":0,\"stream\":true,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  /** Sends the same streamed request twice; both must reach the upstream. */
  private static String twiceNotStored(String prompt) throws Exception {
    long entries = bound.gateway.entries();
    int calls = upstream.calls.get();
    HttpResponse<String> r = bound.post("/chat/completions", streamBody(prompt));
    bound.gateway.awaitIndexed();
    HttpResponse<String> again = bound.post("/chat/completions", streamBody(prompt));
    bound.gateway.awaitIndexed();
    assertEquals("MISS", again.headers().firstValue("X-Bound-Cache").orElseThrow());
    assertEquals(calls + 2, upstream.calls.get());
    assertEquals(entries, bound.gateway.entries());
    return r.body();
  }

  @Test
  void completeStream_isStored() throws Exception {
    bound.post("/chat/completions", streamBody("a normal question"));
    bound.gateway.awaitIndexed();
    HttpResponse<String> hit = bound.post("/chat/completions", streamBody("a normal question"));
    assertEquals("HIT-EXACT", hit.headers().firstValue("X-Bound-Cache").orElseThrow());
    assertTrue(hit.body().contains("Hello") && hit.body().endsWith("data: [DONE]\n\n"),
        hit.body());
  }

  @Test
  void cutHalfway_isNotStored() throws Exception {
    String body = twiceNotStored("please CUT");
    assertTrue(body.contains("Hello") && !body.contains("[DONE]"), body);
  }

  @Test
  void stallPastTimeout_endsWithAnErrorEventAndIsNotStored() throws Exception {
    String body = twiceNotStored("please STALL");
    assertTrue(body.contains("\"code\":\"upstream_timeout\""), body);
  }

  @Test
  void errorEvent_isPassedOnAndNotStored() throws Exception {
    String body = twiceNotStored("please ERROR");
    assertTrue(body.contains("overloaded"), body);
  }

  @Test
  void clientLeavesHalfway_cancelsUpstreamAndStoresNothing() throws Exception {
    long entries = bound.gateway.entries();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(bound.base() + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(streamBody("a LONG answer"))).build();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
        StandardCharsets.UTF_8))) {
      assertTrue(in.readLine().startsWith("data: "));
    } // closing the body drops the connection half way
    for (int i = 0; i < 200 && !upstreamSawDisconnect.get(); i++) {
      Thread.sleep(50);
    }
    assertTrue(upstreamSawDisconnect.get(), "the upstream request was not cancelled");
    bound.gateway.awaitIndexed();
    assertEquals(entries, bound.gateway.entries());
    completeStream_isStoredAfterFaults();
  }

  private static void completeStream_isStoredAfterFaults() throws Exception {
    String q = "still serving " + System.nanoTime();
    // Exact matching only: the prompts of the tests that call this resemble each other.
    assertEquals("MISS", bound.post("/chat/completions", streamBody(q), "X-Bound-Threshold", "1")
        .headers().firstValue("X-Bound-Cache").orElseThrow());
    bound.gateway.awaitIndexed();
    assertEquals("HIT-EXACT", bound.post("/chat/completions", streamBody(q)).headers()
        .firstValue("X-Bound-Cache").orElseThrow());
  }

  @Test
  void afterEveryFault_boundKeepsServing() throws Exception {
    twiceNotStored("again CUT");
    twiceNotStored("again ERROR");
    completeStream_isStoredAfterFaults();
  }

  @Test
  void passThrough_streamsWithoutBuffering() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
        URI.create(bound.base() + "/slow-pass-through")).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
        StandardCharsets.UTF_8))) {
      // The upstream holds "part two" back until the first part has reached the client.
      assertEquals("part one", in.readLine());
      assertFalse(passThroughGate.await(0, TimeUnit.SECONDS));
      passThroughGate.countDown();
      assertEquals("part two", in.readLine());
    }
  }
}
