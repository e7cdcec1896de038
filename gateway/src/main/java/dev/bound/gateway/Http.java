package dev.bound.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Moving bytes and headers between the client's exchange and the upstream's. */
public final class Http {
  /**
   * Response headers not copied from the upstream: those that describe one hop, cookies (Bound
   * answers many clients under one origin, and a cookie set by the upstream would be shared by
   * them all), and CORS headers (whether a browser may read Bound's answers is Bound's call, see
   * server.cors-origins). The upstream's {@code X-Bound-*} headers are dropped as well, so that
   * it cannot relabel an answer.
   */
  private static final Set<String> NOT_COPIED = Set.of("connection", "keep-alive",
      "transfer-encoding", "content-length", "upgrade", "proxy-authenticate",
      "proxy-connection", "trailer", "te", "set-cookie", "set-cookie2");

  private Http() {}

  /** Bodies up to this size are read into an array of their declared length at once. */
  static final int EXACT_READ = 64 * 1024;

  /** The first array for a body of no declared length, or of one above {@link #EXACT_READ}. */
  static final int FIRST_CHUNK = 4096;

  /** Reads the whole request body, refusing one over {@code limit} bytes before reading it all. */
  public static byte[] readBody(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = readAtMost(in, (int) Math.min(Integer.MAX_VALUE - 8, limit + 1), declared);
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.invalid("The request body could not be read: " + e.getMessage(), null,
          "invalid_body");
    }
  }

  /**
   * Reads a body to its end or to {@code cap} bytes. A declared length up to {@link #EXACT_READ}
   * sizes the array at once, which spares the 16 KiB chunk InputStream.readNBytes allocates and
   * copies for a few hundred bytes (7 % of an exact hit's Java samples, a sixth of what a miss
   * allocated). Otherwise the array grows as bytes arrive, so a peer cannot make Bound hold
   * memory it declared but never sends.
   */
  static byte[] readAtMost(InputStream in, int cap, long declared) throws IOException {
    int first = declared >= 0 && declared <= EXACT_READ ? (int) declared : FIRST_CHUNK;
    byte[] buf = new byte[Math.min(cap, first)];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (n == cap) {
          return buf;
        }
        int next = in.read();
        if (next < 0) {
          return buf;
        }
        buf = Arrays.copyOf(buf, (int) Math.min(cap, Math.max(n + 1L, 2L * n)));
        buf[n++] = (byte) next;
        continue;
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
      }
      n += r;
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

  /** Whether an upstream response header may reach the client. */
  static boolean copied(String name, Set<String> namedInConnection) {
    String lower = name.toLowerCase(Locale.ROOT);
    return !NOT_COPIED.contains(lower) && !namedInConnection.contains(lower)
        && !lower.startsWith("x-bound-") && !lower.startsWith("access-control-")
        && !lower.startsWith(":");
  }

  /**
   * Copies the upstream's response headers but those {@link #copied} refuses, and those its
   * {@code Connection} header names as hop-by-hop.
   */
  public static void copyResponseHeaders(Context ctx, Upstream.Answer<?> r) {
    Set<String> hop = new java.util.HashSet<>();
    for (String v : r.headers().allValues("connection")) {
      for (String token : v.split(",")) {
        hop.add(token.strip().toLowerCase(Locale.ROOT));
      }
    }
    r.headers().map().forEach((name, values) -> {
      if (copied(name, hop) && !values.isEmpty()) {
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
  public static boolean relay(Context ctx, Upstream.Answer<InputStream> r) {
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

  /**
   * Writes an upstream's whole body, read already, straight to the client with its length, so
   * that the client has it before the request's bookkeeping runs (as a hit's body does); the
   * status and headers must be set. Returns false when the client has gone.
   */
  static boolean send(Context ctx, byte[] body) {
    ctx.attribute(RELAYED, Boolean.TRUE);
    try {
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes the start of a body already read, then copies the rest of it from the upstream as it
   * arrives; the status and headers must be set. Returns false when either side broke off.
   */
  static boolean relayRest(Context ctx, byte[] start, InputStream rest) {
    ctx.attribute(RELAYED, Boolean.TRUE);
    try (InputStream in = rest) {
      OutputStream out = ctx.res().getOutputStream();
      out.write(start);
      in.transferTo(out);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The path to forward for a pass-through request, after {@code /v1}: its raw path with dot
   * segments resolved. Refused with a 400 when it would leave {@code /v1/}, or hides a dot
   * segment or a separator behind percent-encoding or a backslash, which an upstream or a proxy
   * in front of it might resolve differently.
   */
  static String forwardedPath(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
        || lower.contains("%00") || raw.indexOf('\\') >= 0) {
      throw refusedPath(raw);
    }
    String path;
    try {
      path = java.net.URI.create(raw).normalize().getRawPath();
    } catch (IllegalArgumentException e) {
      throw refusedPath(raw);
    }
    if (path == null || !path.startsWith("/v1/")) {
      throw refusedPath(raw);
    }
    return path.substring("/v1".length());
  }

  private static ApiException refusedPath(String raw) {
    return ApiException.invalid("The path " + raw + " is not one Bound passes on: it must stay "
        + "under /v1/, with no '.', '/' or '\\' percent-encoded and no backslash.", null,
        "invalid_path");
  }

  /**
   * Whether a whole upstream answer may be read for storing: 200, sent as it is (no content
   * encoding to undo) and labelled JSON, or not labelled at all. An HTML page that happens to
   * hold answer-shaped JSON is passed on, never kept and served later as JSON.
   */
  public static boolean storableAnswer(Upstream.Answer<?> r) {
    String type = RequestGuard.mediaType(r.headers().firstValue("content-type").orElse(null));
    return r.statusCode() == 200
        && r.headers().firstValue("content-encoding").orElse("identity")
            .equalsIgnoreCase("identity")
        && (type.isEmpty() || RequestGuard.isJson(type));
  }
}
