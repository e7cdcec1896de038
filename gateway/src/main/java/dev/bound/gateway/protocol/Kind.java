package dev.bound.gateway.protocol;

/** The two kinds of answer Bound stores; answers of different kinds never answer each other. */
public enum Kind {
  /** A conversation's next message: chat completions, Responses and Messages. */
  CHAT("chat.completions", "chat.completion"),
  /** A continuation of one text prompt: the legacy completions API. */
  COMPLETION("completions", "text_completion");

  /** The name that goes into the scope (kept from when each endpoint had its own). */
  public final String scopeName;
  /** The {@code object} of a stored answer of this kind. */
  public final String object;

  Kind(String scopeName, String object) {
    this.scopeName = scopeName;
    this.object = object;
  }
}
