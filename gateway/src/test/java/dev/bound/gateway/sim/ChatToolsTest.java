package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import dev.bound.gateway.sim.SimClient.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tool calls on chat completions: when they come, their shape whole and streamed, and after. */
class ChatToolsTest {
  static SimulatedUpstream sim;
  static SimClient client;

  static final String TOOLS = """
      "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
          "parameters":{"type":"object","properties":{"city":{"type":"string"},
            "days":{"type":"integer","minimum":1,"maximum":7}},"required":["city"]}}},
        {"type":"function","function":{"name":"find_flights","parameters":{"type":"object",
          "properties":{"destination":{"type":"string"},"date":{"type":"string","format":"date"}},
          "required":["destination","date"],"additionalProperties":false}}}]""";

  @BeforeAll
  static void start() {
    sim = SimulatedUpstream.start(Duration.ZERO, 0);
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static String ask(String question, String more) {
    return "{\"model\":\"sim-model\",\"messages\":[{\"role\":\"user\",\"content\":"
        + SimClient.JSON.valueToTree(question) + "}]" + more + "}";
  }

  static JsonNode message(String question, String more) {
    return client.json("/chat/completions", ask(question, "," + TOOLS + more))
        .at("/choices/0/message");
  }

  static JsonNode arguments(JsonNode message) {
    return SimClient.parse(message.at("/tool_calls/0/function/arguments").asText());
  }

  @Test
  void create_toolNamedWithSpaces_callsIt() {
    JsonNode r = client.json("/chat/completions", ask("Can you get weather in Paris for 3 days?",
        "," + TOOLS));
    JsonNode choice = r.at("/choices/0");
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    JsonNode m = choice.path("message");
    assertEquals("assistant", m.path("role").asText());
    assertTrue(m.path("content").isNull());
    assertEquals(1, m.path("tool_calls").size());
    JsonNode call = m.at("/tool_calls/0");
    assertTrue(call.path("id").asText().startsWith("call_"));
    assertEquals("function", call.path("type").asText());
    assertEquals("get_weather", call.at("/function/name").asText());
    assertEquals(SimClient.parse("{\"city\":\"Paris\",\"days\":3}"), arguments(m));
    assertEquals(Tokens.count("get_weather") + Tokens.count(call.at("/function/arguments")
        .asText()), r.at("/usage/completion_tokens").asInt());
  }

  @Test
  void create_whenAskedForATool_callsTheFirstAndFillsItsSchema() {
    JsonNode m = message("please use a tool to find something for lisbon", "");
    assertEquals("get_weather", m.at("/tool_calls/0/function/name").asText());
    assertEquals("lisbon", arguments(m).path("city").asText()); // no capital: the last word
    JsonNode flights = message("Find flights to Lisbon, call find_flights", "");
    JsonNode args = arguments(flights);
    assertEquals("find_flights", flights.at("/tool_calls/0/function/name").asText());
    assertEquals("Lisbon", args.path("destination").asText());
    assertTrue(args.path("date").asText().matches("\\d{4}-\\d{2}-\\d{2}"), args.toString());
  }

  @Test
  void create_noToolAskedFor_answersAsWithoutTools() {
    JsonNode with = message("What is a cache?", "");
    JsonNode without = client.json("/chat/completions", ask("What is a cache?", ""))
        .at("/choices/0/message");
    assertEquals(without, with);
  }

  @Test
  void create_toolChoice_decides() {
    assertTrue(message("Use the tool for Paris", ",\"tool_choice\":\"none\"").path("content")
        .asText().startsWith("This is a simulated answer"));
    assertEquals("get_weather", message("Hello", ",\"tool_choice\":\"required\"")
        .at("/tool_calls/0/function/name").asText());
    assertEquals("find_flights", message("Weather for Rome", ",\"tool_choice\":{\"type\":"
        + "\"function\",\"function\":{\"name\":\"find_flights\"}}")
        .at("/tool_calls/0/function/name").asText());
    var refused = client.post("/chat/completions", ask("Hello", "," + TOOLS
        + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}"));
    assertEquals(400, refused.statusCode());
    assertEquals("tool_choice names 'nope', which is not among the tools",
        SimClient.parse(refused.body()).at("/error/message").asText());
  }

  @Test
  void create_afterTheToolResult_answersInText() {
    JsonNode r = client.json("/chat/completions", """
        {"model":"sim-model",%s,"messages":[
          {"role":"user","content":"Use the tool for Paris"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"Sunny, 24 degrees"}]}"""
        .formatted(TOOLS));
    assertEquals("stop", r.at("/choices/0/finish_reason").asText());
    assertEquals("The tool returned: Sunny, 24 degrees",
        r.at("/choices/0/message/content").asText());
  }

  @Test
  void stream_sendsToolCallDeltas() {
    List<Event> events = client.events("/chat/completions",
        ask("Use the tool for Paris", "," + TOOLS + ",\"stream\":true"));
    assertEquals("[DONE]", events.getLast().data().asText());
    JsonNode first = events.getFirst().data().at("/choices/0/delta");
    assertEquals("assistant", first.path("role").asText());
    JsonNode head = first.at("/tool_calls/0");
    assertEquals(0, head.path("index").asInt(-1));
    assertTrue(head.path("id").asText().startsWith("call_"));
    assertEquals("function", head.path("type").asText());
    assertEquals("get_weather", head.at("/function/name").asText());
    assertEquals("", head.at("/function/arguments").asText());
    StringBuilder args = new StringBuilder();
    List<Event> middle = events.subList(1, events.size() - 2);
    assertTrue(middle.size() > 1);
    for (Event e : middle) {
      JsonNode piece = e.data().at("/choices/0/delta/tool_calls/0");
      assertEquals(0, piece.path("index").asInt(-1));
      args.append(piece.at("/function/arguments").asText());
    }
    JsonNode whole = message("Use the tool for Paris", "");
    assertEquals(whole.at("/tool_calls/0/function/arguments").asText(), args.toString());
    assertEquals("Paris", SimClient.parse(args.toString()).path("city").asText());
    assertEquals("tool_calls", events.get(events.size() - 2).data().at("/choices/0/finish_reason")
        .asText());
  }

  @Test
  void officialSdk_accumulatesTheStreamedCall() {
    ChatCompletionCreateParams p = ChatCompletionCreateParams.builder().model("sim-model")
        .addUserMessage("Get weather for Berlin").addTool(ChatCompletionFunctionTool.builder()
            .function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                        Map.of("type", "string"))))
                    .build()).build()).build()).build();
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> s = client.openAi().chat().completions()
        .createStreaming(p)) {
      s.stream().forEach(acc::accumulate);
    }
    ChatCompletion streamed = acc.chatCompletion();
    ChatCompletion whole = client.openAi().chat().completions().create(p).validate();
    var call = streamed.choices().getFirst().message().toolCalls().orElseThrow().getFirst()
        .asFunction().function();
    assertEquals("get_weather", call.name());
    assertEquals("{\"city\":\"Berlin\"}", call.arguments());
    assertEquals(call.arguments(), whole.choices().getFirst().message().toolCalls().orElseThrow()
        .getFirst().asFunction().function().arguments());
  }
}
