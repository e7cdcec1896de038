package dev.bound.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * A validated {@code POST /v1/chat/completions} body. Validation covers what Bound relies on
 * (types of the fields it reads, the shape of each message); other fields pass through untouched
 * for the upstream to judge.
 */
final class ChatRequest {
  static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool",
      "function");

  final ObjectNode json;
  final String model;
  final ArrayNode messages;
  /** Null when the request does not set it. */
  final Double temperature;
  final int n;
  final boolean stream;

  private ChatRequest(ObjectNode json) {
    this.json = json;
    this.model = json.get("model").asText();
    this.messages = (ArrayNode) json.get("messages");
    this.temperature = json.hasNonNull("temperature") ? json.get("temperature").asDouble() : null;
    this.n = json.hasNonNull("n") ? json.get("n").asInt() : 1;
    this.stream = json.hasNonNull("stream") && json.get("stream").asBoolean();
  }

  static ChatRequest parse(byte[] body) {
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
    checkType(o, "tools", JsonNode::isArray, "an array");
    checkType(o, "response_format", JsonNode::isObject, "an object");
    checkType(o, "stop", n -> n.isTextual() || n.isArray(), "a string or an array of strings");
    checkType(o, "user", JsonNode::isTextual, "a string");
    return new ChatRequest(o);
  }

  /** Parses any JSON body, turning Jackson's complaint into a short, position-bearing message. */
  static JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      throw ApiException.invalid("The request body is empty; expected a JSON object.", null,
          "invalid_json");
    }
    try {
      return Json.MAPPER.readTree(body);
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

  /** The last message, if it comes from the user. */
  JsonNode lastUserMessage() {
    JsonNode last = messages.get(messages.size() - 1);
    return last.path("role").asText().equals("user") ? last : null;
  }

  /**
   * The text of the last user message, its text parts joined by newlines; null when the last
   * message is not the user's or carries no text.
   */
  String lastUserText() {
    JsonNode last = lastUserMessage();
    if (last == null) {
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
}
