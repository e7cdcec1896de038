package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers of the wrong shape from an upstream that says 200: each is passed on to the client as
 * it came, and none is kept, so the next asker gets a fresh answer instead of the broken one
 * served as an exact hit. Found by fuzzing Bound against a misbehaving upstream.
 */
class UpstreamAnswerShapesTest {
  @TempDir static Path data;
  static FakeUpstream upstream;
  static Harness bound;
  /** What the upstream answers, by the question asked. */
  static final Map<String, String> WHOLE = new ConcurrentHashMap<>();
  static final Map<String, String[]> STREAM = new ConcurrentHashMap<>();
  static final Map<String, String> TYPE = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream(ctx -> {
      String body = ctx.body();
      String key = WHOLE.keySet().stream().filter(body::contains).findFirst()
          .orElse(STREAM.keySet().stream().filter(body::contains).findFirst().orElse(null));
      if (STREAM.containsKey(key)) {
        OutputStream out = FakeUpstream.sse(ctx);
        for (String e : STREAM.get(key)) {
          out.write((e + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
          out.flush();
        }
        return;
      }
      ctx.contentType(TYPE.getOrDefault(key, "application/json")).result(WHOLE.get(key));
    });
    bound = new Harness(data, upstream.url(), Map.of());
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  static String chatAnswer(String message) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake\","
        + "\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
  }

  /** Asks the same thing twice; both reach the upstream, and the client gets each answer. */
  static void neverKept(String path, String request) throws Exception {
    int calls = upstream.calls.get();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = bound.post(path, request);
      assertTrue(r.statusCode() == 200 || r.statusCode() == 502, r.statusCode() + " " + r.body());
      assertEquals("MISS", Harness.tier(r), r.body());
      bound.gateway.awaitIndexed();
    }
    assertEquals(calls + 2, upstream.calls.get(), request);
  }

  static String chat(String q, boolean stream) {
    return UpstreamFaultsTest.chat(q, stream);
  }

  @Test
  void chatAnswersOfTheWrongShape_areNotKept() throws Exception {
    String[][] cases = {
        {"null-content", "{\"role\":\"assistant\",\"content\":null}"},
        {"number-content", "{\"role\":\"assistant\",\"content\":42}"},
        {"array-content", "{\"role\":\"assistant\",\"content\":[\"a\"]}"},
        {"user-role", "{\"role\":\"user\",\"content\":\"hi\"}"},
        {"refusal", "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I cannot help.\"}"}};
    for (String[] c : cases) {
      WHOLE.put(c[0], chatAnswer(c[1]));
      neverKept("/chat/completions", chat(c[0], false));
    }
    WHOLE.put("twice-index-0", "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,"
        + "\"model\":\"fake\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"a\"},\"finish_reason\":\"stop\"},{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"b\"},\"finish_reason\":\"stop\"}]}");
    neverKept("/chat/completions", chat("twice-index-0", false));
    WHOLE.put("html-page", chatAnswer("{\"role\":\"assistant\",\"content\":\"fine\"}"));
    TYPE.put("html-page", "text/html");
    neverKept("/chat/completions", chat("html-page", false));
    // The same answer labelled JSON is kept: the checks above are about the shape, not luck.
    WHOLE.put("good-one", chatAnswer("{\"role\":\"assistant\",\"content\":\"fine\"}"));
    assertEquals("MISS", Harness.tier(bound.post("/chat/completions", chat("good-one", false))));
    bound.gateway.awaitIndexed();
    assertEquals("HIT-EXACT", Harness.tier(bound.post("/chat/completions",
        chat("good-one", false))));
  }

