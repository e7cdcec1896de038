package dev.bound.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;
import dev.bound.gateway.Matching;
import dev.bound.gateway.observe.Outcome;
import dev.bound.gateway.observe.SavingsLedger;
import dev.bound.gateway.observe.WrongHitEstimate;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The savings dashboard at {@code /dashboard}, its sign-in, and the small JSON it reads besides
 * {@code /api/savings}: the latest decisions and the most-hit entries and documents (see
 * {@link RecentDecisions}), and the wrong-hit estimate with the error bound's state.
 */
public final class Dashboard implements Outcome.Observer {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  private static final String RESOURCES = "/bound/dashboard/";
  private static final String CHART_JS = chartJsPath();
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
      + "base-uri 'none'";

  private final AdminAuth auth;
  private final Clock clock;
  private final Matching matching;
  private final long since;
  private final RecentDecisions recent;

  public Dashboard(AdminAuth auth, SavingsLedger ledger, Clock clock, Matching matching,
      BoundConfig.Dashboard view) {
    this.auth = auth;
    this.recent = new RecentDecisions(new TenantNames(view.tenantNames()), view.showPrompts());
    this.clock = clock;
    this.matching = matching;
    this.since = clock.millis();
  }

  public void register(RoutesConfig routes) {
    routes.get("/dashboard", this::page);
    routes.post("/dashboard/login", this::login);
    routes.post("/dashboard/logout", this::logout);
    routes.get("/dashboard/assets/{file}", this::asset);
    routes.get("/api/decisions", this::decisions);
    routes.get("/api/top", this::top);
    routes.get("/api/quality", this::quality);
  }

  @Override
  public void observe(Outcome o) {
    recent.observe(o);
  }

  // ---- pages ----

  private void page(Context ctx) {
    if (!auth.readerEnabled()) {
      throw ApiException.notFound("No route for GET " + ctx.path() + ".");
    }
    String cookie = ctx.cookie(AdminAuth.COOKIE);
    if (signedIn(ctx)) {
      html(ctx, 200, resource(RESOURCES + "index.html"));
    } else if (cookie != null && !cookie.isEmpty()) {
      clearCookie(ctx);
      html(ctx, 200, signIn("The saved token no longer opens the dashboard; sign in again."));
    } else {
      html(ctx, 200, signIn(null));
    }
  }

