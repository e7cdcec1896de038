package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A chat-completions or completions request. Its answers are stored as they are: the canonical
 * answer is this API's own.
 */
final class OpenAiRequest implements ProtocolRequest {
  private final Kind kind;
  private final ObjectNode json;
  private final byte[] body;
  private final CanonicalRequest canonical;
  /** Whether the client asked for the usage chunk at the end of a stream. */
  private final boolean includeUsage;

  OpenAiRequest(Kind kind, ObjectNode json, byte[] body, CanonicalRequest canonical) {
    this.kind = kind;
    this.json = json;
    this.body = body;
    this.canonical = canonical;
    this.includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
  }

  /** Checks the fields both OpenAI endpoints share. */
  static ObjectNode common(byte[] body) {
    ObjectNode o = Checks.objectWithModel(body);
    Checks.number(o, "presence_penalty", -2, 2);
    Checks.number(o, "frequency_penalty", -2, 2);
    Checks.integer(o, "n", 1, 128);
    Checks.integer(o, "max_tokens", 1, Integer.MAX_VALUE);
    Checks.integer(o, "max_completion_tokens", 1, Integer.MAX_VALUE);
    Checks.integer(o, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    Checks.type(o, "stream_options", JsonNode::isObject, "an object");
    if (o.path("stream_options").isObject()) {
      // Read as a boolean: a string "yes" would otherwise count as false, unnoticed.
      Checks.type(o.get("stream_options"), "include_usage", "stream_options.include_usage",
          JsonNode::isBoolean, "a boolean");
    }
    Checks.type(o, "stop", n -> n.isTextual() || n.isArray(), "a string or an array of strings");
    Checks.type(o, "user", JsonNode::isTextual, "a string");
    return o;
  }

  @Override
  public CanonicalRequest canonical() {
    return canonical;
  }

  @Override
  public byte[] upstreamBody(boolean storing) {
    if (!canonical.stream() || !storing || includeUsage) {
      return body;
    }
    ObjectNode copy = json.deepCopy();
    copy.putObject("stream_options").put("include_usage", true);
    return Json.bytes(copy);
  }

  @Override
  public ObjectNode canonicalAnswer(JsonNode body) {
    return body instanceof ObjectNode o && kind.object.equals(o.path("object").asText(kind.object))
        ? o : null;
  }

  @Override
  public StreamCollector collector(boolean storing) {
    return new ChatStreamCollector(kind, canonical.stream() && storing && !includeUsage);
  }

  @Override
  public String idPrefix() {
    return kind == Kind.CHAT ? "chatcmpl-" : "cmpl-";
  }

  @Override
  public JsonNode render(ObjectNode answer) {
    return answer;
  }

  @Override
  public boolean rendersAsStored() {
    return true;
  }

  @Override
  public void replay(OutputStream out, ObjectNode answer, int tokensPerSecond)
      throws IOException {
    ChatReplay.write(out, kind, answer, includeUsage, tokensPerSecond);
  }
}
