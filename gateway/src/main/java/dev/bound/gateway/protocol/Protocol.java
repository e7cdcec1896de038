package dev.bound.gateway.protocol;

/** One API that clients speak and Bound caches. */
public interface Protocol {
  /** Its name in decision lines, metrics and the dashboard, e.g. {@code responses}. */
  String name();

  /** Its path under {@code /v1}, the same at Bound and at the upstream. */
  String path();

  /** Whether the upstream's own key goes in {@code x-api-key} (Anthropic) or as a bearer token. */
  default boolean keyInXApiKey() {
    return false;
  }

  /**
   * Request headers that change the answer, and so belong to its scope beside the body: none for
   * OpenAI's APIs; {@code anthropic-beta} for Messages, whose beta features change what the
   * model may answer.
   */
  default java.util.List<String> answerShapingHeaders() {
    return java.util.List.of();
  }

  /** Validates a request body; throws {@code ApiException} with a clear message when invalid. */
  ProtocolRequest parse(byte[] body);

  /** The four protocols Bound caches. */
  static java.util.List<Protocol> all() {
    return java.util.List.of(ChatProtocol.INSTANCE, CompletionsProtocol.INSTANCE,
        ResponsesProtocol.INSTANCE, MessagesProtocol.INSTANCE);
  }
}
