package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.bound.gateway.sim.SimClient.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Responses API, {@code POST /v1/responses}: text, tool calls and JSON, whole and streamed. */
class ResponsesApiTest {
  static SimulatedUpstream sim;
  static SimClient client;

  static final String WEATHER = """
      {"type":"function","name":"get_weather","description":"Current weather","strict":true,
       "parameters":{"type":"object","additionalProperties":false,"required":["city","unit"],
         "properties":{"city":{"type":"string"},
                       "unit":{"type":"string","enum":["celsius","fahrenheit"]}}}}""";

  @BeforeAll
  static void start() {
    sim = SimulatedUpstream.start(Duration.ZERO, 0);
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static String ask(String input, String more) {
    return "{\"model\":\"sim-model\",\"input\":" + SimClient.JSON.valueToTree(input) + more + "}";
  }

  /** The SDK's own model of a response, checked for every field it requires. */
  static Response sdk(JsonNode response) throws Exception {
    return ObjectMappers.jsonMapper().treeToValue(response, Response.class).validate();
  }

  static String outputText(JsonNode response) {
    return response.path("output").get(0).path("content").get(0).path("text").asText();
  }

  @Nested
  class Text {
    @Test
    void create_hasTheResponseShape() throws Exception {
      long calls = sim.calls();
      JsonNode r = client.json("/responses", ask("What is a cache?", ""));
      assertEquals(calls + 1, sim.calls());
      assertTrue(r.path("id").asText().startsWith("resp_"));
      assertEquals("response", r.path("object").asText());
      assertEquals("completed", r.path("status").asText());
      assertEquals("sim-model", r.path("model").asText());
      assertTrue(r.path("created_at").isIntegralNumber());
      JsonNode item = r.path("output").get(0);
      assertEquals("message", item.path("type").asText());
      assertTrue(item.path("id").asText().startsWith("msg_"));
      assertEquals("completed", item.path("status").asText());
      assertEquals("assistant", item.path("role").asText());
      JsonNode part = item.path("content").get(0);
      assertEquals("output_text", part.path("type").asText());
      assertEquals("[]", part.path("annotations").toString());
      assertTrue(part.path("text").asText()
          .startsWith("This is a simulated answer to \"What is a cache?\"."));
      JsonNode usage = r.path("usage");
      assertEquals(3 + 4 + 5, usage.path("input_tokens").asInt()); // "What is a cache?" is 5
      assertEquals(Tokens.count(part.path("text").asText()), usage.path("output_tokens").asInt());
      assertEquals(0, usage.path("input_tokens_details").path("cached_tokens").asInt(-1));
      assertEquals(0, usage.path("output_tokens_details").path("reasoning_tokens").asInt(-1));
      assertEquals(usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt(),
          usage.path("total_tokens").asInt());
      String echoed = "{\"error\":null,\"incomplete_details\":null,\"instructions\":null,"
          + "\"max_output_tokens\":null,\"metadata\":{},\"parallel_tool_calls\":true,"
          + "\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},"
          + "\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},"
          + "\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\","
          + "\"user\":null}";
      SimClient.parse(echoed).properties().forEach(e ->
          assertEquals(e.getValue(), r.get(e.getKey()), e.getKey()));
      assertEquals(r.path("id").asText(), sdk(r).id());
    }

    @Test
    void create_sameConversationAsChat_sameWords() {
      JsonNode chat = client.json("/chat/completions", "{\"model\":\"sim-model\",\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"Why reuse answers?\"}]}");
      JsonNode resp = client.json("/responses", ask("Why reuse answers?", ""));
      assertEquals(chat.at("/choices/0/message/content").asText(), outputText(resp));
      assertEquals(chat.at("/usage/prompt_tokens").asInt(), resp.at("/usage/input_tokens").asInt());
    }

    @Test
    void create_inputItemsAndInstructions() {
      JsonNode r = client.json("/responses", """
          {"model":"sim-model","instructions":"Be brief.","temperature":0.2,"metadata":{"k":"v"},
           "input":[{"role":"user","content":[{"type":"input_text","text":"Explain vectors"}]}]}""");
      assertTrue(outputText(r).startsWith("This is a simulated answer to \"Explain vectors\"."));
      assertEquals(3 + (4 + 3) + (4 + 2), r.at("/usage/input_tokens").asInt());
      assertEquals("Be brief.", r.path("instructions").asText());
      assertEquals(0.2, r.path("temperature").asDouble());
      assertEquals("v", r.at("/metadata/k").asText());
    }

    @Test
    void create_maxOutputTokens_endsIncomplete() throws Exception {
      JsonNode r = client.json("/responses", ask("What is a cache?", ",\"max_output_tokens\":4"));
      assertEquals("incomplete", r.path("status").asText());
      assertEquals("max_output_tokens", r.at("/incomplete_details/reason").asText());
      assertEquals("This is a simulated", outputText(r));
      assertEquals(4, r.at("/usage/output_tokens").asInt());
      assertEquals(4, r.path("max_output_tokens").asInt());
      sdk(r);
    }

    @Test
    void create_withoutInput_isRefused() {
      var r = client.post("/responses", "{\"model\":\"sim-model\"}");
      assertEquals(400, r.statusCode());
      assertEquals("'input' must be a string or a non-empty array of items",
          SimClient.parse(r.body()).at("/error/message").asText());
    }

    @Test
    void stream_sendsEveryEventInOrder() throws Exception {
      long calls = sim.calls();
      List<Event> events = client.events("/responses", ask("What is a cache?", ",\"stream\":true"));
      assertEquals(calls + 1, sim.calls());
      List<String> names = events.stream().map(Event::name).toList();
      int deltas = names.size() - 8;
      assertTrue(deltas > 10, names.toString());
      assertEquals(List.of("response.created", "response.in_progress",
          "response.output_item.added", "response.content_part.added"), names.subList(0, 4));
      assertTrue(names.subList(4, 4 + deltas).stream()
          .allMatch("response.output_text.delta"::equals));
      assertEquals(List.of("response.output_text.done", "response.content_part.done",
          "response.output_item.done", "response.completed"),
          names.subList(4 + deltas, names.size()));
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < events.size(); i++) {
        JsonNode data = events.get(i).data();
        assertEquals(events.get(i).name(), data.path("type").asText());
        assertEquals(i, data.path("sequence_number").asInt());
        ObjectMappers.jsonMapper().treeToValue(data, ResponseStreamEvent.class).validate();
        if (data.has("delta")) {
          text.append(data.get("delta").asText());
        }
      }
      assertEquals("in_progress", events.get(0).data().at("/response/status").asText());
      JsonNode done = events.getLast().data().path("response");
      assertEquals("completed", done.path("status").asText());
      assertEquals(text.toString(), outputText(done));
      assertEquals(text.toString(), events.get(4 + deltas).data().path("text").asText());
      assertEquals(outputText(client.json("/responses", ask("What is a cache?", ""))),
          text.toString());
    }

    @Test
    void stream_officialSdkAccumulatesIt() {
      ResponseAccumulator acc = ResponseAccumulator.create();
      ResponseCreateParams p = ResponseCreateParams.builder().model("sim-model")
          .input("What is a cache?").build();
      try (StreamResponse<ResponseStreamEvent> s = client.openAi().responses().createStreaming(p)) {
        s.stream().forEach(acc::accumulate);
      }
      Response whole = client.openAi().responses().create(p);
      assertEquals(whole.output().getFirst().asMessage().content().getFirst().asOutputText().text(),
          acc.response().output().getFirst().asMessage().content().getFirst().asOutputText().text());
    }
  }

