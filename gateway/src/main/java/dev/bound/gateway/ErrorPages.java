package dev.bound.gateway;

import dev.bound.gateway.protocol.AnthropicErrors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every failure reaches a client: in the OpenAI error shape (Anthropic's on its Messages
 * path), never as a stack trace. Bound's
 * own 404 and 405 pages are not added to an upstream's, which the client already has.
 */
final class ErrorPages {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

  private ErrorPages() {}

  static void register(RoutesConfig routes) {
    routes.exception(ApiException.class, (e, ctx) ->
        writeError(ctx, e.status, e.getMessage(), e.type, e.param, e.code));
    routes.exception(HttpResponseException.class, (e, ctx) -> {
      if (e.getStatus() == 413) {
        // Javalin's own limit (admin routes read their bodies through it): the same answer
        // as a cached endpoint gives for a body over server.max-body.
        writeError(ctx, 400, "The request body is larger than server.max-body.",
            "invalid_request_error", null, "request_too_large");
        return;
      }
      writeError(ctx, e.getStatus(),
          e.getStatus() == 404 ? "No route for " + ctx.method() + " " + ctx.path() + "."
              : e.getMessage(), "invalid_request_error", null, switch (e.getStatus()) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                default -> "http_" + e.getStatus();
              });
    });
    routes.exception(dev.bound.index.StorageUnavailableException.class, (e, ctx) -> {
      LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      ApiException a = ApiException.storageUnavailable();
      writeError(ctx, a.status, a.getMessage(), a.type, a.param, a.code);
    });
    routes.exception(Exception.class, (e, ctx) -> {
      if (diskFull(e)) {
        // Said as what it is: the admin API's writes (documents, imports) answered a 500
        // "details in its log" while the disk was full.
        LOG.warn("{} {}: the disk of the data directory is full: {}", ctx.method(), ctx.path(),
            e.getMessage());
        ApiException a = ApiException.diskFull();
        writeError(ctx, a.status, a.getMessage(), a.type, a.param, a.code);
        return;
      }
      java.nio.file.NoSuchFileException gone =
          Causes.find(e, java.nio.file.NoSuchFileException.class);
      if (gone != null) {
        // Part of the data directory removed under a running Bound (documents, their keys):
        // said as what it is, not as a failure of Bound's own.
        LOG.error("{} {}: {} is missing; was part of the data directory removed while Bound "
            + "runs?", ctx.method(), ctx.path(), gone.getFile());
        writeError(ctx, 503, "A file Bound keeps its data in is missing (" + gone.getFile()
            + "); it was probably removed while Bound runs. Restore it, or restart Bound to "
            + "start that part afresh.", "server_error", null, "data_missing");
        return;
      }
      LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
      ApiException a = ApiException.internal();
      writeError(ctx, a.status, a.getMessage(), a.type, a.param, a.code);
    });
    routes.error(404, ctx -> {
      if (ctx.result() == null && ctx.attribute(Http.RELAYED) == null) {
        writeError(ctx, 404, "No route for " + ctx.method() + " " + ctx.path() + ".",
            "invalid_request_error", null, "not_found");
      }
    });
    routes.error(405, ctx -> {
      if (ctx.result() == null && ctx.attribute(Http.RELAYED) == null) {
        writeError(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + ".",
            "invalid_request_error", null, "method_not_allowed");
      }
    });
  }

  /** Whether a write failed because the file system has no space left, as Linux and macOS say. */
  static boolean diskFull(Throwable e) {
    return Causes.find(e, java.io.IOException.class, t -> t.getMessage() != null
        && t.getMessage().contains("No space left on device")) != null;
  }

  /** Writes an error in the OpenAI shape, or in Anthropic's on Anthropic's path. */
  private static void writeError(Context ctx, int status, String message, String type,
      String param, String code) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(body(ctx.path(), status, message, type, param, code));
  }

  /** An error body in the OpenAI shape, or in Anthropic's for a path under /v1/messages. */
  static byte[] body(String path, int status, String message, String type, String param,
      String code) {
    return path != null && path.startsWith("/v1/messages")
        ? AnthropicErrors.body(status, message, param, code)
        : Json.error(message, type, param, code);
  }
}
