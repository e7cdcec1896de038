package dev.bound.gateway;

/**
 * A failure the client should see, carrying the HTTP status and the fields of the OpenAI error
 * shape; every such failure is turned into a response in one place, {@link Gateway}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public final int status;
  public final String type;
  public final String param;
  public final String code;

  private ApiException(int status, String type, String message, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  public static ApiException invalid(String message, String param, String code) {
    return new ApiException(400, "invalid_request_error", message, param, code);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "invalid_request_error", message, null, "not_found");
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "authentication_error", message, null, "invalid_token");
  }

  public static ApiException forbidden(String message, String code) {
    return new ApiException(403, "invalid_request_error", message, null, code);
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "invalid_request_error", message, null,
        "unsupported_media_type");
  }

  public static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "invalid_request_error", message, null, "method_not_allowed");
  }

  public static ApiException conflict(String message, String code) {
    return new ApiException(409, "invalid_request_error", message, null, code);
  }

  /** The upstream answered, but with something Bound cannot pass on (502). */
  public static ApiException upstreamError(String message, String code) {
    return new ApiException(502, "upstream_error", message, null, code);
  }

  public static ApiException upstreamUnreachable(String message) {
    return new ApiException(502, "upstream_error", message, null, "upstream_unreachable");
  }

  public static ApiException upstreamTimeout(String message) {
    return new ApiException(504, "upstream_error", message, null, "upstream_timeout");
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "server_error", message, null, "unavailable");
  }

  public static ApiException storageUnavailable() {
    return new ApiException(503, "server_error", "The answer storage cannot be reached; try "
        + "again when it is back.", null, "storage_unavailable");
  }

  public static ApiException diskFull() {
    return new ApiException(507, "server_error", "The disk of Bound's data directory is full, so "
        + "this change could not be written; free some space and try again.", null,
        "insufficient_storage");
  }

  public static ApiException internal() {
    return new ApiException(500, "server_error",
        "Bound failed to handle this request; the details are in its log.", null, "internal_error");
  }
}
