package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;

/**
 * Errors in the shape of Anthropic's API, {@code {"type":"error","error":{"type":...,
 * "message":...}}}, with the error types its documentation lists for each status
 * (docs.claude.com/en/api/errors). Bound's own {@code param} and {@code code} ride along in the
 * error object, which Anthropic's clients allow to grow.
 */
public final class AnthropicErrors {
  private AnthropicErrors() {}

  /** Anthropic's error type for an HTTP status. */
  public static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /**
   * Anthropic's error type for an error known only by its code or type: Bound's own (all
   * upstream failures, so {@code api_error}) or those an OpenAI-shaped upstream uses for the
   * kinds of failure Anthropic types apart.
   */
  static String typeOf(String code) {
    return switch (code == null ? "" : code) {
      case "invalid_request_error", "context_length_exceeded", "invalid_value", "invalid_type",
          "missing_required_parameter", "string_above_max_length", "invalid_prompt",
          "BadRequestError" -> "invalid_request_error";
      case "authentication_error", "invalid_api_key" -> "authentication_error";
      case "permission_error", "permission_denied" -> "permission_error";
      case "not_found_error", "model_not_found" -> "not_found_error";
      case "request_too_large" -> "request_too_large";
      case "rate_limit_error", "rate_limit_exceeded", "tokens", "requests" -> "rate_limit_error";
      case "overloaded_error", "overloaded", "server_overloaded", "engine_overloaded",
          "ServiceUnavailableError" -> "overloaded_error";
      default -> "api_error";
    };
  }

  /** An error body of Anthropic's shape. */
  public static byte[] body(int status, String message, String param, String code) {
    ObjectNode e = Json.object().put("type", "error");
    ObjectNode error = e.putObject("error").put("type", type(status)).put("message", message);
    error.put("param", param);
    error.put("code", code);
    return Json.bytes(e);
  }

  /**
   * An upstream's error answer in Anthropic's shape: as it came when it has that shape already,
   * otherwise rebuilt from its status and whatever message it carries (an OpenAI-shaped error,
   * an HTML page).
   */
  static byte[] fromUpstream(int status, byte[] answer) {
    JsonNode j = Json.parseOrNull(answer);
    if (j != null && j.path("type").asText().equals("error")
        && j.path("error").path("type").isTextual()
        && j.path("error").path("message").isTextual()) {
      return answer;
    }
    String message = null;
    String code = null;
    if (j != null) {
      JsonNode error = j.path("error");
      message = error.isTextual() ? error.asText()
          : error.path("message").isTextual() ? error.path("message").asText()
          : j.path("message").isTextual() ? j.path("message").asText() : null;
      code = error.path("code").isTextual() ? error.path("code").asText() : null;
    }
    if (message == null || message.isBlank()) {
      message = "The upstream answered HTTP " + status
          + (j == null ? " with a body that is not JSON." : ".");
    }
    return body(status, message, null, code);
  }
}
