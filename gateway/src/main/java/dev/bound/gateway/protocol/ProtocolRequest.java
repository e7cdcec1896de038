package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One parsed request and what its protocol does with answers for it: read the upstream's, and
 * write a stored one in the protocol's own form.
 */
public interface ProtocolRequest {
  /** The request as the cache sees it. */
  CanonicalRequest canonical();

  /**
   * The body to send upstream. When a streamed answer is to be stored, a protocol may ask for
   * more than the client did (chat asks for the usage chunk) and hide it again in its collector.
   */
  byte[] upstreamBody(boolean storing);

  /**
   * The canonical answer in a whole upstream response body, or null when the body is not a
   * complete answer of this protocol.
   */
  ObjectNode canonicalAnswer(JsonNode upstreamBody);

  /** A fresh collector for the upstream's event stream. */
  StreamCollector collector(boolean storing);

  /** The prefix of the ids this protocol gives answers, e.g. {@code chatcmpl-}. */
  String idPrefix();

  /**
   * A stored canonical answer, with its fresh {@code id} and {@code created} already set, as this
   * protocol's response body.
   */
  JsonNode render(ObjectNode answer);

  /**
   * Whether {@link #render} gives the stored answer itself, so that a whole answer may be
   * written from bytes prepared once for every request that asks for it.
   */
  default boolean rendersAsStored() {
    return false;
  }

  /**
   * The event that ends a stream which failed half way, in this protocol's form; by default the
   * OpenAI API's {@code data: {"error": ...}}.
   *
   * @param sequence the number the stream's next event carries, where its protocol numbers them
   *     ({@link StreamCollector#nextSequence})
   */
  default byte[] errorEvent(String message, String code, long sequence) {
    return ("data: " + new String(Json.error(message, "upstream_error", null, code),
        StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An upstream event as it is passed on: as it came, but for an error in the OpenAI API's bare
   * form ({@code {"error":{...}}}, no type) on an API whose clients read errors in another, which
   * is rewritten into that API's own error event with the upstream's message and code.
   *
   * @param sequence the number the stream's next event carries ({@link
   *     StreamCollector#nextSequence})
   */
  default byte[] passedOn(SseReader.Event event, long sequence) {
    return event.raw();
  }

  /**
   * An upstream's whole error answer (a status of 400 or more) as this protocol's clients
   * read errors; the same array when it is passed on as it came, as by default.
   */
  default byte[] errorAnswer(int status, byte[] body) {
    return body;
  }

  /** Writes a stored answer as this protocol's event stream, pacing pieces when asked to. */
  void replay(OutputStream out, ObjectNode answer, int tokensPerSecond) throws IOException;
}
