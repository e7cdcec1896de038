package dev.bound.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Moving bytes and headers between the client's exchange and the upstream's. */
public final class Http {
  /** Response headers that describe one hop and so are not copied from the upstream. */
  private static final Set<String> HOP_HEADERS = Set.of("connection", "keep-alive",
      "transfer-encoding", "content-length", "upgrade", "proxy-authenticate", "trailer", "te");

  private Http() {}

  /** Reads the whole request body, refusing one over {@code limit} bytes before reading it all. */
  public static byte[] readBody(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.invalid("The request body could not be read: " + e.getMessage(), null,
          "invalid_body");
    }
  }

  private static ApiException tooLarge(long limit) {
    return ApiException.invalid("The request body is larger than server.max-body (" + limit
        + " bytes).", null, "request_too_large");
  }

  public static Map<String, List<String>> requestHeaders(Context ctx) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      out.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
    }
    return out;
  }

  public static void copyResponseHeaders(Context ctx, HttpResponse<?> r) {
    r.headers().map().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")
          && !values.isEmpty()) {
        // Set, then add: the upstream's Content-Type and Date replace the server's defaults
        // instead of standing beside them as a second value.
        ctx.res().setHeader(name, values.get(0));
        for (String v : values.subList(1, values.size())) {
          ctx.res().addHeader(name, v);
        }
      }
    });
  }

  /**
   * Set on a request whose response is the upstream's: Bound's own error pages must not be added
   * to an upstream's 404 or 405, which the client already has.
   */
  public static final String RELAYED = "bound.relayed";

  /**
   * Copies an upstream answer to the client as it arrives, flushing after each read so that
   * server-sent events are not held back. Returns false when either side broke off.
   */
  public static boolean relay(Context ctx, HttpResponse<InputStream> r) {
    ctx.attribute(RELAYED, Boolean.TRUE);
    ctx.status(r.statusCode());
    copyResponseHeaders(ctx, r);
    try (InputStream in = r.body()) {
      OutputStream out = ctx.res().getOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      return true;
    } catch (IOException e) {
      // The client left or the upstream broke off; closing the body cancels the upstream call.
      return false;
    }
  }

  /** Whether an upstream body arrived as it is, with no content encoding to undo. */
  public static boolean identityEncoded(HttpResponse<?> r) {
    return r.headers().firstValue("content-encoding").orElse("identity")
        .equalsIgnoreCase("identity");
  }
}
