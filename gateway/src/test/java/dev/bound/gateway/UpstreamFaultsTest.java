package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upstream that fails in every way a socket can: reset half way, stalled, dripping a byte at
 * a time, a stream cut before its last event, an answer too large to keep, malformed events, the
 * wrong content type. For each: what the client gets, that nothing is stored, and that the next
 * request is served as usual.
 */
class UpstreamFaultsTest {
  static final long TIMEOUT_MS = 2000;
  @TempDir static Path data;
  static ScriptedUpstream upstream;
  static Harness bound;

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream(UpstreamFaultsTest::script);
    bound = new Harness(data, upstream.url(), Map.of("upstream.timeout", TIMEOUT_MS + "ms",
        "cache.max-answer-bytes", "64KiB"));
  }

  @AfterAll
  static void stop() throws Exception {
    bound.close();
    upstream.close();
  }

  static String answer(String text) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":2,\"total_tokens\":5}}";
  }

  static void script(String path, String body, ScriptedUpstream.Conn c) throws Exception {
    String ok = answer("fine");
    if (body.contains("RESET_PLAIN")) {
      c.head(200, "application/json", ok.length());
      c.write(ok.substring(0, 20));
      c.reset();
    } else if (body.contains("RESET_STREAM")) {
      c.head(200, "text/event-stream", -1);
      c.write("data: " + FakeUpstream.chunk("Hello", null) + "\n\n");
      Thread.sleep(300); // so that the headers are in before the reset
      c.reset();
    } else if (body.contains("STALL_HEAD") || body.contains("LEAVE")
        || path.contains("STALL_HEAD")) {
      c.holdUntilClosed(20_000);
    } else if (body.contains("STALL_BODY")) {
      c.head(200, "application/json", ok.length());
      c.write(ok.substring(0, 20));
      c.holdUntilClosed(20_000);
    } else if (body.contains("DRIP")) {
      c.head(200, "application/json", ok.length());
      for (char ch : ok.toCharArray()) {
        c.write(String.valueOf(ch));
        Thread.sleep(200);
      }
    } else if (body.contains("TRUNCATE")) {
      c.head(200, "text/event-stream", -1);
      c.write(truncatedStream(path));
      // the connection closes here, before the protocol's last event
    } else if (body.contains("OVERSIZE")) {
      String big = "x".repeat(100_000);
      if (body.contains("\"stream\":true")) {
        c.head(200, "text/event-stream", -1);
        chatStream(c, big);
      } else {
        c.json(200, answer(big));
      }
    } else if (body.contains("MANY_CHUNKS")) {
      // 40,000 characters of answer, under the 64 KiB limit, in a stream of some 600 KB.
      c.head(200, "text/event-stream", -1);
      StringBuilder events = new StringBuilder();
      for (int i = 0; i < 4000; i++) {
        events.append("data: ").append(FakeUpstream.chunk("0123456789", null)).append("\n\n");
      }
      c.write(events.toString());
      chatStream(c, "");
    } else if (body.contains("MALFORMED")) {
      c.head(200, "text/event-stream", -1);
      c.write("data: {not json\n\n");
      chatStream(c, "after the garbage");
    } else if (body.contains("WRONG_TYPE")) {
      if (body.contains("\"stream\":true")) {
        c.json(200, ok);
      } else {
        c.head(200, "text/html", 17);
        c.write("<html>oops</html>");
      }
    } else if (body.contains("\"stream\":true")) {
      c.head(200, "text/event-stream", -1);
      chatStream(c, "fine");
    } else {
      c.json(200, ok);
    }
  }

  static void chatStream(ScriptedUpstream.Conn c, String text) throws Exception {
    c.write("data: " + FakeUpstream.chunk(text, null) + "\n\n");
    c.write("data: " + FakeUpstream.chunk(null, "stop") + "\n\n");
    c.write("data: {\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"fake\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":2,\"total_tokens\":5}}\n\n");
    c.write("data: [DONE]\n\n");
  }

  /** A stream that stops just before its protocol's last event. */
  static String truncatedStream(String path) {
    if (path.endsWith("/responses")) {
      return "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
          + "{\"id\":\"resp_1\",\"status\":\"in_progress\"}}\n\n"
          + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
          + "\"delta\":\"Hel\"}\n\n";
    }
    if (path.endsWith("/messages")) {
      return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
          + "\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake\","
          + "\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n"
          + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
          + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n"
          + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
          + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
          + "\"end_turn\"},\"usage\":{\"output_tokens\":1}}\n\n";
    }
    return "data: " + FakeUpstream.chunk("Hel", null) + "\n\n"
        + "data: " + FakeUpstream.chunk(null, "stop") + "\n\n";
  }

  static String chat(String prompt, boolean stream) {
    return "{\"model\":\"fake\",\"temperature\":0" + (stream ? ",\"stream\":true" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  /** Asks twice; both must go upstream, and the store must not grow. */
  static HttpResponse<String> twiceNotStored(String path, String body) throws Exception {
    HttpResponse<String> r = twiceNotStored(bound, upstream, path, body, 2000);
    stillServes();
    return r;
  }

  /**
   * Asks {@code bound} twice; both must reach {@code upstream}, the store must not grow, and no
   * upstream connection may be left open after {@code closeWaitMillis}.
   */
  static HttpResponse<String> twiceNotStored(Harness bound, ScriptedUpstream upstream,
      String path, String body, long closeWaitMillis) throws Exception {
    bound.gateway.awaitIndexed(); // an answer an earlier test stored is counted before, not during
    long entries = bound.gateway.entries();
    int calls = upstream.calls.get();
    HttpResponse<String> r = bound.post(path, body);
    bound.gateway.awaitIndexed();
    HttpResponse<String> again = bound.post(path, body);
    bound.gateway.awaitIndexed();
    assertEquals(calls + 2, upstream.calls.get(), "the second ask did not go upstream");
    assertEquals(entries, bound.gateway.entries());
    assertEquals(r.statusCode(), again.statusCode());
    assertEquals(0, upstream.awaitClosed(closeWaitMillis), "upstream connections left open");
    return r;
  }

  static void stillServes() throws Exception {
    String q = "still serving " + System.nanoTime();
    assertEquals("MISS", Harness.tier(bound.post("/chat/completions", chat(q, false),
        "X-Bound-Threshold", "1")));
    bound.gateway.awaitIndexed();
    HttpResponse<String> hit = bound.post("/chat/completions", chat(q, false));
    assertEquals("HIT-EXACT", Harness.tier(hit), hit.body());
  }

  static JsonNode error(HttpResponse<String> r, int status, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonNode e = Json.MAPPER.readTree(r.body()).path("error");
    for (String f : List.of("message", "type", "param", "code")) {
      assertTrue(e.has(f), "no " + f + " in " + r.body());
    }
    assertEquals(code, e.path("code").asText(), r.body());
    return e;
  }

  @Test
  void resetMidBody_plain_is502() throws Exception {
    error(twiceNotStored("/chat/completions", chat("RESET_PLAIN", false)), 502,
        "upstream_unreachable");
  }

  @Test
  void resetMidBody_stream_endsWithErrorEvent() throws Exception {
    String body = twiceNotStored("/chat/completions", chat("RESET_STREAM", true)).body();
    assertTrue(body.contains("\"code\":\"upstream_broke_off\""), body);
    assertFalse(body.contains("[DONE]"), body);
  }

  @Test
  void stallBeforeHeaders_is504WithinTheTimeout() throws Exception {
    long t0 = System.nanoTime();
    error(bound.post("/chat/completions", chat("STALL_HEAD", false)), 504, "upstream_timeout");
    assertTrue((System.nanoTime() - t0) / 1_000_000 < TIMEOUT_MS + 1500);
    assertEquals(0, upstream.awaitClosed(2000));
  }

  /** A request passed through untouched waits no longer for the upstream's headers. */
  @Test
  void passThrough_stallBeforeHeaders_is504WithinTheTimeout() throws Exception {
    long t0 = System.nanoTime();
    error(bound.get("/files/STALL_HEAD"), 504, "upstream_timeout");
    assertTrue((System.nanoTime() - t0) / 1_000_000 < TIMEOUT_MS + 1500);
    assertEquals(0, upstream.awaitClosed(2000), "Bound still holds the upstream");
    stillServes();
  }

  @Test
  void stallInBody_is504AndNothingStored() throws Exception {
    long t0 = System.nanoTime();
    error(twiceNotStored("/chat/completions", chat("STALL_BODY", false)), 504,
        "upstream_timeout");
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 2 * TIMEOUT_MS + 3000);
  }

  /** The probe's case: headers at once, then a byte at a time; the client waited 45 s+. */
  @Test
  void drip_isCutAtTheTimeoutWith504() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = bound.post("/chat/completions", chat("DRIP", false));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    error(r, 504, "upstream_timeout");
    assertTrue(ms < TIMEOUT_MS + 1000, ms + " ms");
    assertEquals(0, upstream.awaitClosed(1000), "Bound still holds the upstream");
    bound.gateway.awaitIndexed();
    assertTrue(bound.decisionLog().contains("upstream_timeout"));
    stillServes();
  }

  /**
   * The same drip behind /v1/embeddings, whose answer is read whole: before, only the headers
   * were bounded there, so the client waited for the last byte.
   */
  @Test
  void drip_onEmbeddings_isCutAtTheTimeoutWith504() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = bound.post("/embeddings",
        "{\"model\":\"fake-embed\",\"input\":[\"DRIP " + t0 + "\"]}");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    error(r, 504, "upstream_timeout");
    assertTrue(ms < TIMEOUT_MS + 1000, ms + " ms");
    assertEquals(0, upstream.awaitClosed(1000), "Bound still holds the upstream");
    stillServes();
  }

  /** The probe's case: 16 clients left, and all 16 upstream requests were still open 60 s on. */
  @Test
  void clientsThatLeave_cancelTheirUpstreamCalls(@TempDir Path own) throws Exception {
    // A Bound of its own with a long upstream.timeout, so that only the clients' leaving can
    // end the calls in the time allowed.
    try (Harness patient = new Harness(own, upstream.url(), Map.of("upstream.timeout", "60s"))) {
      leaveAndCheck(patient);
    }
    stillServes();
  }

  private static void leaveAndCheck(Harness patient) throws Exception {
    List<Socket> clients = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket("127.0.0.1", patient.gateway.port());
      OutputStream out = s.getOutputStream();
      out.write(RawHttp.request("POST", "/v1/chat/completions",
          "Host: 127.0.0.1\r\nContent-Type: application/json\r\n",
          chat("LEAVE " + i, false).getBytes(StandardCharsets.UTF_8)));
      out.flush();
      clients.add(s);
    }
    while (upstream.open.get() < 16 && System.nanoTime() - t0 < 10_000_000_000L) {
      Thread.sleep(10);
    }
    assertEquals(16, upstream.open.get());
    for (Socket s : clients) {
      s.close();
    }
    assertEquals(0, upstream.awaitClosed(1000), "upstream calls outlived their clients");
    assertTrue(patient.decisionLog().contains("\"not_stored\":\"the client went away\""));
  }

  @Test
  void truncatedStreams_endWithTheirProtocolsErrorEvent() throws Exception {
    String chat = twiceNotStored("/chat/completions", chat("TRUNCATE", true)).body();
    assertTrue(chat.endsWith("\"code\":\"upstream_broke_off\"}}\n\n"), chat);
    String responses = twiceNotStored("/responses", "{\"model\":\"fake\",\"temperature\":0,"
        + "\"stream\":true,\"input\":\"TRUNCATE\"}").body();
    assertTrue(responses.contains("event: error\ndata: {\"type\":\"error\",\"code\":"
        + "\"upstream_broke_off\""), responses);
    String messages = twiceNotStored("/messages", "{\"model\":\"fake\",\"temperature\":0,"
        + "\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"TRUNCATE\"}]}").body();
    assertTrue(messages.endsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
        + "\"api_error\",\"message\":\"The upstream ended the stream before its answer was "
        + "complete.\"}}\n\n"), messages);
  }

  @Test
  void oversizeAnswer_reachesTheClientButIsNotStored() throws Exception {
    HttpResponse<String> plain = twiceNotStored("/chat/completions", chat("OVERSIZE", false));
    assertEquals(200, plain.statusCode());
    assertTrue(plain.body().length() > 100_000);
    String stream = twiceNotStored("/chat/completions", chat("OVERSIZE", true)).body();
    assertTrue(stream.endsWith("data: [DONE]\n\n"));
    assertTrue(bound.decisionLog().contains("larger than cache.max-answer-bytes"));
  }

  /**
   * cache.max-answer-bytes bounds the answer as stored, not the stream that carried it, whose
   * chunks each repeat an id, a model and a time: this one was refused for its 600 KB of events.
   */
  @Test
  void streamLargerThanTheLimit_whoseAnswerIsUnder_isStored() throws Exception {
    String body = chat("MANY_CHUNKS", true);
    int calls = upstream.calls.get();
    HttpResponse<String> first = bound.post("/chat/completions", body);
    assertTrue(first.body().length() > 500_000, first.body().length() + " characters");
    bound.gateway.awaitIndexed();
    HttpResponse<String> again = bound.post("/chat/completions", body);
    assertEquals("HIT-EXACT", Harness.tier(again), bound.decisionLog());
    assertEquals(calls + 1, upstream.calls.get());
  }

  @Test
  void malformedEvents_arePassedOnAndNotStored() throws Exception {
    HttpResponse<String> r = twiceNotStored("/chat/completions", chat("MALFORMED", true));
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("{not json") && r.body().endsWith("data: [DONE]\n\n"),
        r.body());
    assertFalse(r.body().contains("upstream_broke_off"));
  }

  @Test
  void wrongContentType_isRelayedAndNotStored() throws Exception {
    HttpResponse<String> plain = twiceNotStored("/chat/completions", chat("WRONG_TYPE", false));
    assertEquals("<html>oops</html>", plain.body());
    HttpResponse<String> stream = twiceNotStored("/chat/completions", chat("WRONG_TYPE", true));
    assertTrue(stream.body().contains("chat.completion"), stream.body());
  }
}
