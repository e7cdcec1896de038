package dev.bound.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The collectors and error events of streamed answers, without a server. */
class StreamCollectorsTest {
  private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
      + "\"finish_reason\":null}]}";

  private static SseReader.Event event(String name, String data) {
    String raw = (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
    return new SseReader.Event(name, data, raw.getBytes(StandardCharsets.UTF_8));
  }

  private static ProtocolRequest request(Protocol p, String json) {
    return p.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void chat_collectsNoMoreOnceFailed() {
    StreamCollector c = request(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").collector(true);
    c.accept(event(null, CHUNK.formatted("abc")));
    assertEquals(3, c.collected());
    c.fail("too large");
    c.accept(event(null, CHUNK.formatted("defg")));
    assertEquals(3, c.collected());
    assertTrue(c.failed());
  }

  /**
   * The upstream's error in a chat stream is told from the parsed chunk, not its text: typed, or
   * an error object beside the choices, but not an "error": null nor an answer about errors.
   */
  @Test
  void chat_upstreamError_fromTheParsedChunk() {
    String ask = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    for (String error : new String[] {"{\"type\":\"error\",\"message\":\"overloaded\"}",
        "{ \"type\": \"error\" }", "{\"choices\":[],\"error\":{\"message\":\"boom\"}}"}) {
      StreamCollector c = request(ChatProtocol.INSTANCE, ask).collector(true);
      c.accept(event(null, CHUNK.formatted("abc")));
      assertFalse(c.upstreamError(), error);
      c.accept(event(null, error));
      assertTrue(c.upstreamError(), error);
      assertEquals("the upstream sent an error event", c.incomplete(), error);
    }
    StreamCollector c = request(ChatProtocol.INSTANCE, ask).collector(true);
    c.accept(event(null, CHUNK.formatted("{\\\"error\\\":{},\\\"type\\\":\\\"error\\\"}")));
    c.accept(event(null, "{\"error\":null," + CHUNK.formatted("").substring(1)
        .replace("\"finish_reason\":null", "\"finish_reason\":\"stop\"")));
    c.accept(event(null, "[DONE]"));
    assertFalse(c.upstreamError());
    assertEquals(null, c.incomplete());
    assertEquals("{\"error\":{},\"type\":\"error\"}",
        c.answer().at("/choices/0/message/content").asText());
  }

  @Test
  void completions_joinTheLogprobsOfEveryChunk() {
    StreamCollector c = request(CompletionsProtocol.INSTANCE, "{\"model\":\"m\",\"stream\":true,"
        + "\"logprobs\":1,\"prompt\":\"Once\"}").collector(true);
    String chunk = "{\"id\":\"c\",\"object\":\"text_completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"text\":\"%s\",\"logprobs\":{\"tokens\":[\"%s\"],"
        + "\"token_logprobs\":[-0.5],\"top_logprobs\":null,\"text_offset\":[%d]},"
        + "\"finish_reason\":%s}]}";
    c.accept(event(null, chunk.formatted(" upon", " upon", 4, "null")));
    c.accept(event(null, chunk.formatted(" a", " a", 9, "\"stop\"")));
    c.accept(event(null, "[DONE]"));
    assertEquals(null, c.incomplete());
    var logprobs = c.answer().at("/choices/0/logprobs");
    assertEquals("[\" upon\",\" a\"]", logprobs.path("tokens").toString());
    assertEquals("[4,9]", logprobs.path("text_offset").toString());
  }

  @Test
  void responses_bareErrorFails_andSequenceFollowsTheEvents() {
    StreamCollector c = request(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"stream\":true,"
        + "\"input\":\"hi\"}").collector(true);
    c.accept(event("response.created", "{\"type\":\"response.created\",\"sequence_number\":4,"
        + "\"response\":{}}"));
    assertFalse(c.failed());
    assertEquals(5, c.nextSequence());
    c.accept(event(null, "{\"error\":{\"message\":\"boom\"}}"));
    assertTrue(c.failed());
    assertEquals("the upstream sent an error event", c.incomplete());
  }

  @Test
  void responsesAndMessages_rewriteABareErrorIntoTheirOwnEvent() {
    SseReader.Event bare = event(null, "{\"error\":{\"message\":\"boom\",\"code\":\"x\"}}");
    assertEquals("event: error\ndata: {\"type\":\"error\",\"code\":\"x\",\"message\":\"boom\","
        + "\"param\":null,\"sequence_number\":7}\n\n", new String(request(
            ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":\"hi\"}")
            .passedOn(bare, 7), StandardCharsets.UTF_8));
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
        + "\"message\":\"boom\"}}\n\n", new String(request(MessagesProtocol.INSTANCE,
            "{\"model\":\"m\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"hi\"}]}").passedOn(bare, 7), StandardCharsets.UTF_8));
    SseReader.Event typed = event("error", "{\"type\":\"error\",\"error\":{\"type\":"
        + "\"overloaded_error\",\"message\":\"Overloaded\"}}");
    assertArrayEquals(typed.raw(), request(MessagesProtocol.INSTANCE, "{\"model\":\"m\","
        + "\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .passedOn(typed, 0));
  }

  /** The type of an error event in a Messages stream says what failed, as Anthropic's would. */
  @Test
  void messages_errorEventsTakeTheAnthropicTypeThatFits() {
    ProtocolRequest m = request(MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{\"message\":\"b\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}",
        "rate_limit_error");
    cases.put("{\"message\":\"b\",\"type\":\"invalid_request_error\",\"code\":"
        + "\"context_length_exceeded\"}", "invalid_request_error");
    cases.put("{\"message\":\"b\",\"type\":\"invalid_request_error\"}",
        "invalid_request_error");
    cases.put("{\"message\":\"b\",\"code\":\"overloaded\"}", "overloaded_error");
    // vLLM gives the HTTP status as the code.
    cases.put("{\"message\":\"b\",\"type\":\"ServiceUnavailableError\",\"code\":529}",
        "overloaded_error");
    cases.put("{\"message\":\"b\",\"type\":\"RateLimitError\",\"code\":429}",
        "rate_limit_error");
    cases.put("{\"message\":\"b\",\"type\":\"BadRequestError\",\"code\":400}",
        "invalid_request_error");
    cases.put("{\"message\":\"b\",\"type\":\"server_error\"}", "api_error");
    cases.forEach((error, type) -> assertEquals("event: error\ndata: {\"type\":\"error\","
        + "\"error\":{\"type\":\"" + type + "\",\"message\":\"b\"}}\n\n", new String(
            m.passedOn(event(null, "{\"error\":" + error + "}"), 0), StandardCharsets.UTF_8),
        error));
    // Bound's own: the upstream failed, which Anthropic calls an api_error.
    for (String own : new String[] {"upstream_timeout", "upstream_broke_off",
        "upstream_event_too_large"}) {
      assertTrue(new String(m.errorEvent("x", own, 0), StandardCharsets.UTF_8)
          .contains("{\"type\":\"api_error\""), own);
    }
  }
}
