package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Responses API's response object for one answer, as it is while in progress and when done,
 * with the request's settings echoed as the real API does (the official SDKs read them).
 */
final class ResponseObject {
  private final ObjectNode req;
  private final Conversation conversation;
  private final Reply reply;
  private final String id;
  private final String itemId;
  private final String callId;
  private final long created;

  ResponseObject(ObjectNode req, Conversation c, Reply reply, long call, long created) {
    this.req = req;
    this.conversation = c;
    this.reply = reply;
    this.id = Requests.id("resp_", c.prompt(), call);
    this.itemId = Requests.id(reply instanceof Reply.ToolCall ? "fc_" : "msg_", c.prompt(), call);
    this.callId = Requests.id("call_", c.prompt(), call);
    this.created = created;
  }

  String itemId() {
    return itemId;
  }

  /** Whether the answer was cut short by {@code max_output_tokens}. */
  boolean incomplete() {
    return reply instanceof Reply.Text t && t.finish() == Reply.Finish.LENGTH;
  }

  /** The response before any output, as the stream's first events carry it. */
  ObjectNode inProgress() {
    return envelope("in_progress", null);
  }

  /** The finished response, with its output and usage. */
  ObjectNode done() {
    ObjectNode r = envelope(incomplete() ? "incomplete" : "completed",
        incomplete() ? JSON.createObjectNode().put("reason", "max_output_tokens") : null);
    r.withArrayProperty("output").add(item(true));
    int in = conversation.promptTokens();
    int out = reply.outputTokens();
    ObjectNode usage = r.putObject("usage").put("input_tokens", in);
    usage.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
    usage.put("output_tokens", out);
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", in + out);
    return r;
  }

  /** The output item: whole when {@code done}, else empty and in progress. */
  ObjectNode item(boolean done) {
    String status = !done ? "in_progress" : incomplete() ? "incomplete" : "completed";
    if (reply instanceof Reply.ToolCall tc) {
      return JSON.createObjectNode().put("type", "function_call").put("id", itemId)
          .put("call_id", callId).put("name", tc.name())
          .put("arguments", done ? tc.arguments() : "").put("status", status);
    }
    ObjectNode item = JSON.createObjectNode().put("type", "message").put("id", itemId)
        .put("status", status).put("role", "assistant");
    ArrayNode content = item.putArray("content");
    if (done) {
      content.add(part(((Reply.Text) reply).text()));
    }
    return item;
  }

  /** An {@code output_text} content part. */
  static ObjectNode part(String text) {
    ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    return part;
  }

  private ObjectNode envelope(String status, JsonNode incompleteDetails) {
    ObjectNode r = JSON.createObjectNode().put("id", id).put("object", "response")
        .put("created_at", created).put("status", status);
    if (!status.equals("in_progress")) {
      r.put("completed_at", System.currentTimeMillis() / 1000);
    }
    r.putNull("error");
    r.set("incomplete_details", incompleteDetails == null ? NullNode.getInstance()
        : incompleteDetails);
    echo(r, "instructions", NullNode.getInstance());
    echo(r, "max_output_tokens", NullNode.getInstance());
    r.put("model", conversation.model());
    r.putArray("output");
    echo(r, "parallel_tool_calls", JSON.getNodeFactory().booleanNode(true));
    echo(r, "previous_response_id", NullNode.getInstance());
    r.putObject("reasoning").putNull("effort").putNull("summary");
    echo(r, "store", JSON.getNodeFactory().booleanNode(true));
    echo(r, "temperature", JSON.getNodeFactory().numberNode(1.0));
    r.set("text", text());
    echo(r, "tool_choice", JSON.getNodeFactory().textNode("auto"));
    r.set("tools", tools());
    echo(r, "top_p", JSON.getNodeFactory().numberNode(1.0));
    r.put("truncation", "disabled");
    r.putNull("usage");
    echo(r, "user", NullNode.getInstance());
    echo(r, "metadata", JSON.createObjectNode());
    return r;
  }

  private void echo(ObjectNode r, String field, JsonNode otherwise) {
    JsonNode v = req.path(field);
    r.set(field, v.isMissingNode() || v.isNull() ? otherwise : v);
  }

  private JsonNode text() {
    ObjectNode text = req.path("text").isObject() ? req.get("text").deepCopy()
        : JSON.createObjectNode();
    if (!text.path("format").isObject()) {
      text.putObject("format").put("type", "text");
    }
    return text;
  }

  /** The offered tools, function tools completed with the fields the API fills in. */
  private ArrayNode tools() {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode t : req.path("tools")) {
      if (!t.path("type").asText().equals("function")) {
        out.add(t);
        continue;
      }
      ObjectNode f = out.addObject().put("type", "function").put("name", t.path("name").asText());
      f.set("description", t.path("description").isTextual() ? t.get("description")
          : NullNode.getInstance());
      f.set("parameters", t.path("parameters").isObject() ? t.get("parameters")
          : NullNode.getInstance());
      f.put("strict", t.path("strict").asBoolean(true));
    }
    return out;
  }
}
