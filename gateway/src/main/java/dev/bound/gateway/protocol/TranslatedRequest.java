package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
}
