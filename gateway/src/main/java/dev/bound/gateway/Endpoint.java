package dev.bound.gateway;

/** The two endpoints whose answers Bound caches. */
enum Endpoint {
  CHAT("chat.completions", "/chat/completions", "chat.completion", "chat.completion.chunk"),
  COMPLETIONS("completions", "/completions", "text_completion", "text_completion");

  /** The name that goes into the scope, so the two endpoints never share answers. */
  final String scopeName;
  /** The path under {@code /v1}. */
  final String path;
  /** The {@code object} of a whole answer. */
  final String object;
  /** The {@code object} of one streamed chunk. */
  final String chunkObject;

  Endpoint(String scopeName, String path, String object, String chunkObject) {
    this.scopeName = scopeName;
    this.path = path;
    this.object = object;
    this.chunkObject = chunkObject;
  }
}