  private void login(Context ctx) {
    if (!auth.readerEnabled()) {
      throw ApiException.notFound("No route for POST " + ctx.path() + ".");
    }
    String token = ctx.formParam("token");
    token = token == null ? "" : token.strip();
    if (!auth.opensDashboard(token)) {
      LOG.warn("refused dashboard sign-in from {}: {} token", ctx.ip(),
          token.isEmpty() ? "no" : "wrong");
      html(ctx, 401, signIn("That token does not open the dashboard."));
      return;
    }
    if (!cookieSafe(token)) {
      html(ctx, 400, signIn("This token is valid but has characters a cookie cannot hold "
          + "(spaces, quotes, commas, semicolons, backslashes or non-ASCII); configure one "
          + "without them to use the dashboard."));
      return;
    }
    ctx.res().addHeader("Set-Cookie", AdminAuth.COOKIE + "=" + token
        + "; Path=/; HttpOnly; SameSite=Strict" + secure(ctx));
    ctx.header("Cache-Control", "no-store");
    ctx.redirect("/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    if (!auth.readerEnabled()) {
      throw ApiException.notFound("No route for POST " + ctx.path() + ".");
    }
    clearCookie(ctx);
    ctx.redirect("/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  /** The page's script, style and the charting library, from the jar; public like a login page. */
  private void asset(Context ctx) {
    if (!auth.readerEnabled()) {
      throw ApiException.notFound("No route for GET " + ctx.path() + ".");
    }
    String file = ctx.pathParam("file");
    byte[] body;
    String type;
    switch (file) {
      case "app.js" -> {
        body = resource(RESOURCES + "app.js");
        type = "text/javascript; charset=utf-8";
      }
      case "app.css" -> {
        body = resource(RESOURCES + "app.css");
        type = "text/css; charset=utf-8";
      }
      case "chart.js" -> {
        body = resource(CHART_JS);
        type = "text/javascript; charset=utf-8";
      }
      default -> throw ApiException.notFound("No route for GET " + ctx.path() + ".");
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(type).result(body);
  }

  // ---- JSON ----

  /**
   * {@code GET /api/decisions?limit=50}: the latest decisions, newest first (at most 200), each
   * with its reason code, scores and API saving, and its prompts when they may be shown.
   */
  private void decisions(Context ctx) {
    auth.requireReader(ctx);
    ObjectNode body = Json.object();
    body.put("since", since);
    recent.decisions(body, limit(ctx, 50, RecentDecisions.MAX_DECISIONS));
    json(ctx, body);
  }

  /** {@code GET /api/top?limit=10}: the most-hit entries and bound documents since start. */
  private void top(Context ctx) {
    auth.requireReader(ctx);
    ObjectNode body = Json.object();
    body.put("since", since);
    recent.top(body, limit(ctx, 10, 100));
    json(ctx, body);
  }

  /**
   * {@code GET /api/quality}: the live wrong-hit estimate from sampled verification, overall and
   * per model, the feedback counts beside it, and the error bound's target, threshold and
   * predicted rate. Rates are null where there is nothing to estimate them from.
   */
  private void quality(Context ctx) {
    auth.requireReader(ctx);
    ObjectNode body = Json.object();
    body.put("matcher", matching.matcherName());
    RecentDecisions.number(body, "error_rate", matching.errorRate());
    RecentDecisions.number(body, "threshold", matching.errorBoundThreshold());
    body.put("serving", matching.errorBoundThreshold() != Double.POSITIVE_INFINITY);
    RecentDecisions.number(body, "predicted_error", matching.predictedErrorRate());
    body.put("verify_sample_rate", matching.verifySampleRate());
    body.put("calibration_observations", matching.calibration().observations());
    body.put("calibration_offline_observations", matching.calibration().offlineObservations());
    WrongHitEstimate e = matching.estimate();
    counts(body.putObject("overall"), e.overall());
    ArrayNode models = body.putArray("by_model");
    e.byModel().forEach((model, c) -> counts(models.addObject().put("model", model), c));
    json(ctx, body);
  }

  private static void counts(ObjectNode n, WrongHitEstimate.Counts c) {
    n.put("verified", c.verified());
    n.put("verified_wrong", c.verifiedWrong());
    WrongHitEstimate.Interval i = c.interval();
    RecentDecisions.number(n, "estimate", i.estimate());
    RecentDecisions.number(n, "low", i.low());
    RecentDecisions.number(n, "high", i.high());
    n.put("feedback_good", c.feedbackGood());
    n.put("feedback_bad", c.feedbackBad());
  }

  // ---- helpers ----

  private boolean signedIn(Context ctx) {
    String h = ctx.header("Authorization");
    if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
        && auth.opensDashboard(h.substring(7).strip())) {
      return true;
    }
    return auth.opensDashboard(ctx.cookie(AdminAuth.COOKIE));
  }

  private byte[] signIn(String error) {
    String page = new String(resource(RESOURCES + "signin.html"), StandardCharsets.UTF_8);
    String message = error == null ? ""
        : "<p class=\"error\" id=\"signin-error\" role=\"alert\">" + escape(error) + "</p>";
    return page.replace("<!--error-->", message).getBytes(StandardCharsets.UTF_8);
  }

  private static void html(Context ctx, int status, byte[] page) {
    ctx.status(status);
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8").result(page);
  }

  private static void json(Context ctx, ObjectNode body) {
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json").result(Json.bytes(body));
  }

  private static void clearCookie(Context ctx) {
    ctx.res().addHeader("Set-Cookie", AdminAuth.COOKIE
        + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure(ctx));
  }

  private static String secure(Context ctx) {
    String proto = ctx.header("X-Forwarded-Proto");
    return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(proto)
        ? "; Secure" : "";
  }

  /** RFC 6265 cookie-octets: the token goes into the cookie as it is, unquoted. */
  static boolean cookieSafe(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static int limit(Context ctx, int fallback, int max) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ApiException.invalid("limit must be an integer from 1 to " + max + ".", "limit",
        "invalid_value");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static byte[] resource(String path) {
    try (InputStream in = Dashboard.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the Chart.js WebJar keeps its bundle; the version comes from the jar itself. */
  private static String chartJsPath() {
    Properties p = new Properties();
    try (InputStream in = Dashboard.class.getResourceAsStream(
        "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the Chart.js WebJar is not on the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "/META-INF/resources/webjars/chart.js/" + p.getProperty("version")
        + "/dist/chart.umd.min.js";
  }
}