  @Test
  void otherApisAnswersOfTheWrongShape_areNotKept() throws Exception {
    WHOLE.put("msg-null-text", "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"fake\",\"content\":[{\"type\":\"text\",\"text\":null}],\"stop_reason\":"
        + "\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}");
    WHOLE.put("msg-no-content", "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"fake\",\"content\":[],\"stop_reason\":\"end_turn\",\"usage\":{"
        + "\"input_tokens\":3,\"output_tokens\":2}}");
    for (String q : new String[] {"msg-null-text", "msg-no-content"}) {
      neverKept("/messages", "{\"model\":\"fake\",\"temperature\":0,\"max_tokens\":50,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"" + q + "\"}]}");
    }
    WHOLE.put("resp-reasoning-only", "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":"
        + "\"completed\",\"model\":\"fake\",\"output\":[{\"type\":\"reasoning\",\"summary\":[]}]}");
    WHOLE.put("resp-number-text", "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":"
        + "\"completed\",\"model\":\"fake\",\"output\":[{\"type\":\"message\",\"role\":"
        + "\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":42}]}]}");
    for (String q : new String[] {"resp-reasoning-only", "resp-number-text"}) {
      neverKept("/responses", "{\"model\":\"fake\",\"temperature\":0,\"input\":\"" + q + "\"}");
    }
    WHOLE.put("emb-oops", "{\"object\":\"list\",\"model\":\"e\",\"data\":[{\"object\":"
        + "\"embedding\",\"index\":0,\"embedding\":\"oops\"}]}");
    int calls = upstream.calls.get();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = bound.post("/embeddings", "{\"model\":\"e\",\"input\":\"emb-oops\"}");
      assertEquals(200, r.statusCode(), r.body());
    }
    assertEquals(calls + 2, upstream.calls.get());
  }

  @Test
  void streamsOfTheWrongShape_arePassedOn_notKept_andNever500() throws Exception {
    String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":";
    STREAM.put("stream-number", new String[] {head + "{\"content\":42},\"finish_reason\":null}]}",
        head + "{},\"finish_reason\":\"stop\"}]}", "data: [DONE]"});
    STREAM.put("stream-bad-index", new String[] {"data: {\"id\":\"c\",\"object\":"
        + "\"chat.completion.chunk\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":"
        + "99999999,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}", "data: [DONE]"});
    for (String q : new String[] {"stream-number", "stream-bad-index"}) {
      neverKept("/chat/completions", chat(q, true));
    }
    // Anthropic: a message_start whose message is not an object; a block that is a number.
    STREAM.put("msg-stream-5", new String[] {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":5}",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"end_turn\"},\"usage\":{\"output_tokens\":1}}",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}"});
    STREAM.put("msg-block-5", new String[] {
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake\",\"content\":[],"
            + "\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":5}",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"end_turn\"},\"usage\":{\"output_tokens\":1}}",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}"});
    for (String q : new String[] {"msg-stream-5", "msg-block-5"}) {
      neverKept("/messages", "{\"model\":\"fake\",\"temperature\":0,\"max_tokens\":50,"
          + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + q + "\"}]}");
    }
    assertFalse(bound.decisionLog().contains("internal_error"));
  }

  /**
   * Usage past belief (10^15 tokens, 1e308, negative) is an answer like any other: kept and served
   * as a hit with no credit for those tokens, never a failed hit. The energy account refused such
   * counts, and every hit of the answer was a 500 recorded as a bypass.
   */
  @Test
  void usagePastBelief_isServedWithoutCredit() throws Exception {
    String[] usages = {"{\"prompt_tokens\":1000000000000000,\"completion_tokens\":1000000000000000}",
        "{\"prompt_tokens\":1e308,\"completion_tokens\":1e308}",
        "{\"prompt_tokens\":-1000,\"completion_tokens\":-5000}"};
    for (int i = 0; i < usages.length; i++) {
      String q = "usage past belief " + i;
      WHOLE.put(q, chatAnswer("{\"role\":\"assistant\",\"content\":\"fine\"}")
          .replace("{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}", usages[i]));
      assertEquals("MISS", Harness.tier(bound.post("/chat/completions", chat(q, false))));
      bound.gateway.awaitIndexed();
      for (boolean stream : new boolean[] {false, true}) {
        HttpResponse<String> hit = bound.post("/chat/completions", chat(q, stream));
        assertEquals(200, hit.statusCode(), hit.body());
        assertEquals("HIT-EXACT", Harness.tier(hit));
        assertTrue(hit.body().contains("fine"), hit.body());
        // No tokens credited: what is left is Bound's own lookup, a little below zero.
        assertTrue(Double.parseDouble(hit.headers().firstValue("X-Bound-Energy-Saved")
            .orElseThrow()) <= 0, usages[i]);
      }
    }
    String log = bound.decisionLog();
    assertFalse(log.contains("\"prompt_tokens\":-"), log);
    assertFalse(log.contains("1000000000000000"), log);
  }
}
