package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.StructuredResponseCreateParams;
import dev.bound.gateway.sim.SimClient.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Structured output over HTTP: JSON that fits the schema the client sends, whole or streamed. */
class StructuredOutputTest {
  static SimulatedUpstream sim;
  static SimClient client;

  /** A schema of the kind SDKs generate from classes: $defs, formats, bounds, unions. */
  static final String SCHEMA = """
      {"type":"object","additionalProperties":false,
       "required":["name","email","born","seen","id","age","score","step","vip","nothing",
         "nickname","status","address","tags","roles","contact","pet","legacy","mixed"],
       "properties":{
         "name":{"type":"string"},
         "email":{"type":"string","format":"email"},
         "born":{"type":"string","format":"date"},
         "seen":{"type":"string","format":"date-time"},
         "id":{"type":"string","format":"uuid"},
         "age":{"type":"integer","minimum":18,"maximum":99},
         "score":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},
         "step":{"type":"integer","multipleOf":5,"minimum":1,"maximum":50},
         "vip":{"type":"boolean"},
         "nothing":{"type":"null"},
         "nickname":{"type":["string","null"]},
         "status":{"$ref":"#/$defs/Status"},
         "address":{"$ref":"#/$defs/Address"},
         "tags":{"type":"array","items":{"type":"string"},"minItems":3,"maxItems":5},
         "roles":{"type":"array","items":{"enum":["admin","user","guest"]},"minItems":2,
           "uniqueItems":true},
         "contact":{"anyOf":[{"type":"string","format":"email"},{"type":"null"}]},
         "pet":{"oneOf":[
           {"type":"object","properties":{"kind":{"const":"cat"},"lives":{"type":"integer"}},
            "required":["kind","lives"]},
           {"type":"object","properties":{"kind":{"const":"dog"}},"required":["kind"]}]},
         "legacy":{"$ref":"#/definitions/Old"},
         "mixed":{"allOf":[
           {"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
           {"properties":{"b":{"type":"integer"}},"required":["b"]}]}},
       "$defs":{
         "Status":{"type":"string","enum":["inactive","active","banned"]},
         "Address":{"type":"object","additionalProperties":false,
           "required":["street","city","zip"],
           "properties":{"street":{"type":"string"},"city":{"type":"string"},
             "zip":{"type":"string","minLength":5,"maxLength":5}}}},
       "definitions":{"Old":{"type":"object","properties":{"v":{"type":"integer"}},
         "required":["v"]}}}""";

  static final String QUESTION = "Register Alice from Boston, aged 42, status active";

  @BeforeAll
  static void start() {
    sim = SimulatedUpstream.start(Duration.ZERO, 0);
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static String ask(String format, boolean stream) {
    return "{\"model\":\"sim-model\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + QUESTION + "\"}],\"response_format\":" + format + "}";
  }

  static String jsonSchema() {
    return "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"person\",\"strict\":true,"
        + "\"schema\":" + SCHEMA + "}}";
  }

  @Test
  void chat_jsonSchema_answersJsonThatFits() {
    JsonNode r = client.json("/chat/completions", ask(jsonSchema(), false));
    JsonNode answer = SimClient.parse(r.at("/choices/0/message/content").asText());
    assertEquals(List.of(), SchemaCheck.problems(SimClient.parse(SCHEMA), answer));
    assertEquals("Alice", answer.path("name").asText()); // the first name-like word
    assertEquals(42, answer.path("age").asInt()); // the prompt's number, as it fits
    assertEquals("active", answer.path("status").asText()); // the value the prompt names
    assertEquals("cat", answer.at("/pet/kind").asText()); // oneOf: the first choice
    assertTrue(answer.path("nothing").isNull());
    assertEquals("stop", r.at("/choices/0/finish_reason").asText());
  }

  @Test
  void chat_jsonSchema_isDeterministic() {
    assertEquals(client.json("/chat/completions", ask(jsonSchema(), false))
            .at("/choices/0/message/content"),
        client.json("/chat/completions", ask(jsonSchema(), false)).at("/choices/0/message/content"));
  }

  @Test
  void stream_jsonSchema_piecesJoinToTheSameJson() {
    StringBuilder text = new StringBuilder();
    List<Event> events = client.events("/chat/completions", ask(jsonSchema(), true));
    events.subList(0, events.size() - 1).forEach(e ->
        text.append(e.data().at("/choices/0/delta/content").asText("")));
    assertEquals(client.json("/chat/completions", ask(jsonSchema(), false))
        .at("/choices/0/message/content").asText(), text.toString());
  }

  @Test
  void chat_jsonObject_wrapsTheUsualAnswer() {
    String usual = client.json("/chat/completions", ask("{\"type\":\"text\"}", false))
        .at("/choices/0/message/content").asText();
    JsonNode r = client.json("/chat/completions", ask("{\"type\":\"json_object\"}", false));
    JsonNode answer = SimClient.parse(r.at("/choices/0/message/content").asText());
    assertEquals(1, answer.size());
    assertEquals(usual, answer.path("answer").asText());
  }

  @Test
  void chat_schemaWithoutASchema_isRefused() {
    var r = client.post("/chat/completions", ask("{\"type\":\"json_schema\",\"json_schema\":"
        + "{\"name\":\"x\"}}", false));
    assertEquals(400, r.statusCode());
    assertEquals("a json_schema response format needs a 'schema' object",
        SimClient.parse(r.body()).at("/error/message").asText());
  }

  /** A class for the SDK to turn into a schema and to read the answer into. */
  public static class Trip {
    public String city;
    public int nights;
    public List<String> sights;
    public boolean booked;
  }

  @Test
  void officialSdk_readsTheAnswerIntoItsClass() {
    StructuredChatCompletionCreateParams<Trip> chat = ChatCompletionCreateParams.builder()
        .model("sim-model").addUserMessage("Plan 4 nights in Kyoto").responseFormat(Trip.class)
        .build();
    Trip trip = client.openAi().chat().completions().create(chat).choices().getFirst().message()
        .content().orElseThrow();
    assertEquals("Kyoto", trip.city);
    assertEquals(4, trip.nights);
    assertEquals(2, trip.sights.size());
    StructuredResponseCreateParams<Trip> responses = ResponseCreateParams.builder()
        .model("sim-model").input("Plan 4 nights in Kyoto").text(Trip.class).build();
    Trip again = client.openAi().responses().create(responses).output().getFirst().message()
        .orElseThrow().content().getFirst().outputText().orElseThrow();
    assertEquals("Kyoto", again.city);
  }
}
