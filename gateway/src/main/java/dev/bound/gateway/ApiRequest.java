package dev.bound.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * A validated body of one of the two cached endpoints, {@code POST /v1/chat/completions} and
 * {@code POST /v1/completions}. Validation covers what Bound relies on (types of the fields it
 * reads, the shape of each message); other fields pass through untouched for the upstream to
 * judge.
 */
final class ApiRequest {
  static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool",
      "function");

  final Endpoint endpoint;
  final ObjectNode json;
  final String model;
  /** Null when the request does not set it. */
  final Double temperature;
  final int n;
  final boolean stream;
  /** Whether the client asked for the usage chunk at the end of a stream. */
  final boolean includeUsage;
  /** The text matched against stored prompts; null when the request has none to match. */
  final String queryText;
  /**
   * Everything of the prompt that is not the query text: for chat, the earlier messages and the
   * last message without its text; it must match exactly.
   */
  final JsonNode context;

  private ApiRequest(Endpoint endpoint, ObjectNode json, String queryText, JsonNode context) {
    this.endpoint = endpoint;
    this.json = json;
    this.model = json.get("model").asText();
    this.temperature = json.hasNonNull("temperature") ? json.get("temperature").asDouble() : null;
    this.n = json.hasNonNull("n") ? json.get("n").asInt() : 1;
    this.stream = json.hasNonNull("stream") && json.get("stream").asBoolean();
    this.includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
    this.queryText = queryText;
    this.context = context;
  }

  static ApiRequest parse(Endpoint endpoint, byte[] body) {
    return endpoint == Endpoint.CHAT ? parseChat(body) : parseCompletion(body);
  }

  static ApiRequest parseCompletion(byte[] body) {
    ObjectNode o = common(body);
    JsonNode prompt = o.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw ApiException.invalid("Missing required parameter: 'prompt'.", "prompt",
          "missing_required_parameter");
    }
    String query = null;
    if (prompt.isTextual()) {
      query = prompt.asText();
    } else if (prompt.isArray()) {
      for (JsonNode p : prompt) {
        if (!(p.isTextual() || p.isIntegralNumber() || p.isArray())) {
          throw ApiException.invalid("'prompt' must be a string, an array of strings or an "
              + "array of token arrays.", "prompt", "invalid_type");
        }
      }
      // One text prompt can be matched; a batch of prompts or token ids cannot.
      if (prompt.size() == 1 && prompt.get(0).isTextual()) {
        query = prompt.get(0).asText();
      }
    } else {
      throw ApiException.invalid("'prompt' must be a string, an array of strings or an array of "
          + "token arrays.", "prompt", "invalid_type");
    }
    checkInteger(o, "best_of", 1, 128);
    checkType(o, "echo", JsonNode::isBoolean, "a boolean");
    checkType(o, "suffix", JsonNode::isTextual, "a string");
    return new ApiRequest(Endpoint.COMPLETIONS, o, query == null || query.isBlank() ? null : query,
        Json.object());
  }

  static ApiRequest parseChat(byte[] body) {
    ObjectNode o = common(body);
    JsonNode messages = o.get("messages");
    if (messages == null || messages.isNull()) {
      throw ApiException.invalid("Missing required parameter: 'messages'.", "messages",
          "missing_required_parameter");
    }
    if (!messages.isArray()) {
      throw ApiException.invalid("'messages' must be an array of message objects.", "messages",
          "invalid_type");
    }
    if (messages.isEmpty()) {
      throw ApiException.invalid("'messages' must contain at least one message.", "messages",
          "empty_array");
    }
    for (int i = 0; i < messages.size(); i++) {
      checkMessage(messages.get(i), "messages[" + i + "]");
    }
    checkType(o, "tools", JsonNode::isArray, "an array");
    checkType(o, "response_format", JsonNode::isObject, "an object");
    return new ApiRequest(Endpoint.CHAT, o, lastUserText((ArrayNode) messages),
        chatContext((ArrayNode) messages));
  }

  /** Checks the fields both endpoints share. */
  private static ObjectNode common(byte[] body) {
    JsonNode root = parseJson(body);
    if (!root.isObject()) {
      throw ApiException.invalid("The request body must be a JSON object.", null, "invalid_json");
    }
    ObjectNode o = (ObjectNode) root;
    JsonNode model = o.get("model");
    if (model == null || model.isNull()) {
      throw ApiException.invalid("Missing required parameter: 'model'.", "model",
          "missing_required_parameter");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw ApiException.invalid("'model' must be a non-empty string.", "model", "invalid_type");
    }
    checkNumber(o, "temperature", 0, 2);
    checkNumber(o, "top_p", 0, 1);
    checkNumber(o, "presence_penalty", -2, 2);
    checkNumber(o, "frequency_penalty", -2, 2);
    checkInteger(o, "n", 1, 128);
    checkInteger(o, "max_tokens", 1, Integer.MAX_VALUE);
    checkInteger(o, "max_completion_tokens", 1, Integer.MAX_VALUE);
    checkInteger(o, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    checkType(o, "stream", JsonNode::isBoolean, "a boolean");
    checkType(o, "stream_options", JsonNode::isObject, "an object");
    checkType(o, "stop", n -> n.isTextual() || n.isArray(), "a string or an array of strings");
    checkType(o, "user", JsonNode::isTextual, "a string");
    return o;
  }

  /** Parses any JSON body, turning Jackson's complaint into a short, position-bearing message. */
  static JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      throw ApiException.invalid("The request body is empty; expected a JSON object.", null,
          "invalid_json");
    }
    try {
      return Json.REQUEST_READER.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw ApiException.invalid("The request body is not valid JSON" + where + ": "
          + e.getOriginalMessage(), null, "invalid_json");
    } catch (IOException e) {
      throw ApiException.invalid("The request body could not be read.", null, "invalid_json");
    }
  }

  private static void checkMessage(JsonNode m, String at) {
    if (!m.isObject()) {
      throw ApiException.invalid("'" + at + "' must be an object with 'role' and 'content'.", at,
          "invalid_type");
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual()) {
      throw ApiException.invalid("'" + at + ".role' is required and must be a string.",
          at + ".role", "invalid_type");
    }
    if (!ROLES.contains(role.asText())) {
      throw ApiException.invalid("'" + at + ".role' is '" + role.asText() + "'; allowed roles are "
          + "system, developer, user, assistant, tool and function.", at + ".role",
          "invalid_value");
    }
    JsonNode content = m.get("content");
    boolean mayBeEmpty = role.asText().equals("assistant");
    if (content == null || content.isNull()) {
      if (!mayBeEmpty) {
        throw ApiException.invalid("'" + at + ".content' is required for role '" + role.asText()
            + "'.", at + ".content", "missing_required_parameter");
      }
      return;
    }
    if (content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        JsonNode part = content.get(i);
        if (!part.isObject() || !part.path("type").isTextual()) {
          throw ApiException.invalid("'" + at + ".content[" + i + "]' must be an object with a "
              + "string 'type'.", at + ".content[" + i + "]", "invalid_type");
        }
        if (part.get("type").asText().equals("text") && !part.path("text").isTextual()) {
          throw ApiException.invalid("'" + at + ".content[" + i + "].text' must be a string.",
              at + ".content[" + i + "].text", "invalid_type");
        }
      }
    } else if (!content.isTextual()) {
      throw ApiException.invalid("'" + at + ".content' must be a string or an array of content "
          + "parts.", at + ".content", "invalid_type");
    }
  }

  private static void checkNumber(ObjectNode o, String field, double min, double max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw ApiException.invalid("'" + field + "' must be a number from " + fmt(min) + " to "
          + fmt(max) + ".", field, v.isNumber() ? "invalid_value" : "invalid_type");
    }
  }

  private static void checkInteger(ObjectNode o, String field, long min, long max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      String range = max == Long.MAX_VALUE ? "an integer"
          : max == Integer.MAX_VALUE ? "an integer of at least " + min
          : "an integer from " + min + " to " + max;
      throw ApiException.invalid("'" + field + "' must be " + range + ".", field,
          v.isIntegralNumber() ? "invalid_value" : "invalid_type");
    }
  }

  private static void checkType(ObjectNode o, String field,
      java.util.function.Predicate<JsonNode> ok, String what) {
    JsonNode v = o.get(field);
    if (v != null && !v.isNull() && !ok.test(v)) {
      throw ApiException.invalid("'" + field + "' must be " + what + ".", field, "invalid_type");
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * The text of the last message if it is the user's, its text parts joined by newlines; null
   * when the last message is not the user's or carries no text.
   */
  private static String lastUserText(ArrayNode messages) {
    JsonNode last = messages.get(messages.size() - 1);
    if (!last.path("role").asText().equals("user")) {
      return null;
    }
    JsonNode content = last.get("content");
    if (content.isTextual()) {
      return content.asText().isBlank() ? null : content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(part.get("text").asText());
      }
    }
    return sb.toString().isBlank() ? null : sb.toString();
  }

  /**
   * The earlier messages, and the last one with its text taken out: its role, name and any
   * images or files stay, so a question about one picture is never answered with another's.
   */
  private static JsonNode chatContext(ArrayNode messages) {
    ObjectNode ctx = Json.object();
    ArrayNode earlier = ctx.putArray("earlier");
    for (int i = 0; i < messages.size() - 1; i++) {
      earlier.add(messages.get(i));
    }
    ObjectNode last = messages.get(messages.size() - 1).deepCopy();
    JsonNode content = last.remove("content");
    if (content != null && content.isArray()) {
      ArrayNode nonText = last.putArray("content");
      for (JsonNode part : content) {
        if (!part.path("type").asText().equals("text")) {
          nonText.add(part);
        }
      }
    }
    ctx.set("last", last);
    return ctx;
  }
}