  @Nested
  class ToolCalls {
    static String offer(String input, String more) {
      return ask(input, ",\"tools\":[" + WEATHER + "]" + more);
    }

    @Test
    void create_nameInThePrompt_callsTheTool() throws Exception {
      JsonNode r = client.json("/responses", offer("Please get weather for Paris", ""));
      JsonNode call = r.path("output").get(0);
      assertEquals("function_call", call.path("type").asText());
      assertTrue(call.path("id").asText().startsWith("fc_"));
      assertTrue(call.path("call_id").asText().startsWith("call_"));
      assertEquals("get_weather", call.path("name").asText());
      assertEquals("completed", call.path("status").asText());
      JsonNode args = SimClient.parse(call.path("arguments").asText());
      assertEquals("Paris", args.path("city").asText());
      assertEquals("celsius", args.path("unit").asText());
      assertEquals(Tokens.count("get_weather") + Tokens.count(call.path("arguments").asText()),
          r.at("/usage/output_tokens").asInt());
      assertEquals(false, r.at("/tools/0/parameters/additionalProperties").asBoolean(true));
      assertEquals("function_call", sdk(r).output().getFirst().asFunctionCall()._type().asString()
          .orElseThrow());
    }

    @Test
    void stream_sendsTheArgumentsInPieces() throws Exception {
      List<Event> events = client.events("/responses", offer("Weather in Oslo? Use the tool.",
          ",\"stream\":true"));
      List<String> names = events.stream().map(Event::name).distinct().toList();
      assertEquals(List.of("response.created", "response.in_progress",
          "response.output_item.added", "response.function_call_arguments.delta",
          "response.function_call_arguments.done", "response.output_item.done",
          "response.completed"), names);
      JsonNode added = events.get(2).data().path("item");
      assertEquals("", added.path("arguments").asText());
      assertEquals("in_progress", added.path("status").asText());
      StringBuilder args = new StringBuilder();
      for (Event e : events) {
        ObjectMappers.jsonMapper().treeToValue(e.data(), ResponseStreamEvent.class).validate();
        if (e.name().equals("response.function_call_arguments.delta")) {
          assertEquals(added.path("id").asText(), e.data().path("item_id").asText());
          args.append(e.data().path("delta").asText());
        }
      }
      assertEquals("Oslo", SimClient.parse(args.toString()).path("city").asText());
      JsonNode finalCall = events.getLast().data().at("/response/output/0");
      assertEquals(args.toString(), finalCall.path("arguments").asText());
      assertTrue(events.stream().filter(e -> e.name().endsWith("arguments.done"))
          .allMatch(e -> e.data().path("arguments").asText().equals(args.toString())
              && e.data().path("name").asText().equals("get_weather")));
    }

