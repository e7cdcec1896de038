package dev.bound.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same question through each API comes out as the same canonical request and answer. */
class TranslationTest {
  private static CanonicalRequest parse(Protocol p, String json) {
    return p.parse(json.getBytes(StandardCharsets.UTF_8)).canonical();
  }

  private static String scope(CanonicalRequest c) {
    ObjectNode basis = Json.object();
    basis.put("kind", c.kind().scopeName);
    basis.set("params", c.params());
    basis.set("context", c.context());
    return Json.canonical(basis);
  }

  private static final String TOOL_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":"
      + "{\"type\":\"string\"}},\"required\":[\"city\"]}";

  @Test
  void sameQuestion_withSystemAndTools_hasOneScopeInEveryChatApi() {
    CanonicalRequest chat = parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"temperature\":0,"
        + "\"max_tokens\":100,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[{\"type\":"
        + "\"function\",\"function\":{\"name\":\"weather\",\"parameters\":" + TOOL_SCHEMA
        + "}}]}");
    CanonicalRequest messages = parse(MessagesProtocol.INSTANCE, "{\"model\":\"m\","
        + "\"temperature\":0,\"max_tokens\":100,\"system\":\"Be brief.\",\"messages\":[{\"role\":"
        + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather in Paris?\"}]}],"
        + "\"tools\":[{\"name\":\"weather\",\"input_schema\":" + TOOL_SCHEMA + "}]}");
    assertEquals("Weather in Paris?", chat.queryText());
    assertEquals(chat.queryText(), messages.queryText());
    assertEquals(scope(chat), scope(messages));

