package dev.bound.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.util.function.Predicate;
import org.apache.lucene.util.UnicodeUtil;

/**
 * Validation shared by the protocols. It covers what Bound relies on (the types of the fields it
 * reads); other fields pass through untouched for the upstream to judge.
 */
public final class Checks {
  private Checks() {}

  /**
   * Parses any JSON body, turning Jackson's complaint into a short, position-bearing message, and
   * refuses text with an unpaired surrogate ({@link #wellFormed}).
   */
  public static JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      throw ApiException.invalid("The request body is empty; expected a JSON object.", null,
          "invalid_json");
    }
    utf8(body);
    JsonNode root;
    try {
      root = Json.REQUEST_READER.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw ApiException.invalid("The request body is not valid JSON" + where + ": "
          + plain(e.getOriginalMessage()), null, "invalid_json");
    } catch (IOException e) {
      throw ApiException.invalid("The request body could not be read.", null, "invalid_json");
    }
    wellFormed(root);
    return root;
  }

  /**
   * Refuses a body that is not UTF-8 (RFC 8259 asks for it). Jackson reads some malformed bytes
   * leniently, an overlong {@code C0 AF} as '/', while the upstream gets the bytes as they came
   * and may read them otherwise; the answer would then be stored under a key of text the
   * upstream never saw.
   */
  static void utf8(byte[] body) {
    int i = 0;
    while (i < body.length && body[i] >= 0) {
      i++; // ASCII needs no decoder
    }
    if (i == body.length) {
      return;
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body, i, body.length - i));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw ApiException.invalid("The request body is not valid UTF-8; JSON must be sent as "
          + "UTF-8.", null, "invalid_json");
    }
  }

  /**
   * Jackson's message without its advice to the programmer (which feature to enable, which
   * constraint set a limit) and without any source excerpt: the client cannot act on either.
   */
  static String plain(String message) {
    if (message == null) {
      return "malformed input";
    }
    int nl = message.indexOf('\n');
    String m = nl < 0 ? message : message.substring(0, nl);
    m = m.replaceAll("\\s*\\[Source:.*$", "")
        .replaceAll(":?\\s*enable `[^`]*` to allow", "")
        .replaceAll(",?\\s*from `[^`]*`", "")
        .strip();
    return m.isEmpty() ? "malformed input" : m;
  }

  /**
   * Refuses a body with an unpaired UTF-16 surrogate in any string or key: an escaped code unit
   * from D800 to DFFF without its partner ({@link #utf8} has refused raw bytes of that kind).
   * Such a string has no UTF-8 form: hashed for a scope or a key, every one of them would become
   * the same {@code '?'}, so requests with different system prompts or models would share stored
   * answers, and a model name of that kind written into a state file could not be read back.
   */
  static void wellFormed(JsonNode root) {
    String where = unpaired(root);
    if (where != null) {
      String field = where.startsWith(".") ? where.substring(1) : where;
      throw ApiException.invalid((field.isEmpty() ? "The body" : "'" + field + "'")
          + " contains an unpaired UTF-16 surrogate (such as \\ud800 without its partner); send "
          + "well-formed Unicode text.", field.isEmpty() ? null : field, "invalid_unicode");
    }
  }

  /** Where the first string with an unpaired surrogate is ({@code .a[2].b}), or null. */
  private static String unpaired(JsonNode n) {
    switch (n.getNodeType()) {
      case STRING -> {
        return UnicodeUtil.validUTF16String(n.textValue()) ? null : "";
      }
      case OBJECT -> {
        for (var e : n.properties()) {
          if (!UnicodeUtil.validUTF16String(e.getKey())) {
            return "." + e.getKey().replaceAll("\\p{Cs}", "\uFFFD");
          }
          String inner = unpaired(e.getValue());
          if (inner != null) {
            return "." + e.getKey() + inner;
          }
        }
        return null;
      }
      case ARRAY -> {
        for (int i = 0; i < n.size(); i++) {
          String inner = unpaired(n.get(i));
          if (inner != null) {
            return "[" + i + "]" + inner;
          }
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** A body that must be a JSON object, parsed as {@link #parseJson} does. */
  public static ObjectNode parseObject(byte[] body) {
    JsonNode root = parseJson(body);
    if (!root.isObject()) {
      throw ApiException.invalid("The request body must be a JSON object.", null, "invalid_json");
    }
    return (ObjectNode) root;
  }

  /**
   * The longest model name taken, far above any real one. The name is kept in the index, where a
   * term over 32 KiB cannot be, and in the model-versions file, which a name over 50,000
   * characters makes unreadable, so that one such request stopped it being written for everyone.
   */
  static final int MAX_MODEL_CHARS = 1024;

  /** A JSON object body with a non-empty string {@code model} of at most 1024 characters. */
  static ObjectNode objectWithModel(byte[] body) {
    ObjectNode o = parseObject(body);
    JsonNode model = o.get("model");
    if (model == null || model.isNull()) {
      throw missing("model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw ApiException.invalid("'model' must be a non-empty string.", "model", "invalid_type");
    }
    if (model.asText().length() > MAX_MODEL_CHARS) {
      throw ApiException.invalid("'model' must be at most " + MAX_MODEL_CHARS + " characters.",
          "model", "invalid_value");
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
      // The upper bound is named only when it was passed: "at least 1" would not say what is
      // wrong with 2147483648.
      boolean above = v.isIntegralNumber() && (!v.canConvertToLong() || v.asLong() > max);
      String range = max == Long.MAX_VALUE ? "an integer"
          : max == Integer.MAX_VALUE && !above ? "an integer of at least " + min
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
