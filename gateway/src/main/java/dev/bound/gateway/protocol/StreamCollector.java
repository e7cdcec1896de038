package dev.bound.gateway.protocol;

/**
 * Rebuilds a whole answer from the events of a streamed one while they are passed on, so that an
 * answer that reached its client as a stream is stored in the same form as a whole one.
 */
public interface StreamCollector {
  /** Takes one event; returns whether to pass it on to the client. */
  boolean accept(SseReader.Event event);

  /** Marks the stream as unfit to store, keeping the first reason given. */
  void fail(String why);

  /** Whether the answer was found unfit to store, so that collecting more is of no use. */
  boolean failed();

  /**
   * Whether the stream reached its protocol's last event ({@code [DONE]},
   * {@code response.completed} or {@code message_stop}); a stream that ends without it was cut.
   */
  boolean ended();

  /**
   * Whether an event so far was the upstream's own report of a failure, in any protocol's form;
   * the client then has it, and the answer is unfit to store.
   */
  boolean upstreamError();

  /** Why the answer cannot be stored, or null when it is complete. */
  String incomplete();

  /**
   * About how many characters of answer the collector holds so far (text, tool arguments), which
   * the answer's stored size follows; 0 for a protocol whose answer comes whole in its last event.
   */
  default long collected() {
    return 0;
  }

  /**
   * The sequence number the stream's next event would carry, for protocols that number their
   * events (Responses: one past the highest {@code sequence_number} seen); 0 otherwise.
   */
  default long nextSequence() {
    return 0;
  }

  /** The canonical answer; only when {@link #incomplete()} is null. */
  com.fasterxml.jackson.databind.node.ObjectNode answer();
}
