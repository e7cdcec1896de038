package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;

/** A Messages request, and its answers converted to and from the canonical chat form. */
final class MessagesRequest extends TranslatedRequest {
  MessagesRequest(ObjectNode json, byte[] body, CanonicalRequest canonical) {
    super(json, body, canonical);
  }

  @Override
  public String idPrefix() {
    return "msg_";
  }

  /**
   * Anthropic's form: an {@code error} event with {@code {"type":"error","error":{...}}}, of the
   * type that fits the code (Bound's own codes, all upstream failures, are {@code api_error}).
   */
  @Override
  public byte[] errorEvent(String message, String code, long sequence) {
    return event(AnthropicErrors.typeOf(code), message);
  }

  private static byte[] event(String type, String message) {
    ObjectNode e = Json.object().put("type", "error");
    e.putObject("error").put("type", type).put("message", message);
    return ("event: error\ndata: " + Json.text(e) + "\n\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The upstream's error in Anthropic's shape, whatever shape it came in. */
  @Override
  public byte[] errorAnswer(int status, byte[] body) {
    return AnthropicErrors.fromUpstream(status, body);
  }

  /**
   * The upstream's error in the OpenAI API's bare form becomes this API's error event, typed by
   * its status when it gives one, else by its code, else by its type.
   */
  @Override
  public byte[] passedOn(SseReader.Event event, long sequence) {
    BareError error = bareError(event);
    if (error == null) {
      return event.raw();
    }
    return event(error.status() > 0 ? AnthropicErrors.type(error.status())
        : AnthropicErrors.typeOf(error.code() != null ? error.code() : error.type()),
        error.message());
  }

  @Override
  public StreamCollector collector(boolean storing) {
    return new MessagesCollector(this);
  }

  /**
   * A finished message of text and tool use as a chat completion; null for one that stopped
   * for another reason (a refusal, a paused turn) or holds blocks the canonical form cannot
   * carry. When the message thinks, its blocks are also kept whole, in order, under
   * {@link MessagesRender#BLOCKS}: a client continues a tool-use turn by sending the signed
   * thinking back, so a hit must carry it as it came. Prompt-cache reads and writes stay in the
   * usage.
   */
  @Override
  public ObjectNode canonicalAnswer(JsonNode m) {
    String finish = switch (m.path("stop_reason").asText()) {
      case "end_turn", "stop_sequence" -> "stop";
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      default -> null;
    };
    // A message with no content blocks, or blocks of the wrong kind, is nothing to keep.
    if (!m.path("type").asText().equals("message") || finish == null
        || !m.path("content").isArray() || m.path("content").isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    boolean thinks = false;
    for (JsonNode b : m.path("content")) {
      switch (b.path("type").asText()) {
        case "text" -> {
          if (!b.path("text").isTextual()) {
            return null;
          }
          text.append(b.path("text").asText());
        }
        case "tool_use" -> {
          if (!b.path("name").isTextual() || !b.path("input").isObject()) {
            return null;
          }
          ObjectNode call = calls.addObject().put("id", b.path("id").asText())
              .put("type", "function");
          call.putObject("function").put("name", b.path("name").asText())
              .put("arguments", Json.text(b.path("input")));
        }
        case "thinking" -> {
          if (!b.path("thinking").isTextual() || !b.path("signature").isTextual()) {
            return null;
          }
          thinks = true;
        }
        case "redacted_thinking" -> {
          if (!b.path("data").isTextual()) {
            return null;
          }
          thinks = true;
        }
        default -> {
          return null;
        }
      }
    }
    ObjectNode a = Json.object();
    a.set("id", m.get("id"));
    a.put("object", Kind.CHAT.object);
    a.put("created", System.currentTimeMillis() / 1000);
    a.set("model", m.get("model"));
    ObjectNode choice = a.putArray("choices").addObject().put("index", 0);
    ObjectNode msg = choice.putObject("message").put("role", "assistant");
    if (!text.isEmpty() || calls.isEmpty()) {
      msg.put("content", text.toString());
    } else {
      msg.putNull("content");
    }
    if (!calls.isEmpty()) {
      msg.set("tool_calls", calls);
    }
    if (thinks) {
      msg.set(MessagesRender.BLOCKS, m.get("content").deepCopy());
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finish);
    if (m.path("stop_reason").asText().equals("stop_sequence")
        && m.path("stop_sequence").isTextual()) {
      // Which sequence ended it, under the name vLLM gives it in a chat answer.
      choice.put("stop_reason", m.get("stop_sequence").asText());
    }
    a.set("usage", usage(m.path("usage")));
    return a;
  }

  /** Chat usage from Messages usage, keeping prompt-cache reads and writes. */
  private static ObjectNode usage(JsonNode u) {
    long read = u.path("cache_read_input_tokens").asLong();
    long written = u.path("cache_creation_input_tokens").asLong();
    long prompt = u.path("input_tokens").asLong() + read + written;
    long out = u.path("output_tokens").asLong();
    ObjectNode usage = Json.object().put("prompt_tokens", prompt).put("completion_tokens", out)
        .put("total_tokens", prompt + out);
    usage.putObject("prompt_tokens_details").put("cached_tokens", read);
    usage.put("cache_read_input_tokens", read);
    usage.put("cache_creation_input_tokens", written);
    return usage;
  }

  @Override
  public JsonNode render(ObjectNode answer) {
    ObjectNode m = MessagesRender.message(answer, json.path("stop_sequences"));
    m.set("content", MessagesRender.blocks(answer));
    return m;
  }

  @Override
  public void replay(OutputStream out, ObjectNode answer, int tokensPerSecond)
      throws IOException {
    MessagesRender.stream(out, answer, json.path("stop_sequences"), tokensPerSecond);
  }
}
