package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;

/** Reading request bodies, shared by the protocols. */
final class Requests {
  static final ObjectMapper JSON = new ObjectMapper();

  private Requests() {}

  /** The body as a JSON object with a string {@code model}, or a {@link BadRequest}. */
  static ObjectNode body(Context ctx) {
    JsonNode req;
    try {
      req = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new BadRequest("body is not valid JSON");
    }
    if (req == null || !req.isObject() || !req.path("model").isTextual()) {
      throw new BadRequest("body must be a JSON object with a string 'model'");
    }
    return (ObjectNode) req;
  }

  /**
   * The text of a message's content: a string, or the {@code text} of each part in a list (OpenAI's
   * {@code text}, {@code input_text} and {@code output_text} parts, Anthropic's text blocks).
   */
  static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.isTextual()) {
        sb.append(part.asText());
      } else if (part.path("text").isTextual()) {
        sb.append(part.get("text").asText());
      }
    }
    return sb.toString();
  }

  /** A deterministic id: the prefix and 16 hex digits from what the request was and its number. */
  static String id(String prefix, String prompt, long call) {
    return prefix + String.format("%016x", SimulatedUpstream.seed(prefix + prompt + call));
  }

  /** A non-negative integer field, or 0 when absent. */
  static int nonNegative(JsonNode req, String field) {
    JsonNode v = req.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return 0;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw new BadRequest("'" + field + "' must be a non-negative integer");
    }
    return v.asInt();
  }
}
