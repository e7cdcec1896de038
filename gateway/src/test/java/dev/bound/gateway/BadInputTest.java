package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed requests get HTTP 400 in the OpenAI error shape and never reach the upstream. */
class BadInputTest {
  @TempDir static Path data;
  static SimulatedUpstream upstream;
  static Harness bound;

  @BeforeAll
  static void start() {
    upstream = Harness.fastUpstream();
    bound = new Harness(data, upstream.url(), Map.of("server.max-body", "2KiB"));
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(List.of("application/json"), r.headers().allValues("Content-Type").stream()
        .map(v -> v.replaceAll(";.*", "")).toList(), r.headers().map().toString());
    JsonNode err = Json.MAPPER.readTree(r.body()).get("error");
    assertTrue(err.has("message") && err.has("type") && err.has("param") && err.has("code"),
        r.body());
    assertFalse(r.body().contains("at dev.bound") || r.body().contains("Exception"), r.body());
    return err;
  }

  private static JsonNode bad(String body) throws Exception {
    long calls = upstream.calls();
    JsonNode err = error(bound.post("/chat/completions", body), 400);
    assertEquals("invalid_request_error", err.get("type").asText());
    assertEquals(calls, upstream.calls());
    return err;
  }

  @Test
  void malformedJson() throws Exception {
    JsonNode err = bad("{\"model\": \"m\", \"messages\": [");
    assertEquals("invalid_json", err.get("code").asText());
    assertTrue(err.get("message").asText().startsWith("The request body is not valid JSON at line 1"),
        err.toString());
  }

  @Test
  void emptyBodyAndNonObject() throws Exception {
    assertEquals("invalid_json", bad("").get("code").asText());
    assertEquals("invalid_json", bad("[1,2]").get("code").asText());
    assertEquals("invalid_json", bad("{\"model\":\"m\"} trailing").get("code").asText());
  }

  @Test
  void duplicateKey_isRefused() throws Exception {
    JsonNode err = bad("{\"model\":\"m\",\"model\":\"n\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}");
    assertEquals("invalid_json", err.get("code").asText());
    assertTrue(err.get("message").asText().contains("Duplicate field 'model'"), err.toString());
    bad("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\","
        + "\"content\":\"y\"}]}");
  }

  @Test
  void unknownRoute_isOneJsonError_evenWhenTheUpstreamAnswered() throws Exception {
    // GET on this path is passed upstream, whose 404 the client gets as it is, with nothing added.
    JsonNode err = error(bound.get("/chat/completions"), 404);
    assertTrue(err.get("message").asText().contains("/v1/chat/completions"), err.toString());
    JsonNode own = error(bound.getOutsideApi("/no/such/page"), 404);
    assertEquals("not_found", own.get("code").asText());
  }

  @Test
  void missingMessages() throws Exception {
    JsonNode err = bad("{\"model\":\"m\"}");
    assertEquals("messages", err.get("param").asText());
    assertEquals("Missing required parameter: 'messages'.", err.get("message").asText());
    assertEquals("messages", bad("{\"model\":\"m\",\"messages\":[]}").get("param").asText());
  }

