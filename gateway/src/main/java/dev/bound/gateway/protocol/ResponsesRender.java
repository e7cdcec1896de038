package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a canonical answer as a Responses object, or as the event stream that builds one:
 * {@code response.created}, {@code response.in_progress}, per output item its
 * {@code added}/delta/{@code done} events, then {@code response.completed}.
 */
final class ResponsesRender {
  private ResponsesRender() {}

  /** The whole response object, echoing the request's settings as the API does. */
  static ObjectNode response(ObjectNode req, ObjectNode answer, String status) {
    ObjectNode r = Json.object();
    String id = answer.path("id").asText();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", answer.path("created").asLong());
    JsonNode choice = answer.path("choices").path(0);
    boolean cut = choice.path("finish_reason").asText().equals("length");
    String finalStatus = status.equals("completed") && cut ? "incomplete" : status;
    r.put("status", finalStatus);
    r.putNull("error");
    if (finalStatus.equals("incomplete")) {
      r.putObject("incomplete_details").put("reason", "max_output_tokens");
    } else {
      r.putNull("incomplete_details");
    }
    echo(req, r);
    r.set("model", answer.get("model"));
    ArrayNode output = r.putArray("output");
    if (!status.equals("in_progress")) {
      for (ObjectNode item : items(answer, "completed")) {
        output.add(item);
      }
      r.set("usage", usage(answer.path("usage")));
    } else {
      r.putNull("usage");
    }
    return r;
  }

  /** The request's settings a response repeats, with the API's defaults where not given. */
  private static void echo(ObjectNode req, ObjectNode r) {
    r.set("instructions", req.path("instructions").isMissingNode() ? null
        : req.get("instructions"));
    r.set("max_output_tokens", req.get("max_output_tokens"));
    r.set("metadata", req.hasNonNull("metadata") ? req.get("metadata") : Json.object());
    r.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
    r.putNull("previous_response_id");
    ObjectNode reasoning = r.putObject("reasoning");
    reasoning.set("effort", req.path("reasoning").get("effort"));
    reasoning.set("summary", req.path("reasoning").get("summary"));
    r.put("store", req.path("store").asBoolean(true));
    r.put("temperature", req.path("temperature").asDouble(1.0));
    ObjectNode text = Json.object();
    text.putObject("format").put("type", "text");
    r.set("text", req.hasNonNull("text") ? req.get("text") : text);
    r.set("tool_choice", req.hasNonNull("tool_choice") ? req.get("tool_choice")
        : Json.MAPPER.getNodeFactory().textNode("auto"));
    r.set("tools", req.hasNonNull("tools") ? req.get("tools") : Json.MAPPER.createArrayNode());
    r.put("top_p", req.path("top_p").asDouble(1.0));
    r.put("truncation", req.path("truncation").asText("disabled"));
    r.set("user", req.get("user"));
  }

