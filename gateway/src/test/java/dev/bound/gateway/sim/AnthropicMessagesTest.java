package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimClient.Event;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Anthropic's Messages API, {@code POST /v1/messages}: text and tool use, whole and streamed. */
class AnthropicMessagesTest {
  static SimulatedUpstream sim;
  static SimClient client;

  static final String TOOLS = """
      "tools":[{"name":"get_weather","description":"Current weather","input_schema":
                 {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
               {"name":"get_time","input_schema":{"type":"object",
                 "properties":{"zone":{"type":"string"}},"required":["zone"]}}]""";

  @BeforeAll
  static void start() {
    sim = SimulatedUpstream.start(Duration.ZERO, 0);
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static String ask(String text, String more) {
    return "{\"model\":\"claude-sim\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\","
        + "\"content\":" + SimClient.JSON.valueToTree(text) + "}]" + more + "}";
  }

  static String text(JsonNode message) {
    return message.at("/content/0/text").asText();
  }

  @Nested
  class Text {
    @Test
    void create_hasTheMessageShape() {
      long calls = sim.calls();
      JsonNode m = client.json("/messages", ask("What is a cache?", ""));
      assertEquals(calls + 1, sim.calls());
      assertTrue(m.path("id").asText().startsWith("msg_"));
      assertEquals("message", m.path("type").asText());
      assertEquals("assistant", m.path("role").asText());
      assertEquals("claude-sim", m.path("model").asText());
      assertEquals(1, m.path("content").size());
      assertEquals("text", m.at("/content/0/type").asText());
      assertTrue(text(m).startsWith("This is a simulated answer to \"What is a cache?\"."));
      assertEquals("end_turn", m.path("stop_reason").asText());
      assertTrue(m.path("stop_sequence").isNull());
      assertEquals(SimClient.parse("{\"input_tokens\":12,\"output_tokens\":"
          + Tokens.count(text(m)) + ",\"cache_creation_input_tokens\":0,"
          + "\"cache_read_input_tokens\":0}"), m.path("usage"));
    }

    @Test
    void create_systemAsTextOrBlocks_isTheSame() {
      JsonNode plain = client.json("/messages", ask("Explain vectors", ",\"system\":\"Be brief.\""));
      JsonNode blocks = client.json("/messages", ask("Explain vectors",
          ",\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}]"));
      assertEquals(text(plain), text(blocks));
      assertEquals(3 + (4 + 3) + (4 + 2), blocks.at("/usage/input_tokens").asInt());
      assertEquals(text(plain), text(client.json("/messages", """
          {"model":"claude-sim","max_tokens":200,"system":"Be brief.","messages":[{"role":"user",
           "content":[{"type":"image","source":{"type":"base64","media_type":"image/png",
             "data":"iVBORw0KGgo="}},{"type":"text","text":"Explain vectors"}]}]}""")));
    }

    @Test
    void create_withoutMaxTokens_isRefusedInAnthropicsShape() {
      long calls = sim.calls();
      HttpResponse<String> r = client.post("/messages",
          "{\"model\":\"claude-sim\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
      assertEquals(400, r.statusCode());
      assertEquals(SimClient.parse("{\"type\":\"error\",\"error\":{\"type\":"
          + "\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}"),
          SimClient.parse(r.body()));
      assertEquals(calls, sim.calls());
    }

    @Test
    void create_maxTokensAndStopSequences_endTheAnswer() {
      JsonNode cut = client.json("/messages", ask("What is a cache?", "")
          .replace("\"max_tokens\":200", "\"max_tokens\":3"));
      assertEquals("This is a", text(cut));
      assertEquals("max_tokens", cut.path("stop_reason").asText());
      assertEquals(3, cut.at("/usage/output_tokens").asInt());
      JsonNode stopped = client.json("/messages", ask("What is a cache?",
          ",\"stop_sequences\":[\"cache\",\"simulated\"]"));
      assertEquals("This is a", text(stopped));
      assertEquals("stop_sequence", stopped.path("stop_reason").asText());
      assertEquals("simulated", stopped.path("stop_sequence").asText());
    }

    @Test
    void stream_sendsEveryEventInOrder() {
      long calls = sim.calls();
      List<Event> events = client.events("/messages", ask("What is a cache?", ",\"stream\":true"));
      assertEquals(calls + 1, sim.calls());
      List<String> names = events.stream().map(Event::name).toList();
      int deltas = names.size() - 6;
      assertTrue(deltas > 10, names.toString());
      assertEquals(List.of("message_start", "content_block_start", "ping"), names.subList(0, 3));
      assertTrue(names.subList(3, 3 + deltas).stream().allMatch("content_block_delta"::equals));
      assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
          names.subList(3 + deltas, names.size()));
      events.forEach(e -> assertEquals(e.name(), e.data().path("type").asText()));
      JsonNode start = events.getFirst().data().path("message");
      assertTrue(start.path("id").asText().startsWith("msg_"));
      assertEquals("[]", start.path("content").toString());
      assertTrue(start.path("stop_reason").isNull());
      assertEquals(12, start.at("/usage/input_tokens").asInt());
      assertEquals(SimClient.parse("{\"type\":\"text\",\"text\":\"\"}"),
          events.get(1).data().path("content_block"));
      StringBuilder text = new StringBuilder();
      events.subList(3, 3 + deltas).forEach(e -> {
        assertEquals("text_delta", e.data().at("/delta/type").asText());
        text.append(e.data().at("/delta/text").asText());
      });
      JsonNode whole = client.json("/messages", ask("What is a cache?", ""));
      assertEquals(text(whole), text.toString());
      JsonNode end = events.get(names.size() - 2).data();
      assertEquals("end_turn", end.at("/delta/stop_reason").asText());
      assertTrue(end.at("/delta/stop_sequence").isNull());
      assertEquals(whole.at("/usage/output_tokens").asInt(), end.at("/usage/output_tokens").asInt());
    }
  }

  @Nested
  class ToolUse {
    @Test
    void create_askedForATool_usesIt() {
      JsonNode m = client.json("/messages", ask("What is the weather in Oslo? Use the tool.",
          "," + TOOLS));
      JsonNode block = m.at("/content/0");
      assertEquals("tool_use", block.path("type").asText());
      assertTrue(block.path("id").asText().startsWith("toolu_"));
      assertEquals("get_weather", block.path("name").asText());
      assertEquals(SimClient.parse("{\"city\":\"Oslo\"}"), block.path("input"));
      assertEquals("tool_use", m.path("stop_reason").asText());
    }

    @Test
    void create_toolChoice_decides() {
      JsonNode named = client.json("/messages", ask("Hello there", "," + TOOLS
          + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_time\"}"));
      assertEquals("get_time", named.at("/content/0/name").asText());
      JsonNode any = client.json("/messages", ask("Hello there", "," + TOOLS
          + ",\"tool_choice\":{\"type\":\"any\"}"));
      assertEquals("get_weather", any.at("/content/0/name").asText());
      JsonNode mentioned = client.json("/messages", ask("What does get time say for Lima?",
          "," + TOOLS));
      assertEquals(SimClient.parse("{\"zone\":\"Lima\"}"), mentioned.at("/content/0/input"));
      JsonNode none = client.json("/messages", ask("Use the tool", "," + TOOLS
          + ",\"tool_choice\":{\"type\":\"none\"}"));
      assertEquals("text", none.at("/content/0/type").asText());
    }

    @Test
    void stream_sendsTheInputAsJsonPieces() {
      List<Event> events = client.events("/messages", ask("Weather in Oslo, use the tool",
          "," + TOOLS + ",\"stream\":true"));
      JsonNode block = events.get(1).data().path("content_block");
      assertEquals("tool_use", block.path("type").asText());
      assertEquals("get_weather", block.path("name").asText());
      assertEquals("{}", block.path("input").toString());
      StringBuilder json = new StringBuilder();
      int pieces = 0;
      for (Event e : events) {
        if (e.name().equals("content_block_delta")) {
          assertEquals("input_json_delta", e.data().at("/delta/type").asText());
          json.append(e.data().at("/delta/partial_json").asText());
          pieces++;
        }
      }
      assertTrue(pieces > 1);
      assertEquals(SimClient.parse("{\"city\":\"Oslo\"}"), SimClient.parse(json.toString()));
      assertEquals("tool_use", events.get(events.size() - 2).data().at("/delta/stop_reason")
          .asText());
      assertEquals("message_stop", events.getLast().name());
    }

    @Test
    void create_afterTheToolResult_answersInText() {
      JsonNode m = client.json("/messages", """
          {"model":"claude-sim","max_tokens":200,%s,"messages":[
            {"role":"user","content":"Weather in Oslo? Use the tool."},
            {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather",
              "input":{"city":"Oslo"}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",
              "content":[{"type":"text","text":"4 degrees and snow"}]}]}]}""".formatted(TOOLS));
      assertEquals("text", m.at("/content/0/type").asText());
      assertEquals("The tool returned: 4 degrees and snow", text(m));
      assertEquals("end_turn", m.path("stop_reason").asText());
    }
  }
}
