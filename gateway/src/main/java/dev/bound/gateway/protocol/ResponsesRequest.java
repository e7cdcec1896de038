package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;

/** A Responses request, and its answers converted to and from the canonical chat form. */
final class ResponsesRequest extends TranslatedRequest {
  ResponsesRequest(ObjectNode json, byte[] body, CanonicalRequest canonical) {
    super(json, body, canonical);
  }

  @Override
  public String idPrefix() {
    return "resp_";
  }

  /** The upstream's error in the OpenAI API's bare form becomes this API's error event. */
  @Override
  public byte[] passedOn(SseReader.Event event, long sequence) {
    BareError error = bareError(event);
    return error == null ? event.raw() : errorEvent(error.message(), error.code(), sequence);
  }

  @Override
  public StreamCollector collector(boolean storing) {
    return new ResponsesCollector(this);
  }

  /**
   * The Responses API's own error event, {@code event: error} with {@code {"type":"error",
   * "code":..., "message":..., "param":null, "sequence_number":...}}, which its SDKs raise as an
   * error; the chat form's {@code {"error":{...}}} they do not know.
   */
  @Override
  public byte[] errorEvent(String message, String code, long sequence) {
    ObjectNode e = Json.object().put("type", "error").put("code", code).put("message", message);
    e.putNull("param");
    e.put("sequence_number", sequence);
    return ("event: error\ndata: " + Json.text(e) + "\n\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A completed (or, at the token limit, incomplete) response made of messages and function
   * calls as a chat completion; null for anything else, such as the results of built-in tools,
   * which the canonical form cannot carry.
   */
  @Override
  public ObjectNode canonicalAnswer(JsonNode r) {
    String status = r.path("status").asText();
    boolean cut = status.equals("incomplete")
        && r.path("incomplete_details").path("reason").asText().equals("max_output_tokens");
    if (!r.path("object").asText().equals("response") || !(status.equals("completed") || cut)
        || !r.path("output").isArray()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    StringBuilder refusal = new StringBuilder();
    ArrayNode logprobs = Json.MAPPER.createArrayNode();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    boolean said = false; // a message or a call: reasoning alone answers nothing
    for (JsonNode item : r.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          if (!item.path("content").isArray() || item.path("content").isEmpty()) {
            return null;
          }
          said = true;
          for (JsonNode part : item.path("content")) {
            switch (part.path("type").asText()) {
              case "output_text" -> {
                if (!part.path("text").isTextual()) {
                  return null;
                }
                text.append(part.path("text").asText());
                if (part.path("logprobs").isArray()) {
                  logprobs.addAll((ArrayNode) part.get("logprobs"));
                }
              }
              case "refusal" -> refusal.append(part.path("refusal").asText());
              default -> { return null; }
            }
          }
        }
        case "function_call" -> {
          if (!item.path("name").isTextual() || !item.path("arguments").isTextual()) {
            return null;
          }
          said = true;
          ObjectNode call = calls.addObject().put("id", item.path("call_id").asText())
              .put("type", "function");
          call.putObject("function").put("name", item.path("name").asText())
              .put("arguments", item.path("arguments").asText(""));
        }
        case "reasoning" -> {
          // A summary is part of the answer its asker wanted, and the canonical form cannot
          // carry it: a hit would come without it.
          if (item.path("summary").isArray() && !item.path("summary").isEmpty()) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    if (!said) {
      return null;
    }
    ObjectNode a = Json.object();
    a.set("id", r.get("id"));
    a.put("object", Kind.CHAT.object);
    a.put("created", r.path("created_at").asLong());
    a.set("model", r.get("model"));
    ObjectNode choice = a.putArray("choices").addObject().put("index", 0);
    ObjectNode m = choice.putObject("message").put("role", "assistant");
    if (!text.isEmpty() || calls.isEmpty()) {
      m.put("content", text.toString());
    } else {
      m.putNull("content");
    }
    if (!refusal.isEmpty()) {
      m.put("refusal", refusal.toString());
    }
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
    if (logprobs.isEmpty()) {
      choice.putNull("logprobs");
    } else {
      // Chat's form: the same entries (token, logprob, bytes, top_logprobs) under content.
      choice.putObject("logprobs").putNull("refusal").set("content", logprobs);
    }
    choice.put("finish_reason", cut ? "length" : calls.isEmpty() ? "stop" : "tool_calls");
    if (r.path("usage").isObject()) {
      a.set("usage", usage(r.path("usage")));
    }
    return a;
  }

  /** Chat usage from Responses usage. */
  private static ObjectNode usage(JsonNode u) {
    ObjectNode usage = Json.object();
    usage.put("prompt_tokens", u.path("input_tokens").asLong());
    usage.put("completion_tokens", u.path("output_tokens").asLong());
    usage.put("total_tokens", u.path("total_tokens").asLong(
        u.path("input_tokens").asLong() + u.path("output_tokens").asLong()));
    usage.putObject("prompt_tokens_details").put("cached_tokens",
        u.path("input_tokens_details").path("cached_tokens").asLong());
    usage.putObject("completion_tokens_details").put("reasoning_tokens",
        u.path("output_tokens_details").path("reasoning_tokens").asLong());
    return usage;
  }

  @Override
  public JsonNode render(ObjectNode answer) {
    return ResponsesRender.response(json, answer, "completed");
  }

  @Override
  public void replay(OutputStream out, ObjectNode answer, int tokensPerSecond)
      throws IOException {
    ResponsesRender.stream(out, json, answer, tokensPerSecond);
  }
}
