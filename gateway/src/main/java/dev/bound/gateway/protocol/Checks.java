package dev.bound.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * Validation shared by the protocols. It covers what Bound relies on (the types of the fields it
 * reads); other fields pass through untouched for the upstream to judge.
 */
public final class Checks {
  private Checks() {}

  /** Parses any JSON body, turning Jackson's complaint into a short, position-bearing message. */
  public static JsonNode parseJson(byte[] body) {
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

  /** A JSON object body with a non-empty string {@code model}. */
  static ObjectNode objectWithModel(byte[] body) {
    JsonNode root = parseJson(body);
    if (!root.isObject()) {
      throw ApiException.invalid("The request body must be a JSON object.", null, "invalid_json");
    }
    ObjectNode o = (ObjectNode) root;
    JsonNode model = o.get("model");
    if (model == null || model.isNull()) {
      throw missing("model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw ApiException.invalid("'model' must be a non-empty string.", "model", "invalid_type");
    }
    number(o, "temperature", 0, 2);
    number(o, "top_p", 0, 1);
    type(o, "stream", JsonNode::isBoolean, "a boolean");
    return o;
  }

  static ApiException missing(String field) {
    return ApiException.invalid("Missing required parameter: '" + field + "'.", field,
        "missing_required_parameter");
  }

  static void number(ObjectNode o, String field, double min, double max) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw ApiException.invalid("'" + field + "' must be a number from " + fmt(min) + " to "
          + fmt(max) + ".", field, v.isNumber() ? "invalid_value" : "invalid_type");
    }
  }

  static void integer(ObjectNode o, String field, long min, long max) {
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

  static void type(JsonNode o, String field, Predicate<JsonNode> ok, String what) {
    type(o, field, field, ok, what);
  }

  /** Checks {@code o.field}, naming it {@code at} in the message. */
  static void type(JsonNode o, String field, String at, Predicate<JsonNode> ok, String what) {
    JsonNode v = o.get(field);
    if (v != null && !v.isNull() && !ok.test(v)) {
      throw ApiException.invalid("'" + at + "' must be " + what + ".", at, "invalid_type");
    }
  }

  /** A non-empty array of objects, each with a string {@code type}, or a string. */
  static void textOrParts(JsonNode content, String at, String partsAre) {
    if (content.isTextual()) {
      return;
    }
    if (!content.isArray()) {
      throw ApiException.invalid("'" + at + "' must be a string or an array of " + partsAre
          + ".", at, "invalid_type");
    }
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String p = at + "[" + i + "]";
      if (!part.isObject() || !part.path("type").isTextual()) {
        throw ApiException.invalid("'" + p + "' must be an object with a string 'type'.", p,
            "invalid_type");
      }
      String type = part.get("type").asText();
      if ((type.equals("text") || type.endsWith("_text")) && !part.path("text").isTextual()) {
        throw ApiException.invalid("'" + p + ".text' must be a string.", p + ".text",
            "invalid_type");
      }
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
