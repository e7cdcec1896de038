package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams and answers an upstream gets wrong in ways a fuzzer found: for each, what the client
 * gets, in its protocol's error shape, and that nothing is stored.
 */
class StreamFaultsTest {
  @TempDir static Path data;
  static ScriptedUpstream upstream;
  static Harness bound;
  static final AtomicLong flooded = new AtomicLong();

  @BeforeAll
  static void start() throws Exception {
    upstream = new ScriptedUpstream(StreamFaultsTest::script);
    bound = new Harness(data, upstream.url(), Map.of("upstream.timeout", "10s"));
  }

  @AfterAll
  static void stop() throws Exception {
    bound.close();
    upstream.close();
  }

  static void script(String path, String body, ScriptedUpstream.Conn c) throws Exception {
    if (body.contains("ENDLESS_LINE")) {
      c.head(200, "text/event-stream", -1);
      if (!body.contains("at once")) {
        c.write("data: " + FakeUpstream.chunk("Hello", null) + "\n\n");
      }
      String block = "x".repeat(1 << 20);
      c.write("data: ");
      for (int i = 0; i < 40; i++) {
        c.write(block);
      }
      c.holdUntilClosed(5000);
    } else if (body.contains("AFTER_DONE")) {
      c.head(200, "text/event-stream", -1);
      UpstreamFaultsTest.chatStream(c, "fine");
      c.write("data: " + FakeUpstream.chunk(" EXTRA", null) + "\n\ndata: [DONE]\n\n");
    } else if (body.contains("HELD_OPEN")) {
      c.head(200, "text/event-stream", -1);
      UpstreamFaultsTest.chatStream(c, "fine");
      c.holdUntilClosed(20_000);
    } else if (body.contains("SMALL_FLOOD")) {
      // 1.25 MB of answer, which fits cache.max-answer-bytes, in some 20 MB of events.
      c.head(200, "text/event-stream", -1);
      StringBuilder events = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        events.append("data: ").append(FakeUpstream.chunk("0123456789", null)).append("\n\n");
      }
      for (int i = 0; i < 125 && !c.socket.isClosed(); i++) {
        c.write(events.toString());
        flooded.addAndGet(events.length());
      }
      c.write("data: " + FakeUpstream.chunk(null, "stop") + "\n\ndata: [DONE]\n\n");
    } else if (body.contains("FLOOD")) {
      c.head(200, "text/event-stream", -1);
      String event = "data: " + FakeUpstream.chunk("y".repeat(8000), null) + "\n\n";
      for (int i = 0; i < 25_000 && !c.socket.isClosed(); i++) {
        c.write(event);
        flooded.addAndGet(event.length());
      }
      c.write("data: " + FakeUpstream.chunk(null, "stop") + "\n\ndata: [DONE]\n\n");
    } else if (body.contains("OPENAI_SHAPED_ERROR")) {
      c.json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\","
          + "\"param\":null,\"code\":\"rate_limit\"}}");
    } else if (body.contains("HTML_ERROR")) {
      c.head(500, "text/html", 17);
      c.write("<html>oops</html>");
    } else if (body.contains("ANTHROPIC_ERROR")) {
      c.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
          + "\"message\":\"Overloaded\"}}");
    } else if (body.contains("SHORT_STREAM")) {
      String first = "data: " + FakeUpstream.chunk("Hello", null) + "\n\n";
      String last = "data: " + FakeUpstream.chunk(null, "stop") + "\n\ndata: [DONE]\n\n";
      c.head(200, "text/event-stream", first.length() + last.length());
      c.write(first + last.substring(0, 30));
      // and the connection closes, half way into an event, short of its Content-Length
    } else if (body.contains("SHORT_BODY")) {
      String ok = UpstreamFaultsTest.answer("fine");
      c.head(200, "application/json", ok.length());
      c.write(ok.substring(0, 20));
      // and the connection closes, 20 bytes into a body that announced more
    } else if (body.contains("NOT_JSON")) {
      c.json(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":");
    } else if (body.contains("TRUNCATE_RESPONSES")) {
      c.head(200, "text/event-stream", -1);
      String whole = responsesStream(false);
      c.write(whole.substring(0, whole.indexOf("event: response.completed")));
    } else if (body.contains("CUT_AFTER")) {
      c.head(200, "text/event-stream", -1);
      c.write("data: " + FakeUpstream.chunk("Hello", null) + "\n\n");
      c.write("data: " + CUT_AFTER.get(body.substring(body.indexOf("CUT_AFTER ") + 10,
          body.indexOf('"', body.indexOf("CUT_AFTER ")))) + "\n\n");
      // and the stream ends without [DONE]
    } else if (body.contains("EMPTY_STREAM")) {
      c.head(200, "text/event-stream", -1);
    } else if (path.endsWith("/responses")) {
      c.head(200, "text/event-stream", -1);
      c.write(responsesStream(body.contains("MIDWAY_ERROR")));
    } else if (path.endsWith("/messages")) {
      c.head(200, "text/event-stream", -1);
      c.write(messagesStream(body.contains("MIDWAY_ERROR")));
    } else if (body.contains("\"stream\":true")) {
      c.head(200, "text/event-stream", -1);
      UpstreamFaultsTest.chatStream(c, "fine");
    } else {
      c.json(200, UpstreamFaultsTest.answer("fine"));
    }
  }

  /** The last event of a chat stream cut before [DONE], by the name the prompt gives it. */
  static final Map<String, String> CUT_AFTER = Map.of(
      "typed-error", "{\"type\":\"error\",\"message\":\"overloaded\"}",
      "spaced-error", "{ \"type\": \"error\", \"message\": \"overloaded\" }",
      "error-after-choices", "{\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\","
          + "\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":"
          + "{\"content\":\"\"},\"finish_reason\":\"error\"}],\"error\":{\"code\":"
          + "\"server_error\",\"message\":\"Provider disconnected\"}}",
      "answer-about-errors", FakeUpstream.chunk(
          "{\\\"error\\\":{},\\\"type\\\":\\\"error\\\"}", null),
      "error-null", "{\"error\":null,\"id\":\"chatcmpl-f\",\"object\":"
          + "\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{"
          + "\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":null}]}");

  /** An OpenAI-shaped error event with no event name and no type, as some upstreams send. */
  static final String BARE_ERROR = "data: {\"error\":{\"message\":\"boom\",\"type\":"
      + "\"server_error\",\"param\":null,\"code\":null}}\n\n";

  /** A whole Responses stream, with an error event half way when asked. */
  static String responsesStream(boolean error) {
    return "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
        + "\"response\":"
        + "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"in_progress\"}}\n\n"
        + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
        + "\"sequence_number\":1,\"delta\":\"fine\"}\n\n"
        + (error ? BARE_ERROR : "")
        + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,"
        + "\"response\":"
        + "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"model\":\"fake\","
        + "\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\","
        + "\"role\":\"assistant\",\"status\":\"completed\",\"content\":[{\"type\":"
        + "\"output_text\",\"text\":\"fine\",\"annotations\":[]}]}],\"usage\":{"
        + "\"input_tokens\":3,\"output_tokens\":1,\"total_tokens\":4}}}\n\n";
  }

  /** A whole Messages stream, with an error event half way when asked. */
  static String messagesStream(boolean error) {
    return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":"
        + "\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake\","
        + "\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"fine\"}}\n\n"
        + (error ? BARE_ERROR : "")
        + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
        + "\"end_turn\"},\"usage\":{\"output_tokens\":1}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  }

  static String responsesAsk(String input) {
    return "{\"model\":\"fake\",\"temperature\":0,\"stream\":true,\"input\":\"" + input
        + "\"}";
  }

  static String messagesAsk(String input) {
    return "{\"model\":\"fake\",\"temperature\":0,\"max_tokens\":50,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + input + "\"}]}";
  }

  /** Asks twice; both must go upstream, and the store must not grow. */
  static HttpResponse<String> twiceNotStored(String path, String body) throws Exception {
    return UpstreamFaultsTest.twiceNotStored(bound, upstream, path, body, 3000);
  }

  @Test
  void endlessLine_endsTheStreamWithEventTooLarge() throws Exception {
    HttpResponse<String> r = twiceNotStored("/chat/completions",
        UpstreamFaultsTest.chat("ENDLESS_LINE", true));
    assertEquals(200, r.statusCode());
    assertTrue(r.body().startsWith("data: " + FakeUpstream.chunk("Hello", null)), r.body());
    assertTrue(r.body().endsWith("\"code\":\"upstream_event_too_large\"}}\n\n"), r.body());
    assertFalse(r.body().contains("xxxx"));
    assertTrue(bound.decisionLog().contains("an upstream event is larger than 32 MiB"));
  }

  /** Asks once upstream, then again, which must be an exact hit; returns both bodies. */
  static String[] storedOnce(String path, String body) throws Exception {
    int calls = upstream.calls.get();
    HttpResponse<String> first = bound.post(path, body);
    bound.gateway.awaitIndexed();
    HttpResponse<String> again = bound.post(path, body);
    assertEquals(calls + 1, upstream.calls.get(), "the second ask went upstream");
    assertEquals("HIT-EXACT", Harness.tier(again), again.body());
    return new String[] {first.body(), again.body()};
  }

  /** Before anything has gone to the client, the same is a whole 502 in the error shape. */
  @Test
  void endlessFirstLine_is502EventTooLarge() throws Exception {
    UpstreamFaultsTest.error(twiceNotStored("/chat/completions",
        UpstreamFaultsTest.chat("ENDLESS_LINE at once", true)), 502, "upstream_event_too_large");
  }

  @Test
  void eventsAfterDone_areNeitherPassedOnNorStored() throws Exception {
    String[] r = storedOnce("/chat/completions", UpstreamFaultsTest.chat("AFTER_DONE", true));
    assertTrue(r[0].endsWith("\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"), r[0]);
    assertFalse(r[0].contains("EXTRA"), r[0]);
    assertTrue(r[1].contains("fine") && !r[1].contains("EXTRA"), r[1]);
  }

  /** An upstream that keeps its stream open after [DONE] does not hold the client's answer. */
  @Test
  void streamHeldOpenAfterDone_endsForTheClientAtDone() throws Exception {
    long t0 = System.nanoTime();
    String[] r = storedOnce("/chat/completions", UpstreamFaultsTest.chat("HELD_OPEN", true));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(r[0].endsWith("data: [DONE]\n\n"), r[0]);
    assertTrue(ms < 5000, ms + " ms");
    assertEquals(0, upstream.awaitClosed(3000), "Bound still holds the upstream");
  }

  /**
   * A client that has read its stream's last event may ask again at once and find the answer
   * stored: it is handed to storage (and its journal) before that event is written. The upstream
   * holds its stream open past [DONE], which kept Bound reading after the client had its end.
   */
  @Test
  void streamedAnswer_isStoredBeforeTheClientSeesItsLastEvent() throws Exception {
    String body = UpstreamFaultsTest.chat("HELD_OPEN stored first", true);
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create(bound.base() + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<Stream<String>> first = client.send(request,
        HttpResponse.BodyHandlers.ofLines());
    int calls = upstream.calls.get();
    try (Stream<String> lines = first.body()) {
      assertTrue(lines.anyMatch(l -> l.equals("data: [DONE]")));
      HttpResponse<String> again = bound.post("/chat/completions", body);
      assertEquals("HIT-EXACT", Harness.tier(again), again.body());
    }
    assertEquals(calls, upstream.calls.get());
  }

  @Test
  void errorEventsInResponsesAndMessagesStreams_areNotStored() throws Exception {
    // The same streams without the error are stored, so what keeps these out is the error.
    storedOnce("/responses", responsesAsk("a clean Responses stream"));
    storedOnce("/messages", messagesAsk("a clean Messages stream"));
    String responses = twiceNotStored("/responses", responsesAsk("MIDWAY_ERROR")).body();
    assertTrue(responses.contains("boom"), responses);
    String messages = twiceNotStored("/messages", messagesAsk("MIDWAY_ERROR in Messages")).body();
    assertTrue(messages.contains("boom"), messages);
    assertTrue(bound.decisionLog().contains("the upstream sent an error event"));
  }

  /** An upstream stream that ends with no event is a clear 502, not an empty success. */
  @Test
  void emptyStream_is502InTheProtocolsShape() throws Exception {
    HttpResponse<String> responses = twiceNotStored("/responses", responsesAsk("EMPTY_STREAM"));
    UpstreamFaultsTest.error(responses, 502, "upstream_empty_stream");
    HttpResponse<String> chat = twiceNotStored("/chat/completions",
        UpstreamFaultsTest.chat("EMPTY_STREAM", true));
    UpstreamFaultsTest.error(chat, 502, "upstream_empty_stream");
    assertTrue(bound.decisionLog().contains("ended before its first event"));
  }

  /** A Responses stream cut half way ends with the Responses API's own error event. */
  @Test
  void responsesStreamCutOff_endsWithAResponsesErrorEvent() throws Exception {
    HttpResponse<String> r = twiceNotStored("/responses", responsesAsk("TRUNCATE_RESPONSES"));
    assertTrue(r.body().endsWith("event: error\ndata: {\"type\":\"error\",\"code\":"
        + "\"upstream_broke_off\",\"message\":\"The upstream ended the stream before its "
        + "answer was complete.\",\"param\":null,\"sequence_number\":2}\n\n"), r.body());
  }

  /**
   * A chat stream cut after the upstream's own error event ends there, with no second error
   * from Bound; one cut after an answer that merely speaks of errors ends with Bound's. Neither
   * is stored.
   */
  @Test
  void chatStreamCutOff_addsBrokeOffOnlyWhereTheUpstreamSentNoError() throws Exception {
    for (String cut : new String[] {"typed-error", "spaced-error", "error-after-choices"}) {
      String r = twiceNotStored("/chat/completions",
          UpstreamFaultsTest.chat("CUT_AFTER " + cut, true)).body();
      assertTrue(r.endsWith("data: " + CUT_AFTER.get(cut) + "\n\n"), cut + ": " + r);
      assertFalse(r.contains("upstream_broke_off"), cut + ": " + r);
    }
    for (String cut : new String[] {"answer-about-errors", "error-null"}) {
      String r = twiceNotStored("/chat/completions",
          UpstreamFaultsTest.chat("CUT_AFTER " + cut, true)).body();
      assertTrue(r.contains("data: " + CUT_AFTER.get(cut) + "\n\n"), cut + ": " + r);
      assertTrue(r.endsWith("\"code\":\"upstream_broke_off\"}}\n\n"), cut + ": " + r);
    }
  }

  /** A whole answer labelled JSON that does not parse is a 502, not a 200 no client can read. */
  @Test
  void plainAnswerNotJson_is502UpstreamInvalidAnswer() throws Exception {
    UpstreamFaultsTest.error(twiceNotStored("/chat/completions",
        UpstreamFaultsTest.chat("NOT_JSON", false)), 502, "upstream_invalid_answer");
    HttpResponse<String> messages = twiceNotStored("/messages",
        messagesAsk("NOT_JSON").replace(",\"stream\":true", ""));
    assertEquals(502, messages.statusCode(), messages.body());
    assertTrue(messages.body().contains("upstream_invalid_answer"), messages.body());
    assertTrue(bound.decisionLog().contains("the upstream's answer is not valid JSON"));
  }

  /** A body shorter than its Content-Length is named as such, on both whole-answer paths. */
  @Test
  void bodyShorterThanContentLength_is502Truncated() throws Exception {
    var chat = UpstreamFaultsTest.error(twiceNotStored("/chat/completions",
        UpstreamFaultsTest.chat("SHORT_BODY", false)), 502, "upstream_answer_truncated");
    assertTrue(chat.path("message").asText().contains("truncated"), chat.toString());
    var embeddings = UpstreamFaultsTest.error(bound.post("/embeddings",
        "{\"model\":\"fake-embed\",\"input\":[\"SHORT_BODY\"]}"), 502,
        "upstream_answer_truncated");
    assertTrue(embeddings.path("message").asText().contains("truncated"), embeddings.toString());
  }

  /**
   * The same for a stream: what came whole is passed on, the half event is not, and the stream
   * ends with Bound's error event.
   */
  @Test
  void streamShorterThanContentLength_endsWithBrokeOff() throws Exception {
    String r = twiceNotStored("/chat/completions",
        UpstreamFaultsTest.chat("SHORT_STREAM", true)).body();
    assertEquals("data: " + FakeUpstream.chunk("Hello", null) + "\n\ndata: {\"error\":{"
        + "\"message\":\"The upstream ended the stream before its answer was complete.\","
        + "\"type\":\"upstream_error\",\"param\":null,\"code\":\"upstream_broke_off\"}}\n\n",
        r);
  }

  /** The error of a whole Messages answer, which must be in Anthropic's shape. */
  static JsonNode anthropicError(HttpResponse<String> r,
      int status, String type) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"),
        r.headers().toString());
    var body = Json.MAPPER.readTree(r.body());
    assertEquals("error", body.path("type").asText(), r.body());
    assertEquals(type, body.path("error").path("type").asText(), r.body());
    assertTrue(body.path("error").path("message").isTextual(), r.body());
    return body.path("error");
  }

  static String plainMessages(String input) {
    return messagesAsk(input).replace(",\"stream\":true", "");
  }

  @Test
  void messagesErrors_areInAnthropicsShape() throws Exception {
    // Bound's own: bad input, and an upstream failure.
    anthropicError(bound.post("/messages", "{\"model\":\"m\",\"max_tokens\":9}"), 400,
        "invalid_request_error");
    var invalid = anthropicError(bound.post("/messages", plainMessages("NOT_JSON again")), 502,
        "api_error");
    assertEquals("upstream_invalid_answer", invalid.path("code").asText());
    // The upstream's, in another shape or none: rebuilt from its status and message.
    var limited = anthropicError(bound.post("/messages", plainMessages("OPENAI_SHAPED_ERROR")),
        429, "rate_limit_error");
    assertEquals("slow down", limited.path("message").asText());
    anthropicError(bound.post("/messages", plainMessages("HTML_ERROR")), 500, "api_error");
    // Anthropic's own passes unchanged.
    HttpResponse<String> own = bound.post("/messages", plainMessages("ANTHROPIC_ERROR"));
    assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}", own.body());
    // The same for a streamed request the upstream refused.
    anthropicError(bound.post("/messages", messagesAsk("OPENAI_SHAPED_ERROR streamed")), 429,
        "rate_limit_error");
    // Other endpoints keep the OpenAI shape for the same upstream error.
    HttpResponse<String> chat = bound.post("/chat/completions",
        UpstreamFaultsTest.chat("OPENAI_SHAPED_ERROR", false));
    assertEquals(429, chat.statusCode());
    assertTrue(chat.body().startsWith("{\"error\":{\"message\":\"slow down\""), chat.body());
  }

  /** Sends a streamed request and reads nothing of the answer, from a small receive buffer. */
  static Socket askAndStopReading(Harness h, String prompt) throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new java.net.InetSocketAddress("127.0.0.1", h.gateway.port()));
    flooded.set(0);
    s.getOutputStream().write(RawHttp.request("POST", "/v1/chat/completions",
        "Host: 127.0.0.1\r\nContent-Type: application/json\r\n",
        UpstreamFaultsTest.chat(prompt, true).getBytes(StandardCharsets.UTF_8)));
    return s;
  }

  /** Waits until the decision log holds {@code text}, at most 15 s. */
  static String awaitDecision(Harness h, String text) throws Exception {
    long t0 = System.nanoTime();
    while (!h.decisionLog().contains(text) && System.nanoTime() - t0 < 15_000_000_000L) {
      Thread.sleep(100);
    }
    return h.decisionLog();
  }

  /**
   * A client that stops reading its stream: Bound holds no more than the sockets do (the
   * upstream is held back with it), and drops the client at half server.idle-timeout; an answer
   * too large to store is then not read on, and the upstream call ends.
   */
  @Test
  void clientThatStopsReading_isDropped_andAnAnswerTooLargeToStoreIsNotReadOn(@TempDir Path own)
      throws Exception {
    try (Harness h = new Harness(own, upstream.url(), Map.of("upstream.timeout", "60s",
        "server.idle-timeout", "2s"));
        Socket s = askAndStopReading(h, "FLOOD")) {
      String log = awaitDecision(h, "\"not_stored\"");
      assertTrue(log.contains("\"not_stored\":\"the answer is larger than "
          + "cache.max-answer-bytes"), log);
      assertTrue(log.contains("\"aborted\":true"), log);
      assertEquals(0, upstream.awaitClosed(3000), "Bound still holds the upstream");
      assertTrue(flooded.get() < 64L << 20, flooded.get() + " bytes sent by the upstream");
      assertEquals(0, h.gateway.entries());
    }
  }

  /**
   * The same client with an answer that fits: once dropped, the rest of the stream is read
   * without it and the answer stored, so the upstream's work is not lost.
   */
  @Test
  void clientThatStopsReading_isDropped_andAnAnswerThatFitsIsStillStored(@TempDir Path own)
      throws Exception {
    try (Harness h = new Harness(own, upstream.url(), Map.of("upstream.timeout", "60s",
        "server.idle-timeout", "2s"));
        Socket s = askAndStopReading(h, "SMALL_FLOOD")) {
      String log = awaitDecision(h, "\"aborted\":true");
      assertTrue(log.contains("\"stored\":\"ent_"), log);
      assertFalse(log.contains("not_stored"), log);
      h.gateway.awaitIndexed();
      assertEquals(1, h.gateway.entries());
      HttpResponse<String> again = h.post("/chat/completions",
          UpstreamFaultsTest.chat("SMALL_FLOOD", true));
      assertEquals("HIT-EXACT", Harness.tier(again));
    }
  }

  /**
   * After a stream's last event Bound reads on only a little, enough for the end of a chunked
   * body that comes just after it, so the connection goes back to the pool: two streamed misses
   * in turn use one upstream connection.
   */
  @Test
  void streamEndingJustAfterItsLastEvent_leavesItsConnectionReusable(@TempDir Path own)
      throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> keepAliveUpstream(server, connections));
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
      try (Harness h = new Harness(own, url, Map.of("upstream.timeout", "10s"))) {
        for (String q : new String[] {"first question", "second question"}) {
          HttpResponse<String> r = h.post("/chat/completions", UpstreamFaultsTest.chat(q, true));
          assertTrue(r.body().endsWith("data: [DONE]\n\n"), r.body());
        }
        assertEquals(1, connections.get(), "the first connection was not reused");
      }
    }
  }

  /** Answers every request on a connection with a chunked chat stream, keeping it open. */
  private static void keepAliveUpstream(ServerSocket server, AtomicInteger connections) {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> {
          try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String head;
            while ((head = requestHead(in)) != null) {
              int length = 0;
              for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                  length = Integer.parseInt(line.substring(15).strip());
                }
              }
              in.readNBytes(length);
              out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
              for (String e : new String[] {FakeUpstream.chunk("fine", null),
                  FakeUpstream.chunk(null, "stop"), "[DONE]"}) {
                byte[] event = ("data: " + e + "\n\n").getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(event.length) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
                out.write(event);
                out.write("\r\n".getBytes(StandardCharsets.UTF_8));
              }
              out.flush();
              Thread.sleep(20); // the body's last chunk comes a moment after its last event
              out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          } catch (Exception e) {
            // Bound closed the connection
          }
        });
      } catch (IOException e) {
        return;
      }
    }
  }

  /** A request's head, up to its blank line; null at the end of the connection. */
  private static String requestHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.toString();
      }
    }
    return null;
  }
}
