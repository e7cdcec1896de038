package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Collects a Responses event stream. Every event is passed on; the answer is the response the
 * final {@code response.completed} (or {@code response.incomplete}) event carries whole.
 */
final class ResponsesCollector extends JsonEventCollector {
  private final ResponsesRequest request;
  private ObjectNode answer;
  private boolean ended;
  private long nextSequence;

  ResponsesCollector(ResponsesRequest request) {
    this.request = request;
  }

  @Override
  void seen(JsonNode e) {
    JsonNode n = e.get("sequence_number");
    if (n != null && n.canConvertToLong() && n.asLong() >= nextSequence) {
      nextSequence = n.asLong() + 1;
    }
  }

  @Override
  public long nextSequence() {
    return nextSequence;
  }

  @Override
  void on(String type, JsonNode e) {
    switch (type) {
      case "response.completed", "response.incomplete" -> {
        ended = true;
        answer = request.canonicalAnswer(e.path("response"));
        if (answer == null) {
          fail("the response is not one the cache can keep");
        }
      }
      case "response.failed", "error" -> fail("the upstream sent " + type);
      default -> {
        if (answer != null) {
          fail("events after the response completed");
        }
      }
    }
  }

  @Override
  void afterFailure(String type) {
    ended |= type.equals("response.completed") || type.equals("response.incomplete");
  }

  @Override
  public boolean ended() {
    return ended;
  }

  @Override
  public String incomplete() {
    if (failure() != null) {
      return failure();
    }
    return answer == null ? "the stream ended before response.completed" : null;
  }

  @Override
  public ObjectNode answer() {
    return answer;
  }
}