  /** The output items: the message, if it has text or nothing else, then each function call. */
  static java.util.List<ObjectNode> items(ObjectNode answer, String status) {
    java.util.List<ObjectNode> out = new java.util.ArrayList<>();
    String suffix = answer.path("id").asText().replaceFirst("^[a-z]+[_-]", "");
    JsonNode m = answer.path("choices").path(0).path("message");
    if (m.path("content").isTextual() || !m.path("tool_calls").isArray()
        || m.hasNonNull("refusal")) {
      ObjectNode msg = Json.object().put("id", "msg_" + suffix).put("type", "message")
          .put("status", status).put("role", "assistant");
      ArrayNode content = msg.putArray("content");
      if (m.hasNonNull("refusal")) {
        content.addObject().put("type", "refusal").put("refusal", m.get("refusal").asText());
      }
      if (m.path("content").isTextual() || !m.hasNonNull("refusal")) {
        ObjectNode part = content.addObject().put("type", "output_text")
            .put("text", status.equals("completed") ? m.path("content").asText("") : "");
        part.putArray("annotations");
        JsonNode logprobs = answer.path("choices").path(0).path("logprobs").path("content");
        if (logprobs.isArray() && !logprobs.isEmpty() && status.equals("completed")) {
          part.set("logprobs", logprobs);
        }
      }
      out.add(msg);
    }
    int i = 0;
    for (JsonNode call : m.path("tool_calls")) {
      out.add(Json.object().put("id", "fc_" + suffix + "_" + i++).put("type", "function_call")
          .put("status", status).put("call_id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText())
          .put("arguments", status.equals("completed")
              ? call.path("function").path("arguments").asText("") : ""));
    }
    return out;
  }

  private static ObjectNode usage(JsonNode u) {
    ObjectNode usage = Json.object();
    long in = u.path("prompt_tokens").asLong();
    long out = u.path("completion_tokens").asLong();
    usage.put("input_tokens", in);
    usage.putObject("input_tokens_details").put("cached_tokens",
        u.path("prompt_tokens_details").path("cached_tokens").asLong());
    usage.put("output_tokens", out);
    usage.putObject("output_tokens_details").put("reasoning_tokens",
        u.path("completion_tokens_details").path("reasoning_tokens").asLong());
    usage.put("total_tokens", u.path("total_tokens").asLong(in + out));
    return usage;
  }

  /** Writes the event stream of a stored answer. */
  static void stream(OutputStream out, ObjectNode req, ObjectNode answer, int tokensPerSecond)
      throws IOException {
    Events ev = new Events(out, tokensPerSecond);
    ev.send("response.created", Json.object().set("response",
        response(req, answer, "in_progress")));
    ev.send("response.in_progress", Json.object().set("response",
        response(req, answer, "in_progress")));
    java.util.List<ObjectNode> done = items(answer, "completed");
    java.util.List<ObjectNode> started = items(answer, "in_progress");
    for (int i = 0; i < done.size(); i++) {
      ev.send("response.output_item.added", Json.object().put("output_index", i)
          .set("item", started.get(i)));
      if (done.get(i).path("type").asText().equals("message")) {
        message(ev, i, done.get(i));
      } else {
        ObjectNode call = done.get(i);
        String args = call.path("arguments").asText();
        ev.send("response.function_call_arguments.delta", Json.object()
            .put("item_id", call.get("id").asText()).put("output_index", i).put("delta", args));
        ev.send("response.function_call_arguments.done", Json.object()
            .put("item_id", call.get("id").asText()).put("output_index", i)
            .put("name", call.path("name").asText()).put("arguments", args));
      }
      ev.send("response.output_item.done", Json.object().put("output_index", i)
          .set("item", done.get(i)));
    }
    ObjectNode complete = response(req, answer, "completed");
    String last = complete.path("status").asText().equals("incomplete")
        ? "response.incomplete" : "response.completed";
    ev.send(last, Json.object().set("response", complete));
  }

  private static void message(Events ev, int index, ObjectNode item) throws IOException {
    String itemId = item.get("id").asText();
    int c = 0;
    for (JsonNode part : item.path("content")) {
      ObjectNode empty = part.deepCopy();
      boolean text = part.path("type").asText().equals("output_text");
      if (text) {
        empty.put("text", "");
        empty.remove("logprobs");
      }
      ev.send("response.content_part.added", where(itemId, index, c).set("part", empty));
      if (text) {
        // The stored log-probabilities come whole with the first delta, and again with done.
        JsonNode logprobs = part.path("logprobs").isArray() ? part.get("logprobs")
            : Json.MAPPER.createArrayNode();
        boolean first = true;
        for (String piece : ChatReplay.pieces(part.path("text").asText())) {
          ObjectNode delta = where(itemId, index, c).put("delta", piece);
          if (first) {
            delta.set("logprobs", logprobs);
            first = false;
          } else {
            delta.putArray("logprobs");
          }
          ev.send("response.output_text.delta", delta);
          ev.pause();
        }
        ObjectNode doneText = where(itemId, index, c).put("text", part.path("text").asText());
        doneText.set("logprobs", logprobs);
        ev.send("response.output_text.done", doneText);
      } else {
        ev.send("response.refusal.done", where(itemId, index, c)
            .put("refusal", part.path("refusal").asText()));
      }
      ev.send("response.content_part.done", where(itemId, index, c).set("part", part));
      c++;
    }
  }

  private static ObjectNode where(String itemId, int output, int content) {
    return Json.object().put("item_id", itemId).put("output_index", output)
        .put("content_index", content);
  }

  /** Numbered, named events. */
  private static final class Events {
    private final OutputStream out;
    private final long pauseNanos;
    private int sequence;

    Events(OutputStream out, int tokensPerSecond) {
      this.out = out;
      this.pauseNanos = tokensPerSecond == 0 ? 0 : 1_000_000_000L / tokensPerSecond;
    }

    void send(String type, ObjectNode data) throws IOException {
      ObjectNode e = Json.object().put("type", type).put("sequence_number", sequence++);
      e.setAll(data);
      out.write(("event: " + type + "\ndata: " + Json.text(e) + "\n\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    void pause() throws IOException {
      ChatReplay.sleep(pauseNanos);
    }
  }
}
