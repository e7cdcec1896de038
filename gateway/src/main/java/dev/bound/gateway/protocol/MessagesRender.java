package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a canonical answer as an Anthropic message, or as the event stream that builds one:
 * {@code message_start}, per block {@code content_block_start}, deltas and
 * {@code content_block_stop}, then {@code message_delta} with the stop reason and usage, and
 * {@code message_stop}.
 */
final class MessagesRender {
  private MessagesRender() {}

  /**
   * Where a canonical answer keeps the content blocks of a message that thinks, as they came;
   * the thinking and its signature have no place in the chat form.
   */
  static final String BLOCKS = "anthropic_content";

  /**
   * The message without its content blocks (an empty list).
   *
   * @param stopSequences the request's {@code stop_sequences}; a stored answer that ended at one
   *     of them says so, as Anthropic does
   */
  static ObjectNode message(ObjectNode answer, JsonNode stopSequences) {
    ObjectNode m = Json.object();
    m.set("id", answer.get("id"));
    m.put("type", "message");
    m.put("role", "assistant");
    m.set("model", answer.get("model"));
    m.putArray("content");
    JsonNode choice = answer.path("choices").path(0);
    String finish = choice.path("finish_reason").asText("stop");
    String sequence = stopSequence(choice, stopSequences);
    m.put("stop_reason", sequence != null ? "stop_sequence" : switch (finish) {
      case "length" -> "max_tokens";
      case "tool_calls" -> "tool_use";
      default -> "end_turn";
    });
    m.put("stop_sequence", sequence);
    JsonNode u = answer.path("usage");
    long read = u.path("cache_read_input_tokens").asLong(
        u.path("prompt_tokens_details").path("cached_tokens").asLong());
    long written = u.path("cache_creation_input_tokens").asLong();
    m.putObject("usage")
        .put("input_tokens", Math.max(0, u.path("prompt_tokens").asLong() - read - written))
        .put("cache_creation_input_tokens", written)
        .put("cache_read_input_tokens", read)
        .put("output_tokens", u.path("completion_tokens").asLong());
    return m;
  }

  /** The stop sequence the answer ended at, when it is one the request gave; else null. */
  private static String stopSequence(JsonNode choice, JsonNode stopSequences) {
    JsonNode seq = choice.path("stop_reason");
    if (!choice.path("finish_reason").asText("stop").equals("stop") || !seq.isTextual()) {
      return null;
    }
    for (JsonNode s : stopSequences) {
      if (s.isTextual() && s.asText().equals(seq.asText())) {
        return seq.asText();
      }
    }
    return null;
  }

  /**
   * The content blocks: those kept as they came, when the answer has them; otherwise the text,
   * if any, then one tool use per tool call.
   */
  static ArrayNode blocks(ObjectNode answer) {
    JsonNode msg = answer.path("choices").path(0).path("message");
    if (msg.path(BLOCKS).isArray()) {
      return msg.get(BLOCKS).deepCopy();
    }
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    String text = msg.path("content").asText("");
    if (!text.isEmpty() || msg.path("tool_calls").isEmpty()) {
      blocks.addObject().put("type", "text").put("text", text);
    }
    for (JsonNode call : msg.path("tool_calls")) {
      ObjectNode use = blocks.addObject().put("type", "tool_use")
          .put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText());
      use.set("input", input(call.path("function").path("arguments").asText("")));
    }
    return blocks;
  }

  /** A tool call's arguments as the object Messages carries; {} when they are empty. */
  private static JsonNode input(String arguments) {
    if (arguments.isBlank()) {
      return Json.object();
    }
    try {
      return Json.MAPPER.readTree(arguments);
    } catch (IOException e) {
      return Json.object().put("arguments", arguments);
    }
  }

  static void stream(OutputStream out, ObjectNode answer, JsonNode stopSequences,
      int tokensPerSecond) throws IOException {
    long pause = tokensPerSecond == 0 ? 0 : 1_000_000_000L / tokensPerSecond;
    ObjectNode whole = message(answer, stopSequences);
    ObjectNode start = whole.deepCopy();
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    ((ObjectNode) start.get("usage")).put("output_tokens", 1);
    send(out, "message_start", Json.object().set("message", start));
    int index = 0;
    for (JsonNode block : blocks(answer)) {
      streamBlock(out, index++, block, pause);
    }
    ObjectNode delta = Json.object();
    delta.putObject("delta").put("stop_reason", whole.path("stop_reason").asText())
        .set("stop_sequence", whole.get("stop_sequence"));
    delta.putObject("usage").put("output_tokens", whole.path("usage").path("output_tokens")
        .asLong());
    send(out, "message_delta", delta);
    send(out, "message_stop", Json.object());
  }

  /**
   * One content block as Anthropic streams it: a start with the block emptied, its deltas, a
   * stop. Thinking ends with its signature; redacted thinking comes whole in its start.
   */
  private static void streamBlock(OutputStream out, int index, JsonNode block, long pause)
      throws IOException {
    ObjectNode empty = block.deepCopy();
    ArrayNode deltas = Json.MAPPER.createArrayNode();
    switch (block.path("type").asText()) {
      case "text" -> {
        empty.put("text", "");
        for (String piece : ChatReplay.pieces(block.path("text").asText())) {
          deltas.addObject().put("type", "text_delta").put("text", piece);
        }
      }
      case "thinking" -> {
        empty.put("thinking", "").put("signature", "");
        for (String piece : ChatReplay.pieces(block.path("thinking").asText())) {
          deltas.addObject().put("type", "thinking_delta").put("thinking", piece);
        }
        deltas.addObject().put("type", "signature_delta")
            .put("signature", block.path("signature").asText());
      }
      case "tool_use" -> {
        empty.set("input", Json.object());
        deltas.addObject().put("type", "input_json_delta")
            .put("partial_json", Json.text(block.path("input")));
      }
      default -> { }
    }
    send(out, "content_block_start", Json.object().put("index", index)
        .set("content_block", empty));
    for (JsonNode d : deltas) {
      send(out, "content_block_delta", Json.object().put("index", index).set("delta", d));
      ChatReplay.sleep(pause);
    }
    send(out, "content_block_stop", Json.object().put("index", index));
  }

  private static void send(OutputStream out, String type, ObjectNode data) throws IOException {
    ObjectNode e = Json.object().put("type", type);
    e.setAll(data);
    out.write(("event: " + type + "\ndata: " + Json.text(e) + "\n\n")
        .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
