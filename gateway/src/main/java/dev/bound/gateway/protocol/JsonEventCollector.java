package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.Json;
import java.io.IOException;

/**
 * A collector for APIs whose events each carry one JSON object with its {@code type}, all passed
 * on to the client: Responses and Messages. It parses each event and keeps the first failure.
 */
abstract class JsonEventCollector implements StreamCollector {
  private String failure;
  private boolean upstreamError;

  @Override
  public final boolean accept(SseReader.Event event) {
    // by its name, even when its data is not JSON
    upstreamError |= errorNamed(event);
    if (event.data().isBlank()) {
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
    seen(e);
    if (isError(event, e, type)) {
      upstreamError = true;
      fail("the upstream sent an error event");
    }
    if (failure == null) {
      try {
        on(type, e);
      } catch (RuntimeException ex) {
        // A field of the wrong kind ("message": 5): the event is still passed on as it came,
        // but what it builds is nothing the cache may keep.
        fail("a " + type + " event is malformed");
        afterFailure(type);
      }
    } else {
      afterFailure(type);
    }
    return true;
  }

  /**
   * Whether an event reports a failure in any form an upstream uses: named or typed {@code
   * error} or {@code response.failed}, or carrying an {@code error} object at its top, as the
   * OpenAI error shape does with no type at all. An answer such an event interrupts is never
   * stored, whatever follows it.
   */
  private static boolean isError(SseReader.Event event, JsonNode e, String type) {
    return errorNamed(event) || type.equals("error") || type.equals("response.failed")
        || e.path("error").isObject();
  }

  /** Whether an event's name says it reports a failure: {@code error} or {@code response.failed}. */
  private static boolean errorNamed(SseReader.Event event) {
    return "error".equals(event.name()) || "response.failed".equals(event.name());
  }

  /**
   * Takes the type of an event that came after the answer was found unfit, which matters only
   * to {@link #ended}.
   */
  abstract void afterFailure(String type);

  /** Sees every parsed event first, whether the answer is still fit or not. */
  void seen(JsonNode event) {}

  /** Takes one parsed event of the given type. */
  abstract void on(String type, JsonNode event);

  @Override
  public final void fail(String why) {
    if (failure == null) {
      failure = why;
    }
  }

  @Override
  public final boolean failed() {
    return failure != null;
  }

  @Override
  public final boolean upstreamError() {
    return upstreamError;
  }

  /** The first failure, or null. */
  final String failure() {
    return failure;
  }
}
