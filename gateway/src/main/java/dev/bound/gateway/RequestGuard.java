package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.protocol.Protocol;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks every request against what a web page could do to a Bound it can reach through the
 * user's browser: a Host that is not Bound's own (DNS rebinding), a state-changing request from
 * another origin, and a body that is not JSON on a JSON endpoint (which a page could send
 * without a CORS pre-flight). It also answers CORS for the origins that are allowed.
 */
final class RequestGuard {
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Set<String> HEAD_PATHS = Set.of("/healthz", "/readyz");
  private static final List<String> OWN_HEADERS = List.of("X-Bound-Namespace",
      "X-Bound-Threshold", "X-Bound-Cache", "X-Bound-Variants");

  private final List<String> allowedHosts;
  private final List<String> corsOrigins;
  private final Set<String> jsonPaths = new HashSet<>();

  RequestGuard(BoundConfig.Server cfg) {
    this.allowedHosts = cfg.allowedHosts();
    this.corsOrigins = cfg.corsOrigins();
    for (Protocol p : Protocol.all()) {
      jsonPaths.add("/v1" + p.path());
    }
    jsonPaths.add("/v1/embeddings");
    jsonPaths.add("/v1/feedback");
    jsonPaths.add("/admin/feedback");
  }

  void register(RoutesConfig routes) {
    routes.before(this::check);
    if (!corsOrigins.isEmpty()) {
      routes.options("/*", this::preflight);
    }
  }

  private void check(Context ctx) {
    String host = ctx.header("Host");
    if (host != null && !allowedHosts.isEmpty()
        && !allowedHosts.contains(BoundConfig.hostName(host))) {
      throw ApiException.forbidden("The Host header names a host Bound does not serve; add it "
          + "to server.allowed-hosts if it is meant to reach Bound.", "host_not_allowed");
    }
    String origin = ctx.header("Origin");
    boolean corsAllowed = origin != null && corsAllows(origin);
    if (corsAllowed) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Access-Control-Expose-Headers", "*");
      ctx.header("Vary", "Origin");
    }
    checkQuery(ctx);
    checkOwnHeaders(ctx);
    String method = ctx.method().name();
    if (method.equals("HEAD") && !HEAD_PATHS.contains(ctx.path())
        && !ctx.path().startsWith("/v1/")) {
      // Javalin would answer 200 with no body wherever a GET route exists, without running it:
      // no token checked, nothing looked up. Only the probes and the upstream's paths take HEAD.
      throw ApiException.methodNotAllowed("HEAD is answered on /healthz, /readyz and the "
          + "upstream's paths under /v1/; use GET on " + ctx.path() + ".");
    }
    if (SAFE_METHODS.contains(method)) {
      return;
    }
    // The dashboard's own forms come with "Origin: null" (its pages send no referrer), so that
    // value is let through here; a page of another origin, even one on the same host and
    // another port (the same "site", so SameSite cookies go with it), is refused by its Origin
    // or, where it sent "null" too, by the Fetch Metadata every current browser adds.
    if (origin != null && !corsAllowed && !origin.equals("null")
        && !origin.equalsIgnoreCase("http://" + host)
        && !origin.equalsIgnoreCase("https://" + host)) {
      throw ApiException.forbidden("Requests from the web origin " + origin + " are not "
          + "allowed; list it in server.cors-origins to allow them.", "origin_not_allowed");
    }
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (fetchSite != null && !corsAllowed && !fetchSite.equalsIgnoreCase("same-origin")
        && !fetchSite.equalsIgnoreCase("none")) {
      throw ApiException.forbidden("A " + fetchSite + " request from a web page may not "
          + method + " " + ctx.path() + "; list its origin in server.cors-origins to allow it.",
          "origin_not_allowed");
    }
    checkContentType(ctx);
  }

  /**
   * A query string Bound reads itself (admin, dashboard) must decode: a broken escape such as
   * {@code %zz} would otherwise drop its parameter, and a filter with it, without a word. Under
   * {@code /v1/} the query goes to the upstream as it came and is checked there ({@link
   * Upstream#resolve}).
   */
  private static void checkQuery(Context ctx) {
    String query = ctx.queryString();
    if (query == null || query.isEmpty() || ctx.path().startsWith("/v1/")) {
      return;
    }
    for (String part : query.split("&")) {
      try {
        java.net.URLDecoder.decode(part, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("The query string has a malformed percent-escape in '"
            + (part.length() > 80 ? part.substring(0, 80) + "…" : part) + "'.", null,
            "invalid_query");
      }
    }
  }

  /**
   * Bound's own request headers, each at most once: with two, Bound would read the first and say
   * nothing, so a request could be scoped or judged otherwise than its sender meant.
   */
  private static void checkOwnHeaders(Context ctx) {
    for (String name : OWN_HEADERS) {
      java.util.Enumeration<String> values = ctx.req().getHeaders(name);
      if (values != null && values.hasMoreElements()) {
        values.nextElement();
        if (values.hasMoreElements()) {
          throw ApiException.invalid(name + " was sent more than once; send it once.", name,
              "invalid_header");
        }
      }
    }
  }

  /** JSON only on JSON endpoints; no browser "simple" body type on the passed-through ones. */
  private void checkContentType(Context ctx) {
    String type = mediaType(ctx.header("Content-Type"));
    if (jsonPaths.contains(ctx.path())) {
      if (!isJson(type)) {
        throw ApiException.unsupportedMediaType("The body must be JSON, sent with Content-Type: "
            + "application/json" + (type.isEmpty() ? "" : " (not " + type + ")") + ".");
      }
      // A compressed body would be read as JSON text and refused as "not UTF-8".
      String encoding = ctx.header("Content-Encoding");
      if (encoding != null && !encoding.isBlank()
          && !encoding.strip().equalsIgnoreCase("identity")) {
        throw ApiException.unsupportedMediaType("The body must be sent uncompressed: "
            + "Content-Encoding " + encoding.strip() + " is not accepted here.");
      }
    } else if (ctx.path().startsWith("/admin/")) {
      // The admin API reads JSON only; any other body with a type is refused, and a browser
      // cannot send a JSON one to another origin without a CORS pre-flight.
      if (!type.isEmpty() && !isJson(type)) {
        throw ApiException.unsupportedMediaType("The admin API takes JSON bodies, sent with "
            + "Content-Type: application/json (not " + type + ").");
      }
    } else if (ctx.path().startsWith("/v1/") && (type.equals("text/plain")
        || type.equals("application/x-www-form-urlencoded"))) {
      throw ApiException.unsupportedMediaType("Content-Type " + type + " is not accepted here.");
    }
  }

  /** A Content-Type's media type, lower case and without parameters; empty when absent. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip()
        .toLowerCase(Locale.ROOT);
  }

  /** {@code application/json} or a structured {@code +json} type, such as JSON:API's. */
  static boolean isJson(String mediaType) {
    return mediaType.equals("application/json")
        || mediaType.startsWith("application/") && mediaType.endsWith("+json");
  }

  private boolean corsAllows(String origin) {
    return corsOrigins.contains("*") || corsOrigins.stream().anyMatch(origin::equalsIgnoreCase);
  }

  /** Answers a CORS pre-flight from an allowed origin; others get no CORS headers. */
  private void preflight(Context ctx) {
    String origin = ctx.header("Origin");
    ctx.status(204);
    if (origin == null || !corsAllows(origin)) {
      return;
    }
    ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
    String asked = ctx.header("Access-Control-Request-Headers");
    if (asked != null) {
      ctx.header("Access-Control-Allow-Headers", asked);
    }
    ctx.header("Access-Control-Max-Age", "600");
  }
}
