package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extended thinking through the Messages API: a client continues a tool-use turn by sending the
 * signed thinking blocks back, so every answer, stored or relayed, carries them as they came.
 */
class MessagesThinkingTest {
  private static final String BLOCKS = "[{\"type\":\"thinking\",\"thinking\":\"Paris is in "
      + "France; ask the tool.\",\"signature\":\"sig-Ab3+/==\"},{\"type\":\"redacted_thinking\","
      + "\"data\":\"enc-9f8e7d\"},{\"type\":\"text\",\"text\":\"Let me look.\"},{\"type\":"
      + "\"tool_use\",\"id\":\"toolu_1\",\"name\":\"weather\",\"input\":{\"city\":\"Paris\"}}]";

  private static String ask(String question, boolean thinking, boolean stream) {
    return "{\"model\":\"claude\",\"max_tokens\":2000,\"temperature\":0,\"stream\":" + stream
        + (thinking ? ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}" : "")
        + ",\"tools\":[{\"name\":\"weather\",\"input_schema\":{\"type\":\"object\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  /** The upstream answers every request with BLOCKS, as a message or as its event stream. */
  private static FakeUpstream upstream() {
    return new FakeUpstream(ctx -> {
      boolean stream = Json.MAPPER.readTree(ctx.body()).path("stream").asBoolean();
      ObjectNode m = (ObjectNode) Json.MAPPER.readTree("{\"id\":\"msg_1\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"claude\",\"content\":" + BLOCKS + ","
          + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,"
          + "\"output_tokens\":30}}");
      ctx.contentType(stream ? "text/event-stream" : "application/json")
          .result(stream ? upstreamStream(m) : Json.text(m));
    });
  }

  /** The stream Anthropic sends for the message, each thinking block ending with its signature. */
  private static String upstreamStream(ObjectNode m) {
    StringBuilder sse = new StringBuilder();
    ObjectNode start = m.deepCopy();
    start.putArray("content");
    start.putNull("stop_reason");
    event(sse, Json.object().put("type", "message_start").set("message", start));
    int i = 0;
    for (JsonNode b : m.get("content")) {
      ObjectNode empty = b.deepCopy();
      ObjectNode delta = Json.object();
      switch (b.get("type").asText()) {
        case "thinking" -> {
          empty.put("thinking", "").put("signature", "");
          delta.put("type", "thinking_delta").set("thinking", b.get("thinking"));
        }
        case "text" -> {
          empty.put("text", "");
          delta.put("type", "text_delta").set("text", b.get("text"));
        }
        case "tool_use" -> {
          empty.set("input", Json.object());
          delta.put("type", "input_json_delta").put("partial_json", Json.text(b.get("input")));
        }
        default -> { }
      }
      event(sse, Json.object().put("type", "content_block_start").put("index", i)
          .set("content_block", empty));
      if (!delta.isEmpty()) {
        event(sse, Json.object().put("type", "content_block_delta").put("index", i)
            .set("delta", delta));
      }
      if (b.has("signature")) {
        event(sse, Json.object().put("type", "content_block_delta").put("index", i)
            .set("delta", Json.object().put("type", "signature_delta")
                .set("signature", b.get("signature"))));
      }
      event(sse, Json.object().put("type", "content_block_stop").put("index", i++));
    }
    ObjectNode end = Json.object().put("type", "message_delta");
    end.putObject("delta").put("stop_reason", "tool_use").putNull("stop_sequence");
    end.putObject("usage").put("output_tokens", 30);
    event(sse, end);
    event(sse, Json.object().put("type", "message_stop"));
    return sse.toString();
  }

  private static void event(StringBuilder sse, ObjectNode e) {
    sse.append("event: ").append(e.get("type").asText()).append("\ndata: ").append(Json.text(e))
        .append("\n\n");
  }

  /** The content blocks an Anthropic event stream builds, as a client SDK puts them together. */
  private static ArrayNode blocksOf(String sse) throws Exception {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    Map<Integer, StringBuilder> json = new java.util.HashMap<>();
    for (String line : sse.split("\n")) {
      if (!line.startsWith("data: ")) {
        continue;
      }
      JsonNode e = Json.MAPPER.readTree(line.substring(6));
      int i = e.path("index").asInt();
      switch (e.path("type").asText()) {
        case "content_block_start" -> blocks.add(e.get("content_block").deepCopy());
        case "content_block_delta" -> {
          JsonNode d = e.get("delta");
          String field = switch (d.get("type").asText()) {
            case "text_delta" -> "text";
            case "thinking_delta" -> "thinking";
            case "signature_delta" -> "signature";
            default -> null;
          };
          if (field == null) {
            json.computeIfAbsent(i, k -> new StringBuilder()).append(d.get("partial_json")
                .asText());
          } else {
            ObjectNode b = (ObjectNode) blocks.get(i);
            b.put(field, b.path(field).asText() + d.get(field).asText());
          }
        }
        case "content_block_stop" -> {
          if (json.containsKey(i)) {
            ((ObjectNode) blocks.get(i)).set("input", Json.MAPPER.readTree(json.get(i)
                .toString()));
          }
        }
        default -> { }
      }
    }
    return blocks;
  }

  /** Bound with tool calls cached, since the answer calls one. */
  private static Harness bound(Path data, FakeUpstream up) {
    return new Harness(data, up.url(), Map.of("cache.tool-calls", "true"));
  }

  /**
   * Asks {@code first}, a miss, then the same question whole, which must be an exact hit with
   * the upstream's blocks; returns the miss.
   */
  private static HttpResponse<String> missThenWholeHit(Harness h, String first)
      throws Exception {
    HttpResponse<String> miss = h.post("/messages", first);
    assertEquals("MISS", Harness.tier(miss), miss.body());
    h.gateway.awaitIndexed();
    HttpResponse<String> hit = h.post("/messages", first.replace("\"stream\":true",
        "\"stream\":false"));
    assertEquals("HIT-EXACT", Harness.tier(hit), hit.body());
    JsonNode m = Json.MAPPER.readTree(hit.body());
    assertEquals(Json.MAPPER.readTree(BLOCKS), m.get("content"));
    assertEquals("tool_use", m.get("stop_reason").asText());
    return miss;
  }

  @Test
  void thinkingBlocks_areRelayedStoredAndServedAsTheyCame(@TempDir Path data)
      throws Exception {
    JsonNode expected = Json.MAPPER.readTree(BLOCKS);
    try (FakeUpstream up = upstream(); Harness h = bound(data, up)) {
      String q = "Weather in Paris?";
      missThenWholeHit(h, ask(q, true, false));

      HttpResponse<String> streamed = h.post("/messages", ask(q, true, true));
      assertEquals("HIT-EXACT", Harness.tier(streamed), streamed.body());
      assertEquals(expected, blocksOf(streamed.body()));
      assertTrue(streamed.body().contains("\"signature_delta\""), streamed.body());
      assertEquals(1, up.calls.get());

      // The same question without thinking asks for another answer.
      assertEquals("MISS", Harness.tier(h.post("/messages", ask(q, false, false))));
      assertEquals(2, up.calls.get());

      // A streamed miss relays the blocks, and stores them with their signatures.
      HttpResponse<String> miss = missThenWholeHit(h, ask("Weather in Lyon?", true, true));
      assertEquals(expected, blocksOf(miss.body()));
    }
  }
}
