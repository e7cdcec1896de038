package dev.bound.gateway.admin;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.ApiException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the admin API and the dashboard. Without a configured token the protected parts do
 * not exist (404), so they can never be open by accident. Failed attempts are logged without the
 * token that was offered.
 */
public final class AdminAuth {
  private static final Logger LOG = LoggerFactory.getLogger(AdminAuth.class);
  /** The cookie the dashboard's sign-in sets, holding the token the user typed. */
  public static final String COOKIE = "bound_token";

  private final byte[] admin;
  private final byte[] reader;

  public AdminAuth(BoundConfig.Admin cfg) {
    this.admin = bytes(cfg.adminToken());
    this.reader = bytes(cfg.dashboardToken());
  }

  boolean readerEnabled() {
    return admin != null || reader != null;
  }

  /** Lets the request through with the admin token, or throws 404 / 401. */
  public void requireAdmin(Context ctx) {
    if (admin == null) {
      throw ApiException.notFound("No route for " + ctx.method() + " " + ctx.path() + ".");
    }
    // The bearer header only, never the dashboard's cookie: a browser attaches the cookie to
    // requests any page on the same host (another port included) makes, and the admin API
    // writes. The dashboard itself only reads.
    if (!matches(bearer(ctx), admin)) {
      refuse(ctx);
    }
  }

  /** Lets the request through with the admin or the dashboard token, or throws 404 / 401. */
  public void requireReader(Context ctx) {
    if (!readerEnabled()) {
      throw ApiException.notFound("No route for " + ctx.method() + " " + ctx.path() + ".");
    }
    byte[] t = offered(ctx);
    if (!matches(t, admin) && !matches(t, reader)) {
      refuse(ctx);
    }
  }

  /** Whether a token (as typed into the dashboard's sign-in) opens the dashboard. */
  boolean opensDashboard(String token) {
    byte[] t = bytes(token);
    return matches(t, admin) || matches(t, reader);
  }

  private static void refuse(Context ctx) {
    LOG.warn("refused {} {} from {}: {} token", ctx.method(), ctx.path(), ctx.ip(),
        offered(ctx) == null ? "no" : "wrong");
    throw ApiException.unauthorized("A valid bearer token is required for " + ctx.path() + ".");
  }

  private static byte[] offered(Context ctx) {
    byte[] b = bearer(ctx);
    return b != null ? b : bytes(ctx.cookie(COOKIE));
  }

  private static byte[] bearer(Context ctx) {
    String h = ctx.header("Authorization");
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
        ? bytes(h.substring(7).strip()) : null;
  }

  private static boolean matches(byte[] offered, byte[] expected) {
    return offered != null && expected != null && MessageDigest.isEqual(offered, expected);
  }

  private static byte[] bytes(String s) {
    return s == null || s.isEmpty() ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
