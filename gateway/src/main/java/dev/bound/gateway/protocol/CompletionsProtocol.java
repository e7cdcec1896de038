package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;

/** OpenAI's legacy completions, {@code POST /v1/completions}. */
public final class CompletionsProtocol implements Protocol {
  public static final CompletionsProtocol INSTANCE = new CompletionsProtocol();

  private CompletionsProtocol() {}

  @Override
  public String name() {
    return "completions";
  }

  @Override
  public String path() {
    return "/completions";
  }

  @Override
  public ProtocolRequest parse(byte[] body) {
    ObjectNode o = OpenAiRequest.common(body);
    JsonNode prompt = o.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw Checks.missing("prompt");
    }
    String query = null;
    String shape = "'prompt' must be a string, an array of strings or an array of token arrays.";
    if (prompt.isTextual()) {
      query = prompt.asText();
    } else if (prompt.isArray()) {
      for (JsonNode p : prompt) {
        if (!(p.isTextual() || p.isIntegralNumber() || p.isArray())) {
          throw ApiException.invalid(shape, "prompt", "invalid_type");
        }
      }
      // One text prompt can be matched; a batch of prompts or token ids cannot.
      if (prompt.size() == 1 && prompt.get(0).isTextual()) {
        query = prompt.get(0).asText();
      }
    } else {
      throw ApiException.invalid(shape, "prompt", "invalid_type");
    }
    Checks.integer(o, "best_of", 1, 128);
    Checks.type(o, "echo", JsonNode::isBoolean, "a boolean");
    Checks.type(o, "suffix", JsonNode::isTextual, "a string");
    return new OpenAiRequest(Kind.COMPLETION, o, body, CanonicalRequest.ofCompletion(o,
        query == null || query.isBlank() ? null : query));
  }
}
