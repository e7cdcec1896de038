package dev.bound.gateway;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages in the OpenAI error shape: requests refused before they reach a route
 * (headers too large, a malformed request line, a NUL in the path, a new request on an open
 * connection while Bound stops) would otherwise get HTML.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    String text = message == null || message.isBlank() ? "The request was refused." : message;
    String errorCode = switch (code) {
      case 400 -> "bad_request";
      case 413 -> "request_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      default -> "http_" + code;
    };
    if (code == 503 && request.getConnectionMetaData().getConnector().getServer().isStopping()) {
      // Refused by the graceful stop (Gateway.STOP_GRACE), on a connection opened before it.
      text = "Bound is stopping and takes no new requests; send this one again on a new "
          + "connection.";
      errorCode = "shutting_down";
    }
    String type = code >= 500 ? "server_error" : "invalid_request_error";
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    byte[] body = ErrorPages.body(path, code, text, type, null, errorCode);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