  @Test
  void missingModel() throws Exception {
    assertEquals("model", bad("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .get("param").asText());
  }

  @Test
  void wrongTypes() throws Exception {
    assertEquals("messages", bad("{\"model\":\"m\",\"messages\":\"hi\"}").get("param").asText());
    assertEquals("temperature", bad("{\"model\":\"m\",\"temperature\":\"hot\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"x\"}]}").get("param").asText());
    assertEquals("temperature", bad("{\"model\":\"m\",\"temperature\":3,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"x\"}]}").get("param").asText());
    assertEquals("n", bad("{\"model\":\"m\",\"n\":1.5,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"x\"}]}").get("param").asText());
    assertEquals("messages[0].content", bad("{\"model\":\"m\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":42}]}").get("param").asText());
    assertEquals("messages[1]", bad("{\"model\":\"m\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"x\"}, 7]}").get("param").asText());
    assertEquals("stream", bad("{\"model\":\"m\",\"stream\":\"yes\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"x\"}]}").get("param").asText());
    assertEquals("stream_options.include_usage", bad("{\"model\":\"m\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":\"yes\"},\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}").get("param").asText());
  }

  @Test
  void unknownRole() throws Exception {
    JsonNode err = bad("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}");
    assertEquals("messages[0].role", err.get("param").asText());
    assertTrue(err.get("message").asText().contains("'wizard'"), err.toString());
  }

  @Test
  void oversizedBody() throws Exception {
    String big = "x".repeat(4096);
    JsonNode err = bad("{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + big + "\"}]}");
    assertEquals("request_too_large", err.get("code").asText());
  }

  @Test
  void badThresholdAndNamespaceHeaders() throws Exception {
    String ok = "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}";
    assertEquals("X-Bound-Threshold", error(bound.post("/chat/completions", ok,
        "X-Bound-Threshold", "high"), 400).get("param").asText());
    assertEquals("X-Bound-Namespace", error(bound.post("/chat/completions", ok,
        "X-Bound-Namespace", "a b"), 400).get("param").asText());
  }

  @Test
  void unpairedSurrogate_isRefused_soNoTwoTextsShareAKey() throws Exception {
    // Hashed as UTF-8, every unpaired surrogate turns into the same '?': two system prompts
    // differing only there would share stored answers, and a model so named breaks state files.
    JsonNode err = bad("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"You are a pirate\\ud800\"},{\"role\":\"user\",\"content\":\"ships\"}]}");
    assertEquals("invalid_unicode", err.get("code").asText());
    assertEquals("messages[0].content", err.get("param").asText());
    assertEquals("model", bad("{\"model\":\"\\udfff\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}").get("param").asText());
    long calls = upstream.calls();
    HttpResponse<String> pair = bound.post("/chat/completions", "{\"model\":\"m\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"smile \\ud83d\\ude00\"}]}");
    assertEquals(200, pair.statusCode(), pair.body());
    assertEquals(calls + 1, upstream.calls());
    JsonNode emb = error(bound.post("/embeddings", "{\"model\":\"e\",\"input\":[\"ok\","
        + "\"emb\\ud800\"]}"), 400);
    assertEquals("input[1]", emb.get("param").asText());
  }

  @Test
  void bodyThatIsNotUtf8_isRefused() throws Exception {
    long calls = upstream.calls();
    for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0,
        (byte) 0x80}, {(byte) 0xFF}}) {
      byte[] head = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] tail = "b\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] body = new byte[head.length + bad.length + tail.length];
      System.arraycopy(head, 0, body, 0, head.length);
      System.arraycopy(bad, 0, body, head.length, bad.length);
      System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
      RawHttp.Response r = RawHttp.send(bound.gateway.port(), RawHttp.request("POST",
          "/v1/chat/completions", "Host: 127.0.0.1\r\nContent-Type: application/json\r\n",
          body), 5000);
      assertEquals(400, r.status(), r.text());
      assertEquals("invalid_json", Json.MAPPER.readTree(r.text()).at("/error/code").asText());
    }
    assertEquals(calls, upstream.calls());
  }

  @Test
  void parseErrors_sayWhatIsWrong_notWhichJacksonFeatureToEnable() throws Exception {
    String m = bad("{\"model\":\"m\",\"temperature\":NaN,\"messages\":[]}").get("message")
        .asText();
    assertTrue(m.contains("NaN") && !m.contains("enable") && !m.contains("JsonReadFeature"), m);
    String deep = "[".repeat(300) + "]".repeat(300);
    String d = bad(deep).get("message").asText();
    assertFalse(d.contains("StreamReadConstraints") || d.contains("Source:"), d);
  }

  @Test
  void strictHeaders() throws Exception {
    String ok = "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"strict headers\"}]}";
    for (String t : new String[] {"0.9f", "0x1p-2", "1e-1", "NaN", "-0.1", "1.5"}) {
      assertEquals("X-Bound-Threshold", error(bound.post("/chat/completions", ok,
          "X-Bound-Threshold", t), 400).get("param").asText(), t);
    }
    assertEquals(200, bound.post("/chat/completions", ok, "X-Bound-Threshold", ".95")
        .statusCode());
    assertEquals("X-Bound-Cache", error(bound.post("/chat/completions", ok, "X-Bound-Cache",
        "of"), 400).get("param").asText());
    assertEquals("BYPASS", Harness.tier(bound.post("/chat/completions", ok, "X-Bound-Cache",
        "OFF")));
    assertEquals(200, bound.post("/chat/completions", ok, "X-Bound-Cache", "on").statusCode());
    RawHttp.Response twice = RawHttp.send(bound.gateway.port(), RawHttp.request("POST",
        "/v1/chat/completions", "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "X-Bound-Namespace: team-a\r\nX-Bound-Namespace: team-b\r\n",
        ok.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 5000);
    assertEquals(400, twice.status(), twice.text());
    assertTrue(twice.text().contains("X-Bound-Namespace was sent more than once"), twice.text());
  }

  @Test
  void anthropicMessages_emptyContentAndToolsNotObjects_are400() throws Exception {
    JsonNode empty = error(bound.post("/messages", "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[]}]}"), 400);
    assertEquals("messages[0].content", empty.get("param").asText());
    JsonNode nothing = error(bound.post("/messages", "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"assistant\",\"content\":[]}]}"), 400);
    assertEquals("messages", nothing.get("param").asText());
    JsonNode tools = error(bound.post("/messages", "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"tools\":[5],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400);
    assertEquals("tools[0]", tools.get("param").asText());
    // A final assistant message may be empty, as in Anthropic's API: the answer starts there.
    assertEquals(200, bound.post("/messages", "{\"model\":\"m\",\"max_tokens\":9,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\","
        + "\"content\":[]}]}").statusCode());
  }

  @Test
  void otherBodies() throws Exception {
    assertEquals("background", error(bound.post("/responses", "{\"model\":\"m\",\"input\":"
        + "\"hi\",\"background\":\"yes\"}"), 400).get("param").asText());
    assertTrue(error(bound.post("/feedback", "[]"), 400).get("message").asText()
        .contains("JSON object"));
  }

  @Test
  void head_isAnsweredOnlyWhereItMeansSomething() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, Integer> head = path -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + bound.gateway.port() + path)).method("HEAD",
            java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    assertEquals(200, head.apply("/healthz"));
    assertEquals(200, head.apply("/readyz"));
    // Javalin alone would answer 200 here, without running the GET route or checking a token.
    assertEquals(405, head.apply("/metrics"));
    assertEquals(405, head.apply("/api/savings"));
    // The JDK's client will not send a broken escape; a raw request does.
    RawHttp.Response raw = RawHttp.send(bound.gateway.port(), RawHttp.request("GET",
        "/api/savings?model=%zz", "Host: 127.0.0.1\r\n", new byte[0]), 5000);
    assertEquals(400, raw.status(), raw.text());
    assertEquals("invalid_query", Json.MAPPER.readTree(raw.text()).at("/error/code").asText());
  }

  @Test
  void unknownPath_is404InErrorShape() throws Exception {
    assertEquals("not_found", error(bound.getOutsideApi("/nope"), 404).get("code").asText());
  }
}
