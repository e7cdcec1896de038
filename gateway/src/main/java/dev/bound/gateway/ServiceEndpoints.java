package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.admin.AdminAuth;
import dev.bound.gateway.admin.TenantNames;
import dev.bound.gateway.observe.SavingsLedger;
import dev.bound.gateway.protocol.Checks;
import dev.bound.models.Embedder;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;

/**
 * The endpoints around the cache: health and readiness, savings, feedback on served answers, the
 * document signing keys, and the plain pass-through for every other path under {@code /v1}.
 */
final class ServiceEndpoints {
  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final AdminAuth auth;
  private final SavingsLedger ledger;
  private final EnergyAccounting energy;
  private final AnswerCache cache;
  private final StoredCount stored;
  private final BoundDocuments documents;
  private final Embedder embedder;
  private final ApiPrices prices;
  private final TenantNames tenants;

  ServiceEndpoints(BoundConfig cfg, Clock clock, Upstream upstream, AdminAuth auth,
      SavingsLedger ledger, EnergyAccounting energy, AnswerCache cache, StoredCount stored,
      BoundDocuments documents, Embedder embedder, ApiPrices prices) {
    this.stored = stored;
    this.prices = prices;
    this.tenants = new TenantNames(cfg.dashboard().tenantNames());
    this.cfg = cfg;
    this.clock = clock;
    this.upstream = upstream;
    this.auth = auth;
    this.ledger = ledger;
    this.energy = energy;
    this.cache = cache;
    this.documents = documents;
    this.embedder = embedder;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/feedback", ctx -> feedback(ctx, false));
    routes.post("/admin/feedback", ctx -> feedback(ctx, true));
    Handler healthy = ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}");
    routes.get("/healthz", healthy);
    routes.get("/readyz", this::ready);
    // Load balancers probe with HEAD: the same status, no body. (Without a HEAD route, Javalin
    // answers HEAD 200 wherever a GET route exists, without running it; see RequestGuard.)
    routes.head("/healthz", healthy);
    routes.head("/readyz", this::ready);
    routes.get("/api/savings", this::savings);
    routes.get("/.well-known/bound-keys", ctx -> ctx.contentType("application/jwk-set+json")
        .result(documents.store.keySet()));
  }

  /** Every other path under /v1 goes to the upstream untouched; registered last. */
  void registerPassThrough(RoutesConfig routes) {
    routes.get("/v1/*", this::passThrough);
    routes.head("/v1/*", this::passThrough);
    routes.post("/v1/*", this::passThrough);
    routes.put("/v1/*", this::passThrough);
    routes.patch("/v1/*", this::passThrough);
    routes.delete("/v1/*", this::passThrough);
  }

  private void passThrough(Context ctx) {
    String path = Http.forwardedPath(ctx.path());
    byte[] body = Http.readBody(ctx, cfg.server().maxBodyBytes());
    Http.relay(ctx, upstream.open(ctx.method().name(), upstream.resolve(path, ctx.queryString()),
        Http.requestHeaders(ctx), body));
  }

  /**
   * The savings ledger as JSON, for the admin or dashboard token: {@code granularity} (minute, hour or day; default hour),
   * {@code from} and {@code to} (epoch milliseconds or ISO-8601; default the last 24 hours),
   * {@code model} and {@code tenant} filters.
   */
  private void savings(Context ctx) {
    auth.requireReader(ctx);
    SavingsLedger.Granularity g;
    String gran = ctx.queryParam("granularity");
    try {
      g = gran == null ? SavingsLedger.Granularity.HOUR
          : SavingsLedger.Granularity.valueOf(gran.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("granularity must be minute, hour or day.", "granularity",
          "invalid_value");
    }
    long now = clock.millis();
    long to = instant(ctx.queryParam("to"), "to", now + 1);
    // The default day before 'to' never reaches before 1970, which 'from' itself may not.
    long from = instant(ctx.queryParam("from"), "from", Math.max(0, to - 24 * 3_600_000L));
    if (from >= to) {
      throw ApiException.invalid("'from' must be before 'to'.", "from", "invalid_value");
    }
    ObjectNode body = ledger.query(g, g.start(from), to, ctx.queryParam("model"),
        ctx.queryParam("tenant"));
    ObjectNode assumptions = body.putObject("assumptions");
    var d = energy.deployment();
    assumptions.put("accelerator", d.accelerator().name());
    assumptions.put("batch", d.batch());
    assumptions.put("pue", d.pue());
    assumptions.put("grid_intensity_gco2e_per_kwh", d.gridIntensity());
    assumptions.put("price_per_kwh", d.pricePerKwh());
    assumptions.put("currency", d.currency());
    assumptions.put("default_profile", cfg.energy().defaultProfile());
    assumptions.put("cpu_watts", cfg.energy().cpuWatts());
    assumptions.put("method", "models/ENERGY.md");
    apiBill(body);
    ctx.contentType("application/json").result(Json.bytes(body));
  }

  /**
   * Labels the API-bill figures: their currency and price sources, each model's price or that it
   * has none (its hits are then counted in {@code api_unpriced_hits}), and tenants' names.
   */
  private void apiBill(ObjectNode body) {
    ObjectNode a = (ObjectNode) body.get("assumptions");
    a.put("api_currency", prices.currency());
    a.put("api_prices", "list prices per million tokens at the standard tier; see README, "
        + "\"API bill avoided\"");
    prices.sources().forEach(a.withArray("api_price_sources")::add);
    for (JsonNode m : body.path("by_model")) {
      ObjectNode row = (ObjectNode) m;
      prices.find(row.path("model").asText()).ifPresentOrElse(p -> {
        ObjectNode price = row.putObject("api_price");
        price.put("input", p.input());
        price.put("cached_input", p.cachedInput());
        price.put("cache_write", p.cacheWrite());
        price.put("output", p.output());
        price.put("source", p.source());
        price.put("checked", p.checked());
      }, () -> row.put("api_price_note", "no API price known for this model"));
    }
    for (JsonNode t : body.path("by_tenant")) {
      String name = tenants.name(t.path("tenant").asText());
      if (name != null) {
        ((ObjectNode) t).put("name", name);
      }
    }
  }

  private static long instant(String v, String param, long fallback) {
    if (v == null) {
      return fallback;
    }
    try {
      return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v)
          : java.time.Instant.parse(v).toEpochMilli();
    } catch (RuntimeException e) {
      throw ApiException.invalid("'" + param + "' must be epoch milliseconds or an ISO-8601 "
          + "instant such as 2026-01-31T12:00:00Z.", param, "invalid_value");
    }
  }

  /**
   * Feedback on a served answer: {@code {"id": "<response id>", "rating": "good" | "bad"}}.
   * Clients may rate the answers their own tenant received; the admin may rate any.
   */
  private void feedback(Context ctx, boolean asAdmin) {
    if (asAdmin) {
      auth.requireAdmin(ctx);
    }
    JsonNode body = Checks.parseObject(Http.readBody(ctx, cfg.server().maxBodyBytes()));
    if (!body.path("id").isTextual()) {
      throw ApiException.invalid("'id' must be the id of a response Bound served.", "id",
          "invalid_type");
    }
    String rating = body.path("rating").asText("");
    if (!rating.equals("good") && !rating.equals("bad")) {
      throw ApiException.invalid("'rating' must be \"good\" or \"bad\".", "rating",
          "invalid_value");
    }
    String tenant = asAdmin ? null
        : Scope.tenant(ctx.header("X-Bound-Namespace"), CachePipeline.clientKey(ctx));
    switch (cache.matching().feedback(body.get("id").asText(), rating.equals("good"), tenant)) {
      case UNKNOWN -> throw ApiException.notFound("No semantic hit with id "
          + body.get("id").asText() + " was served to you in the last two days.");
      case ALREADY_RATED -> throw ApiException.conflict("Response " + body.get("id").asText()
          + " has been rated already; each response counts once.", "already_rated");
      case RECORDED -> { }
    }
    ctx.status(202).contentType("application/json").result("{\"recorded\":true}");
  }

  /** The first line of a message, at most 240 characters: a check is read at a glance. */
  static String oneLine(String message) {
    String m = String.valueOf(message).strip().lines().findFirst().orElse("");
    return m.length() <= 240 ? m : m.substring(0, 239) + "…";
  }

  /**
   * Ready when the model answers, the index can be read and written and keeps up (its backlog is
   * at most storage.max-backlog), and the upstream accepts connections.
   */
  private void ready(Context ctx) {
    ObjectNode checks = Json.object();
    boolean ok = true;
    try {
      ok &= embedder.embed("ready").length == embedder.dimension();
      checks.put("model", embedder.name());
    } catch (RuntimeException e) {
      ok = false;
      checks.put("model", "failed: " + oneLine(e.getMessage()));
    }
    try {
      String unwritable = cache.store().writeFailure().orElse(null);
      if (unwritable != null) {
        ok = false; // hits are still served, but no answer is kept any more
        checks.put("index", "failed: " + unwritable);
      } else {
        checks.put("index", stored.get() + " entries");
      }
    } catch (dev.bound.index.StorageUnavailableException e) {
      ok = false; // requests are still answered, through the upstream alone
      checks.put("index", "storage unavailable: " + oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      ok = false;
      checks.put("index", "failed: " + oneLine(e.getMessage()));
    }
    long backlog = cache.backlog();
    int limit = cfg.storage().maxBacklog();
    ok &= backlog <= limit;
    checks.put("backlog", backlog + " answers waiting for the index (limit " + limit + ")");
    URI u = upstream.base();
    int port = u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), port), 2000);
      checks.put("upstream", "reachable");
    } catch (IOException e) {
      ok = false;
      checks.put("upstream", "unreachable: " + u.getHost() + ":" + port);
    }
    ObjectNode body = Json.object().put("status", ok ? "ready" : "not ready");
    body.set("checks", checks);
    ctx.status(ok ? 200 : 503).contentType("application/json").result(Json.bytes(body));
  }
}