    @Test
    void create_toolChoice_decides() {
      JsonNode none = client.json("/responses", offer("Use the tool for Rome",
          ",\"tool_choice\":\"none\""));
      assertEquals("message", none.at("/output/0/type").asText());
      JsonNode required = client.json("/responses", offer("Hello", ",\"tool_choice\":\"required\""));
      assertEquals("get_weather", required.at("/output/0/name").asText());
      assertEquals("required", required.path("tool_choice").asText());
      JsonNode plain = client.json("/responses", offer("Hello", ""));
      assertEquals("message", plain.at("/output/0/type").asText());
    }

    @Test
    void create_afterTheToolsOutput_answersInText() throws Exception {
      JsonNode r = client.json("/responses", """
          {"model":"sim-model","tools":[%s],"input":[
            {"role":"user","content":"Use the tool for Paris"},
            {"type":"function_call","call_id":"call_1","name":"get_weather",
             "arguments":"{\\"city\\":\\"Paris\\"}"},
            {"type":"function_call_output","call_id":"call_1","output":"{\\"temp\\":21}"}]}"""
          .formatted(WEATHER));
      assertEquals("message", r.at("/output/0/type").asText());
      assertEquals("The tool returned: {\"temp\":21}", outputText(r));
      sdk(r);
    }
  }

  @Nested
  class Formats {
    static final String SCHEMA = """
        {"type":"object","additionalProperties":false,"required":["title","when","people","tags"],
         "properties":{"title":{"type":"string"},"when":{"type":"string","format":"date"},
           "people":{"type":"integer","minimum":1,"maximum":8},
           "tags":{"type":"array","minItems":1,"items":{"type":"string"}}}}""";

    @Test
    void create_jsonSchema_answersJsonThatFits() {
      JsonNode r = client.json("/responses", ask("Plan a trip to Rome for 3 people",
          ",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"trip\",\"strict\":true,"
              + "\"schema\":" + SCHEMA + "}}"));
      JsonNode answer = SimClient.parse(outputText(r));
      assertEquals(List.of(), SchemaCheck.problems(SimClient.parse(SCHEMA), answer));
      assertEquals("Rome", answer.path("title").asText());
      assertEquals(3, answer.path("people").asInt());
      assertEquals("json_schema", r.at("/text/format/type").asText());
    }

    @Test
    void create_jsonObject_wrapsTheUsualAnswer() {
      String usual = outputText(client.json("/responses", ask("Why cache?", "")));
      JsonNode r = client.json("/responses", ask("Why cache?",
          ",\"text\":{\"format\":{\"type\":\"json_object\"}}"));
      assertEquals(usual, SimClient.parse(outputText(r)).path("answer").asText());
    }
  }
}
