package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.nio.charset.StandardCharsets;

/**
 * A request of an API whose answers are stored in the canonical chat form, not its own: it is
 * forwarded as the client sent it, and its adapter converts answers both ways.
 */
abstract class TranslatedRequest implements ProtocolRequest {
  /** The request body as parsed. */
  final ObjectNode json;
  private final byte[] body;
  private final CanonicalRequest canonical;

  TranslatedRequest(ObjectNode json, byte[] body, CanonicalRequest canonical) {
    this.json = json;
    this.body = body;
    this.canonical = canonical;
  }

  @Override
  public final CanonicalRequest canonical() {
    return canonical;
  }

  @Override
  public final byte[] upstreamBody(boolean storing) {
    return body;
  }

  /**
   * An upstream's error in the OpenAI API's bare form. {@code code} and {@code type} are null
   * when it gave none as text; {@code status} is its code when that is a number (vLLM sends the
   * HTTP status there), else 0.
   */
  record BareError(String message, String code, String type, int status) {}

  /**
   * The error an event carries in the OpenAI API's bare form, {@code {"error":{...}}} with no
   * event name and no type, or null for any other event.
   */
  static BareError bareError(SseReader.Event event) {
    if (event.name() != null || !event.data().stripLeading().startsWith("{\"error\"")) {
      return null;
    }
    JsonNode j = Json.parseOrNull(event.data().getBytes(StandardCharsets.UTF_8));
    if (j == null || j.has("type") || !j.path("error").isObject()) {
      return null;
    }
    JsonNode e = j.path("error");
    return new BareError(e.path("message").isTextual() ? e.path("message").asText()
        : "The upstream reported an error.", textOrNull(e.path("code")),
        textOrNull(e.path("type")), e.path("code").isIntegralNumber() ? e.get("code").asInt() : 0);
  }

  private static String textOrNull(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
