package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Answers that call tools: not served from the cache by default; replayed faithfully when the
 * policy allows it. */
class ToolCallTest {
  static FakeUpstream upstream;

  static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
      + "\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
      + "{\"type\":\"string\"}}}}}]";

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream(ctx -> {
      JsonNode req = Json.MAPPER.readTree(ctx.bodyAsBytes());
      if (!req.path("stream").asBoolean()) {
        ctx.contentType("application/json").result("{\"id\":\"chatcmpl-t\",\"object\":"
            + "\"chat.completion\",\"created\":1,\"model\":\"fake\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
            + "\"call_abc123\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"logprobs\":null,"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":20,"
            + "\"completion_tokens\":9,\"total_tokens\":29}}");
        return;
      }
      OutputStream out = FakeUpstream.sse(ctx);
      String head = "{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion.chunk\",\"created\":1,"
          + "\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":";
      FakeUpstream.event(out, head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
          + "[{\"index\":0,\"id\":\"call_s1\",\"type\":\"function\",\"function\":{\"name\":"
          + "\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
      FakeUpstream.event(out, head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + "\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}");
      FakeUpstream.event(out, head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + "\"\\\"Oslo\\\"}\"}}]},\"finish_reason\":null}]}");
      FakeUpstream.event(out, head + "{},\"finish_reason\":\"tool_calls\"}]}");
      FakeUpstream.event(out, "[DONE]");
    });
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  private static String body(String q, boolean stream) {
    return "{\"model\":\"fake\",\"temperature\":0,\"stream\":" + stream + ",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + q + "\"}]" + TOOLS + "}";
  }

  @Test
  void toolCalls_notCachedByDefault(@TempDir Path dir) throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      int calls = upstream.calls.get();
      h.post("/chat/completions", body("Weather in Paris?", false));
      h.gateway.awaitIndexed();
      HttpResponse<String> again = h.post("/chat/completions", body("Weather in Paris?", false));
      assertEquals("MISS", again.headers().firstValue("X-Bound-Cache").orElseThrow());
      h.post("/chat/completions", body("Weather in Oslo?", true));
      h.gateway.awaitIndexed();
      assertEquals(calls + 3, upstream.calls.get());
      assertEquals(0, h.gateway.entries());
    }
  }

  @Test
  void toolCalls_replayedFaithfullyWhenAllowed(@TempDir Path dir) throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of("cache.tool-calls", "true"))) {
      OpenAIClient client = GatewayTest.client(h, "k");
      String original = h.post("/chat/completions", body("Weather in Paris?", false)).body();
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", body("Weather in Paris?", false));
      assertEquals("HIT-EXACT", hit.headers().firstValue("X-Bound-Cache").orElseThrow());
      assertEquals(Json.MAPPER.readTree(original).at("/choices/0/message"),
          Json.MAPPER.readTree(hit.body()).at("/choices/0/message"));

      // A streamed answer with tool calls is assembled, stored, and replayed as a stream.
      var params = com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
          .model("fake").temperature(0.0).addUserMessage("Weather in Oslo?")
          .addTool(com.openai.models.chat.completions.ChatCompletionFunctionTool.builder()
              .function(com.openai.models.FunctionDefinition.builder().name("get_weather")
                  .parameters(com.openai.models.FunctionParameters.builder()
                      .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                      .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                          Map.of("city", Map.of("type", "string"))))
                      .build())
                  .build())
              .build())
          .build();
      assertEquals("MISS", StreamingTest.stream(client, params).tier());
      h.gateway.awaitIndexed();
      int calls = upstream.calls.get();
      StreamingTest.Streamed replay = StreamingTest.stream(client, params);
      assertEquals("HIT-EXACT", replay.tier());
      assertEquals(calls, upstream.calls.get());
      List<ChatCompletionMessageToolCall> toolCalls =
          replay.completion().choices().get(0).message().toolCalls().orElseThrow();
      var fn = toolCalls.get(0).asFunction();
      assertEquals("call_s1", fn.id());
      assertEquals("get_weather", fn.function().name());
      assertEquals("{\"city\":\"Oslo\"}", fn.function().arguments());
      assertEquals("tool_calls", replay.completion().choices().get(0).finishReason().asString());
    }
  }
}
