package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds a whole answer from the chunks of a streamed one, so that an answer that reached the
 * client as a stream can be stored in the same form as a non-streamed one. An answer is complete
 * only when every choice finished and the stream ended with {@code [DONE]}.
 */
final class StreamAssembler {
  private final Endpoint endpoint;
  private final Map<Integer, Choice> choices = new TreeMap<>();
  private ObjectNode head;
  private JsonNode usage;
  private boolean done;
  private String failure;

  private static final class Choice {
    String role;
    final StringBuilder content = new StringBuilder();
    final StringBuilder refusal = new StringBuilder();
    boolean hasContent;
    boolean hasRefusal;
    final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
    final Map<Integer, StringBuilder> arguments = new TreeMap<>();
    String finish;
  }

  StreamAssembler(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** Takes one {@code data:} payload that is not {@code [DONE]}. */
  void accept(JsonNode chunk) {
    if (!chunk.isObject()) {
      fail("a chunk is not a JSON object");
      return;
    }
    if (chunk.has("error")) {
      fail("the upstream sent an error event");
      return;
    }
    if (done) {
      fail("data after [DONE]");
      return;
    }
    if (head == null) {
      head = Json.object();
      for (String f : new String[] {"id", "created", "model", "system_fingerprint"}) {
        if (chunk.hasNonNull(f)) {
          head.set(f, chunk.get(f));
        }
      }
    }
    if (chunk.hasNonNull("usage")) {
      usage = chunk.get("usage");
    }
    for (JsonNode c : chunk.path("choices")) {
      Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
      if (endpoint == Endpoint.CHAT) {
        JsonNode delta = c.path("delta");
        if (delta.hasNonNull("role")) {
          choice.role = delta.get("role").asText();
        }
        if (delta.hasNonNull("content")) {
          choice.content.append(delta.get("content").asText());
          choice.hasContent = true;
        }
        if (delta.hasNonNull("refusal")) {
          choice.refusal.append(delta.get("refusal").asText());
          choice.hasRefusal = true;
        }
        for (JsonNode call : delta.path("tool_calls")) {
          int i = call.path("index").asInt(0);
          ObjectNode acc = choice.toolCalls.computeIfAbsent(i, k -> {
            ObjectNode n = Json.object();
            n.putObject("function");
            return n;
          });
          if (call.hasNonNull("id")) {
            acc.put("id", call.get("id").asText());
          }
          if (call.hasNonNull("type")) {
            acc.put("type", call.get("type").asText());
          }
          JsonNode fn = call.path("function");
          if (fn.hasNonNull("name")) {
            ((ObjectNode) acc.get("function")).put("name", fn.get("name").asText());
          }
          if (fn.hasNonNull("arguments")) {
            choice.arguments.computeIfAbsent(i, k -> new StringBuilder())
                .append(fn.get("arguments").asText());
          }
        }
      } else if (c.hasNonNull("text")) {
        choice.content.append(c.get("text").asText());
        choice.hasContent = true;
      }
      if (c.hasNonNull("finish_reason")) {
        choice.finish = c.get("finish_reason").asText();
      }
    }
  }

  void done() {
    done = true;
  }

  void fail(String why) {
    if (failure == null) {
      failure = why;
    }
  }

  /** Why the stream cannot be stored, or null when it is complete. */
  String incomplete() {
    if (failure != null) {
      return failure;
    }
    if (!done) {
      return "the stream ended before [DONE]";
    }
    if (choices.isEmpty() || head == null) {
      return "the stream had no choices";
    }
    for (Choice c : choices.values()) {
      if (c.finish == null) {
        return "a choice never finished";
      }
    }
    return null;
  }

  /** The answer as a non-streamed response would have carried it. */
  ObjectNode answer() {
    ObjectNode a = Json.object();
    a.set("id", head.get("id"));
    a.put("object", endpoint.object);
    a.set("created", head.get("created"));
    a.set("model", head.get("model"));
    ArrayNode out = a.putArray("choices");
    for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
      Choice c = e.getValue();
      ObjectNode choice = out.addObject().put("index", e.getKey());
      if (endpoint == Endpoint.CHAT) {
        ObjectNode m = choice.putObject("message");
        m.put("role", c.role == null ? "assistant" : c.role);
        if (c.hasContent || c.toolCalls.isEmpty()) {
          m.put("content", c.content.toString());
        } else {
          m.putNull("content");
        }
        if (c.hasRefusal) {
          m.put("refusal", c.refusal.toString());
        }
        if (!c.toolCalls.isEmpty()) {
          ArrayNode calls = m.putArray("tool_calls");
          c.toolCalls.forEach((i, call) -> {
            StringBuilder args = c.arguments.get(i);
            ((ObjectNode) call.get("function")).put("arguments",
                args == null ? "" : args.toString());
            calls.add(call);
          });
        }
      } else {
        choice.put("text", c.content.toString());
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", c.finish);
    }
    if (usage != null) {
      a.set("usage", usage);
    }
    if (head.has("system_fingerprint")) {
      a.set("system_fingerprint", head.get("system_fingerprint"));
    }
    return a;
  }
}
