package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;

/**
 * Collects a Responses event stream. Every event is passed on; the answer is the response the
 * final {@code response.completed} (or {@code response.incomplete}) event carries whole.
 */
final class ResponsesCollector implements StreamCollector {
  private final ResponsesRequest request;
  private ObjectNode answer;
  private String failure;

  ResponsesCollector(ResponsesRequest request) {
    this.request = request;
  }

  @Override
  public boolean accept(SseReader.Event event) {
    if (event.data().isBlank() || failure != null) {
      return true;
    }
    JsonNode e;
    try {
      e = Json.MAPPER.readTree(event.data());
    } catch (IOException ex) {
      fail("an event is not JSON");
      return true;
    }
    String type = e.path("type").asText(event.name() == null ? "" : event.name());
    switch (type) {
      case "response.completed", "response.incomplete" -> {
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
    return true;
  }

  @Override
  public void fail(String why) {
    if (failure == null) {
      failure = why;
    }
  }

  @Override
  public String incomplete() {
    if (failure != null) {
      return failure;
    }
    return answer == null ? "the stream ended before response.completed" : null;
  }

  @Override
  public ObjectNode answer() {
    return answer;
  }
}