    CanonicalRequest chat2 = parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"temperature\":0,"
        + "\"max_tokens\":200,\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"Be brief.\"},{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[{"
        + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"parameters\":"
        + TOOL_SCHEMA + "}}]}");
    CanonicalRequest responses = parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\","
        + "\"temperature\":0,\"max_output_tokens\":200,\"instructions\":\"Be brief.\","
        + "\"input\":\"Weather in Paris?\",\"tools\":[{\"type\":\"function\",\"name\":"
        + "\"weather\",\"parameters\":" + TOOL_SCHEMA + "}],\"store\":false}");
    assertEquals(scope(chat2), scope(responses));
    assertEquals(scope(chat), scope(chat2), "the token limit is checked per answer instead");
    assertEquals(Long.valueOf(200), responses.maxTokens());
    assertEquals(Long.valueOf(100), messages.maxTokens());
  }

  @Test
  void structuredOutput_translatesToResponseFormat() {
    String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}";
    CanonicalRequest chat = parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"messages\":[{"
        + "\"role\":\"user\",\"content\":\"Count\"}],\"response_format\":{\"type\":"
        + "\"json_schema\",\"json_schema\":{\"name\":\"c\",\"schema\":" + schema + "}}}");
    CanonicalRequest responses = parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":"
        + "[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Count\"}]}],"
        + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"c\",\"schema\":" + schema
        + "}}}");
    assertEquals(scope(chat), scope(responses));
  }

  @Test
  void toolTurns_translateToChatToolCallsAndResults() {
    CanonicalRequest chat = parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"w\","
        + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\","
        + "\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]}");
    CanonicalRequest responses = parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":["
        + "{\"role\":\"user\",\"content\":\"Weather?\"},{\"type\":\"function_call\",\"call_id\":"
        + "\"c1\",\"name\":\"w\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},{\"type\":"
        + "\"function_call_output\",\"call_id\":\"c1\",\"output\":\"sunny\"}]}");
    CanonicalRequest messages = parse(MessagesProtocol.INSTANCE, "{\"model\":\"m\","
        + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"w\","
        + "\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"tool_result\",\"tool_use_id\":\"c1\",\"content\":\"sunny\"}]}]}");
    assertEquals(scope(chat), scope(responses));
    assertNull(chat.queryText(), "a tool result is not a question");
    assertNull(messages.queryText());
    assertEquals(CanonicalRequest.NO_USER_TEXT, messages.noQuery());
  }

  @Test
  void anthropicToolResults_differingInImagesOrFailure_areDifferentRequests() {
    java.util.function.Function<String, String> ask = result -> scope(parse(
        MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Show the sales chart\"},{\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"chart\",\"input\":{}}]},"
        + "{\"role\":\"user\",\"content\":[" + result + ",{\"type\":\"text\",\"text\":"
        + "\"What does it show?\"}]}]}"));
    String image = "{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":[{\"type\":"
        + "\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"";
    assertNotEquals(ask.apply(image + "AAAA\"}}]}"), ask.apply(image + "BBBB\"}}]}"));
    String text = "{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"Revenue "
        + "rose 5%\"";
    assertNotEquals(ask.apply(text + "}"), ask.apply(text + ",\"is_error\":true}"));
    String odd = "{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":[{\"type\":"
        + "\"text\",\"text\":";
    assertNotEquals(ask.apply(odd + "{\"rose\":5}}]}"), ask.apply(odd + "{\"fell\":5}}]}"));
    // Text given as a string or as one text block is the same result.
    assertEquals(ask.apply(text + "}"), ask.apply("{\"type\":\"tool_result\",\"tool_use_id\":"
        + "\"t1\",\"content\":[{\"type\":\"text\",\"text\":\"Revenue rose 5%\"}]}"));
  }

  @Test
  void anthropicImagesFromUploadedFiles_areDifferentRequests() {
    java.util.function.Function<String, String> ask = source -> scope(parse(
        MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{"
        + "\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":" + source
        + "},{\"type\":\"text\",\"text\":\"Describe this picture\"}]}]}"));
    assertNotEquals(ask.apply("{\"type\":\"file\",\"file_id\":\"file_AAA\"}"),
        ask.apply("{\"type\":\"file\",\"file_id\":\"file_BBB\"}"));
    assertNotEquals(ask.apply("{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}"),
        ask.apply("{\"type\":\"url\",\"url\":\"https://example.com/b.png\"}"));
    assertNotEquals(ask.apply("{\"type\":\"url\",\"url\":{\"href\":\"https://example.com/a.png\"}}"),
        ask.apply("{\"type\":\"url\",\"url\":{\"href\":\"https://example.com/b.png\"}}"));
    assertNotEquals(ask.apply("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":[1]}"),
        ask.apply("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":[2]}"));
    // A URL image is still the chat request with that image_url.
    assertEquals(ask.apply("{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}"),
        scope(parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{"
        + "\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
        + "\"https://example.com/a.png\"}},{\"type\":\"text\",\"text\":\"Describe this picture\"}"
        + "]}]}")));
  }

  @Test
  void anthropicToolSettingsBeyondTheSchema_belongToTheRequest() {
    java.util.function.Function<String, String> ask = extra -> scope(parse(
        MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":"
        + "\"weather\",\"input_schema\":" + TOOL_SCHEMA + extra + "}],\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"Tell me about Rome\"}]}"));
    String plain = ask.apply("");
    assertNotEquals(plain, ask.apply(",\"strict\":true"));
    assertNotEquals(plain, ask.apply(",\"input_examples\":[{\"city\":\"Rome\"}]"));
    assertEquals(plain, ask.apply(",\"type\":\"custom\",\"cache_control\":{\"type\":"
        + "\"ephemeral\"}"));
    // Strict is chat's strict: the same tool through either API is the same request.
    assertEquals(ask.apply(",\"strict\":true"), scope(parse(ChatProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"type\":\"function\",\"function\":{"
        + "\"name\":\"weather\",\"parameters\":" + TOOL_SCHEMA + ",\"strict\":true}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about Rome\"}]}")));
  }

  @Test
  void responsesImagesGivenAsObjects_areDifferentRequests() {
    java.util.function.Function<String, String> ask = image -> scope(parse(
        ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"input_text\",\"text\":\"Which cat breed is this\"},"
        + "{\"type\":\"input_image\",\"image_url\":" + image + "}]}]}"));
    assertNotEquals(ask.apply("{\"url\":\"https://example.com/cat1.png\"}"),
        ask.apply("{\"url\":\"https://example.com/cat2.png\"}"));
    assertNotEquals(ask.apply("\"https://example.com/cat1.png\""),
        ask.apply("\"https://example.com/cat2.png\""));
  }

  @Test
  void forcedToolNamesThatAreNotText_areDifferentRequests() {
    java.util.function.Function<String, String> messages = name -> scope(parse(
        MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":"
        + "\"a\",\"input_schema\":{}}],\"tool_choice\":{\"type\":\"tool\",\"name\":" + name
        + "},\"messages\":[{\"role\":\"user\",\"content\":\"Go\"}]}"));
    assertNotEquals(messages.apply("{\"n\":\"a\"}"), messages.apply("{\"n\":\"b\"}"));
    java.util.function.Function<String, String> responses = name -> scope(parse(
        ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"tools\":[{\"type\":\"function\","
        + "\"name\":\"a\"}],\"tool_choice\":{\"type\":\"function\",\"name\":" + name
        + "},\"input\":\"Go\"}"));
    assertNotEquals(responses.apply("[\"a\"]"), responses.apply("[\"b\"]"));
    // A name given as text is chat's tool choice by that name, as before.
    assertEquals(responses.apply("\"a\""), scope(parse(ChatProtocol.INSTANCE, "{\"model\":\"m\","
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],\"tool_choice\":"
        + "{\"type\":\"function\",\"function\":{\"name\":\"a\"}},\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"Go\"}]}")));
  }

  @Test
  void textAmongImages_keepsItsPlace() {
    String a = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}";
    String b = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/b.png\"}}";
    java.util.function.Function<String, String> ask = parts -> scope(parse(ChatProtocol.INSTANCE,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + parts + "]}]}"));
    String alice = "{\"type\":\"text\",\"text\":\"Alice:\"}";
    String bob = "{\"type\":\"text\",\"text\":\"Bob:\"}";
    String q = "{\"type\":\"text\",\"text\":\"Who looks older?\"}";
    assertNotEquals(ask.apply(alice + "," + a + "," + bob + "," + b + "," + q),
        ask.apply(a + "," + alice + "," + b + "," + bob + "," + q));
    assertEquals(ask.apply(alice + "," + a + "," + bob + "," + b + "," + q),
        ask.apply(alice + "," + a + "," + bob + "," + b + "," + q));
  }

  @Test
  void responsesReasoningSummary_belongsToTheRequest() {
    String plain = scope(parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":\"hi\","
        + "\"reasoning\":{\"effort\":\"low\"}}"));
    String summary = scope(parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":"
        + "\"hi\",\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"}}"));
    assertNotEquals(plain, summary);
  }

  /**
   * A top-level field the API does not define is part of the scope, as an unknown field of a
   * chat request is, even where chat has the name and leaves it out: a request that differs
   * there (and that the real API would refuse) never shares an answer.
   */
  @Test
  void strayTopLevelFields_belongToTheRequest() {
    String responses = "{\"model\":\"m\",\"input\":\"hi\"";
    String plain = scope(parse(ResponsesProtocol.INSTANCE, responses + "}"));
    for (String stray : List.of("\"n\":1", "\"messages\":[]", "\"top_k\":1",
        "\"max_tokens\":50", "\"max_completion_tokens\":50", "\"frobnicate\":true")) {
      CanonicalRequest c = parse(ResponsesProtocol.INSTANCE, responses + "," + stray + "}");
      assertNotEquals(plain, scope(c), stray);
      assertNull(c.maxTokens(), stray);
    }
    String messages = "{\"model\":\"m\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]";
    plain = scope(parse(MessagesProtocol.INSTANCE, messages + "}"));
    for (String stray : List.of("\"n\":1", "\"user\":\"u\"", "\"store\":true",
        "\"max_completion_tokens\":500", "\"frobnicate\":true")) {
      CanonicalRequest c = parse(MessagesProtocol.INSTANCE, messages + "," + stray + "}");
      assertNotEquals(plain, scope(c), stray);
      assertEquals(9L, c.maxTokens(), stray);
    }
    // Their own fields that do not shape the answer stay out of the scope.
    assertEquals(scope(parse(ResponsesProtocol.INSTANCE, responses + "}")), scope(parse(
        ResponsesProtocol.INSTANCE, responses + ",\"user\":\"u\",\"store\":true}")));
    assertEquals(plain, scope(parse(MessagesProtocol.INSTANCE, messages + ",\"top_k\":1,"
        + "\"metadata\":{\"user_id\":\"u\"}}")));
  }

  /**
   * An answer that thinks carries its signed thinking blocks for Messages clients; a chat or
   * Responses request that sends the same "thinking" field used to share its scope and get them.
   */
  @Test
  void thinking_scopesMessagesApartFromChatAndResponses() {
    String thinking = "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000}";
    String messages = scope(parse(MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":9,"
        + thinking + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    String chat = scope(parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":9,"
        + thinking + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    String responses = scope(parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\","
        + "\"max_output_tokens\":9," + thinking + ",\"input\":\"hi\"}"));
    assertNotEquals(messages, chat);
    assertNotEquals(messages, responses);
    // without it, the three still share one answer
    assertEquals(scope(parse(MessagesProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")),
        scope(parse(ChatProtocol.INSTANCE, "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  @Test
  void serverSideState_bypasses() {
    assertTrue(parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":\"hi\","
        + "\"previous_response_id\":\"resp_1\"}").bypass().contains("previous_response_id"));
    assertTrue(parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":\"hi\","
        + "\"conversation\":\"conv_1\"}").bypass().contains("conversation"));
    assertNull(parse(ResponsesProtocol.INSTANCE, "{\"model\":\"m\",\"input\":\"hi\"}").bypass());
  }

  @Test
  void badInput_isRefusedWithTheField() {
    ApiException e = assertThrows(ApiException.class, () -> parse(MessagesProtocol.INSTANCE,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertEquals("max_tokens", e.param);
    e = assertThrows(ApiException.class, () -> parse(ResponsesProtocol.INSTANCE,
        "{\"model\":\"m\",\"input\":42}"));
    assertEquals("input", e.param);
    e = assertThrows(ApiException.class, () -> parse(MessagesProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"));
    assertEquals("messages[0].role", e.param);
  }

  @Test
  void tokenLimitAboveTheLargest_namesTheLargest() {
    ApiException e = assertThrows(ApiException.class, () -> parse(ChatProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_tokens\":2147483648,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}"));
    assertEquals("'max_tokens' must be an integer from 1 to 2147483647.", e.getMessage());
    e = assertThrows(ApiException.class, () -> parse(ResponsesProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_output_tokens\":99999999999999999999999,\"input\":\"hi\"}"));
    assertEquals("'max_output_tokens' must be an integer from 1 to 2147483647.", e.getMessage());
    e = assertThrows(ApiException.class, () -> parse(ChatProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertEquals("'max_tokens' must be an integer of at least 1.", e.getMessage());
  }

  @Test
  void fieldsReadAsText_mustBeText_soThatTwoValuesAreNeverOneRequest() {
    String call = "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"weather\",\"arguments\":"
        + "%s},{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"sunny\"},"
        + "{\"role\":\"user\",\"content\":\"Summarise it\"}]}";
    ApiException e = assertThrows(ApiException.class, () -> parse(ResponsesProtocol.INSTANCE,
        call.formatted("{\"city\":\"Paris\"}")));
    assertEquals("input[1].arguments", e.param);
    assertEquals("'input[1].arguments' must be a string.", e.getMessage());
    assertNotNull(parse(ResponsesProtocol.INSTANCE, call.formatted("\"{\\\"city\\\":\\\"Paris\\\"}\"")));
    e = assertThrows(ApiException.class, () -> parse(MessagesProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_tokens\":5,\"system\":[{\"type\":\"text\",\"text\":{\"v\":\"A\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertEquals("system[0].text", e.param);
    e = assertThrows(ApiException.class, () -> parse(MessagesProtocol.INSTANCE,
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":"
        + "{\"n\":1},\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
        + "\"tool_use_id\":\"t1\",\"content\":\"ok\"},{\"type\":\"text\",\"text\":\"and?\"}]}]}"));
    assertEquals("messages[1].content[0].name", e.param);
  }

  private static final String STORED = "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\","
      + "\"created\":1700000000,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"Sunny and mild.\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
      + "\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
      + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":12,"
      + "\"completion_tokens\":7,\"total_tokens\":19}}";

  @Test
  void storedAnswer_roundTripsThroughResponsesAndMessages() throws IOException {
    ObjectNode stored = (ObjectNode) Json.MAPPER.readTree(STORED);
    ProtocolRequest responses = ResponsesProtocol.INSTANCE.parse(
        "{\"model\":\"m\",\"input\":\"Weather?\"}".getBytes(StandardCharsets.UTF_8));
    JsonNode r = responses.render(stored.deepCopy());
    assertEquals("response", r.get("object").asText());
    assertEquals("completed", r.get("status").asText());
    assertEquals("Sunny and mild.", r.at("/output/0/content/0/text").asText());
    assertEquals("call_1", r.at("/output/1/call_id").asText());
    assertEquals(12, r.at("/usage/input_tokens").asInt());
    assertCanonical(stored, responses.canonicalAnswer(r));

    ProtocolRequest messages = MessagesProtocol.INSTANCE.parse(("{\"model\":\"m\","
        + "\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}")
        .getBytes(StandardCharsets.UTF_8));
    JsonNode m = messages.render(stored.deepCopy());
    assertEquals("tool_use", m.get("stop_reason").asText());
    assertEquals("Paris", m.at("/content/1/input/city").asText());
    assertCanonical(stored, messages.canonicalAnswer(m));
  }

  private static void assertCanonical(ObjectNode expected, ObjectNode actual) {
    assertNotNull(actual);
    assertEquals(expected.at("/choices/0/message/content"), actual.at("/choices/0/message/content"));
    assertEquals(expected.at("/choices/0/finish_reason"), actual.at("/choices/0/finish_reason"));
    assertEquals(expected.at("/choices/0/message/tool_calls/0/function/name"),
        actual.at("/choices/0/message/tool_calls/0/function/name"));
    assertEquals(Json.MAPPER.valueToTree(expected.at(
            "/choices/0/message/tool_calls/0/function/arguments").asText()),
        actual.at("/choices/0/message/tool_calls/0/function/arguments"));
    assertEquals(12, actual.at("/usage/prompt_tokens").asInt());
    assertEquals(7, actual.at("/usage/completion_tokens").asInt());
  }

  /** A replayed stream, collected again, gives back the answer that was replayed. */
  @Test
  void replay_thenCollect_givesTheSameAnswer() throws IOException {
    ObjectNode stored = (ObjectNode) Json.MAPPER.readTree(STORED);
    List<ProtocolRequest> requests = List.of(
        ResponsesProtocol.INSTANCE.parse("{\"model\":\"m\",\"input\":\"Weather?\",\"stream\":true}"
            .getBytes(StandardCharsets.UTF_8)),
        MessagesProtocol.INSTANCE.parse(("{\"model\":\"m\",\"max_tokens\":9,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}")
            .getBytes(StandardCharsets.UTF_8)),
        ChatProtocol.INSTANCE.parse(("{\"model\":\"m\",\"stream\":true,\"stream_options\":"
            + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}]}")
            .getBytes(StandardCharsets.UTF_8)));
    for (ProtocolRequest req : requests) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      req.replay(out, stored.deepCopy(), 0);
      StreamCollector collector = req.collector(true);
      List<Boolean> passed = new ArrayList<>();
      SseReader.read(new java.io.ByteArrayInputStream(out.toByteArray()),
          e -> passed.add(collector.accept(e)));
      assertNull(collector.incomplete(), req.getClass().getSimpleName());
      assertTrue(passed.stream().allMatch(b -> b), "every event is passed on");
      assertCanonical(stored, collector.answer());
    }
  }

  @Test
  void messagesUsage_keepsPromptCacheReadsAndWrites() throws IOException {
    ProtocolRequest messages = MessagesProtocol.INSTANCE.parse(("{\"model\":\"m\","
        + "\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
        .getBytes(StandardCharsets.UTF_8));
    ObjectNode a = messages.canonicalAnswer(Json.MAPPER.readTree("{\"id\":\"msg_1\",\"type\":"
        + "\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":10,"
        + "\"output_tokens\":3,\"cache_read_input_tokens\":1000,\"cache_creation_input_tokens\":"
        + "50}}"));
    assertEquals(1060, a.at("/usage/prompt_tokens").asInt());
    assertEquals(1000, a.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    JsonNode back = messages.render(a);
    assertEquals(10, back.at("/usage/input_tokens").asInt());
    assertEquals(1000, back.at("/usage/cache_read_input_tokens").asInt());
    assertEquals(50, back.at("/usage/cache_creation_input_tokens").asInt());
    assertNull(messages.canonicalAnswer(Json.MAPPER.readTree("{\"type\":\"message\","
        + "\"content\":[],\"stop_reason\":\"refusal\"}")), "a refusal is not kept");
  }
}
