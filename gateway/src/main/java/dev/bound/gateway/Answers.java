package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/** What makes an upstream answer fit to store and to serve again. */
final class Answers {
  private Answers() {}

  /**
   * Whether a parsed answer is complete and policy lets it be kept: an object of the endpoint's
   * kind with at least one choice, every choice finished normally ({@code stop} or
   * {@code length}), or with tool calls only when {@code toolCalls} allows them.
   */
  static boolean storable(JsonNode answer, Endpoint endpoint, boolean toolCalls) {
    JsonNode choices = answer.path("choices");
    if (!answer.isObject() || !choices.isArray() || choices.isEmpty()) {
      return false;
    }
    for (JsonNode choice : choices) {
      String finish = choice.path("finish_reason").asText("");
      boolean calls = callsTools(choice) || finish.equals("tool_calls")
          || finish.equals("function_call");
      boolean finished = calls ? toolCalls : finish.equals("stop") || finish.equals("length");
      boolean shaped = endpoint == Endpoint.CHAT ? choice.path("message").isObject()
          : choice.path("text").isTextual();
      if (!finished || !shaped) {
        return false;
      }
    }
    return true;
  }

  /** Whether any choice of a stored answer calls a tool or function. */
  static boolean anyCallsTools(JsonNode answer) {
    for (JsonNode choice : answer.path("choices")) {
      if (callsTools(choice)) {
        return true;
      }
    }
    return false;
  }

  private static boolean callsTools(JsonNode choice) {
    JsonNode message = choice.path("message");
    return message.path("tool_calls").size() > 0 || message.hasNonNull("function_call");
  }
}
