package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.admin.AdminApi;
import dev.bound.gateway.admin.AdminAuth;
import dev.bound.gateway.admin.Dashboard;
import dev.bound.gateway.embeddings.EmbeddingsEndpoint;
import dev.bound.gateway.observe.DecisionLog;
import dev.bound.gateway.observe.HitCounts;
import dev.bound.gateway.observe.Metrics;
import dev.bound.gateway.observe.SavingsLedger;
import dev.bound.gateway.protocol.Checks;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.index.AnswerStore;
import dev.bound.index.StoreOptions;
import dev.bound.models.Embedder;
import dev.bound.models.Embedders;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Pooling;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Bound: the HTTP server, the cache and the link to the upstream. {@link #start} loads
 * the embedding model and opens the index before it accepts requests.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final AnswerCache cache;
  private final ScheduledExecutorService timers;
  private final CachePipeline cached;
  private final EnergyAccounting energy;
  private final SavingsLedger ledger;
  private final AdminAuth auth;
  private final Metrics metrics;
  private final BoundDocuments documents;
  private final ModelVersions versions;
  private final HitCounts hits;
  private final AdminApi admin;
  private final Dashboard dashboard;
  /** Null when cache.embeddings.enabled is false: the endpoint is then passed through. */
  private final EmbeddingsEndpoint embeddings;
  private final Embedder embedder;
  private final Javalin app;

  private Gateway(BoundConfig cfg, Path data, Clock clock, Embedder embedder, AnswerStore store,
      Matching matching, EnergyAccounting energy, SavingsLedger ledger, BoundDocuments documents,
      PrintStream logOut) {
    this.cfg = cfg;
    this.clock = clock;
    this.embedder = embedder;
    this.upstream = new Upstream(cfg.upstream());
    this.cache = new AnswerCache(embedder, store, matching, clock);
    this.timers = Background.scheduler("bound-timers");
    this.energy = energy;
    this.ledger = ledger;
    this.auth = new AdminAuth(cfg.admin());
    this.documents = documents;
    this.versions = new ModelVersions(data.resolve("model-versions.json"));
    this.hits = new HitCounts(data.resolve("hit-counts.json"));
    timers.scheduleWithFixedDelay(hits::save, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    timers.scheduleWithFixedDelay(matching::save, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    this.metrics = new Metrics(cache::size, () -> documents.active(), energy.deployment());
    metrics.errorBound(matching);
    this.dashboard = new Dashboard(auth, ledger, clock, matching);
    this.cached = new CachePipeline(cfg, clock, upstream, cache,
        new DecisionLog(logOut, cfg.logDecisions()), timers, energy,
        List.of(ledger, metrics, dashboard, hits), documents, versions);
    this.admin = new AdminApi(auth, cache, documents, hits, energy, cfg.cache(), clock);
    this.embeddings = !cfg.cache().embeddings().enabled() ? null
        : new EmbeddingsEndpoint(cfg, data.resolve("embeddings"), clock, upstream, energy,
            new DecisionLog(logOut, cfg.logDecisions()), List.of(ledger, metrics, dashboard, hits),
            timers);
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.http.compressionStrategy = CompressionStrategy.NONE;
      c.http.maxRequestSize = cfg.server().maxBodyBytes();
      c.jetty.host = cfg.server().host();
      c.jetty.port = cfg.server().port();
      for (Protocol p : Protocol.all()) {
        c.routes.post("/v1" + p.path(), ctx -> cached.handle(ctx, p));
      }
      if (embeddings != null) {
        c.routes.post("/v1/embeddings", embeddings::handle);
      }
      c.routes.post("/v1/feedback", ctx -> feedback(ctx, false));
      c.routes.post("/admin/feedback", ctx -> feedback(ctx, true));
      c.routes.get("/healthz", ctx -> ctx.contentType("application/json")
          .result("{\"status\":\"ok\"}"));
      c.routes.get("/readyz", this::ready);
      c.routes.get("/api/savings", this::savings);
      c.routes.get("/.well-known/bound-keys", ctx -> ctx.contentType("application/jwk-set+json")
          .result(documents.store.keySet()));
      admin.register(c.routes);
      metrics.register(c.routes);
      dashboard.register(c.routes);
      for (String path : List.of("/v1/*")) {
        c.routes.get(path, this::passThrough);
        c.routes.post(path, this::passThrough);
        c.routes.put(path, this::passThrough);
        c.routes.patch(path, this::passThrough);
        c.routes.delete(path, this::passThrough);
      }
      c.routes.exception(ApiException.class, (e, ctx) ->
          writeError(ctx, e.status, e.getMessage(), e.type, e.param, e.code));
      c.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, e.getStatus(),
          e.getStatus() == 404 ? "No route for " + ctx.method() + " " + ctx.path() + "."
              : e.getMessage(), "invalid_request_error", null, switch (e.getStatus()) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "request_too_large";
                default -> "http_" + e.getStatus();
              }));
      c.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        ApiException a = ApiException.internal();
        writeError(ctx, a.status, a.getMessage(), a.type, a.param, a.code);
      });
      c.routes.error(404, ctx -> {
        if (ctx.result() == null && ctx.attribute(Http.RELAYED) == null) {
          writeError(ctx, 404, "No route for " + ctx.method() + " " + ctx.path() + ".",
              "invalid_request_error", null, "not_found");
        }
      });
      c.routes.error(405, ctx -> {
        if (ctx.result() == null && ctx.attribute(Http.RELAYED) == null) {
          writeError(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + ".",
              "invalid_request_error", null, "method_not_allowed");
        }
      });
    });
  }

  /** Starts Bound with the system clock, writing decision lines to standard output. */
  public static Gateway start(BoundConfig cfg) {
    return start(cfg, Clock.systemUTC(), System.out);
  }

  /** Starts Bound; fails with an {@link IllegalStateException} saying what is wrong. */
  public static Gateway start(BoundConfig cfg, Clock clock, PrintStream logOut) {
    return start(cfg, clock, logOut, java.util.concurrent.ThreadLocalRandom.current());
  }

  /** As {@link #start(BoundConfig, Clock, PrintStream)}, with the semantic tier's sampling coins. */
  static Gateway start(BoundConfig cfg, Clock clock, PrintStream logOut,
      java.util.random.RandomGenerator random) {
    if (cfg.upstream().url() == null) {
      throw new IllegalStateException("upstream.url is required: pass --upstream URL or set "
          + "BOUND_UPSTREAM_URL (for example http://localhost:11434/v1)");
    }
    // The energy settings are checked first: a mistake there should not wait for the model.
    EnergyAccounting energy = new EnergyAccounting(cfg.energy());
    Path data = cfg.dataDir().toAbsolutePath().normalize();
    Embedder embedder = Embedders.open(modelSpec(cfg.embedding()), data.resolve("models"));
    AnswerStore store;
    try {
      store = AnswerStore.open(data.resolve("index"),
          new StoreOptions(embedder.name(), embedder.dimension(), cfg.cache().hotTierBytes()));
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
    SavingsLedger ledger = null;
    BoundDocuments documents = null;
    Matching matching = null;
    Gateway g;
    try {
      matching = new Matching(cfg.cache(), modelSpec(cfg.embedding()), data.resolve("models"),
          data.resolve("entry-thresholds.json"), random);
      ledger = SavingsLedger.open(data.resolve("ledger"), clock);
      documents = new BoundDocuments(data, embedder, cfg.cache().documentThreshold(),
          cfg.cache().documentFollowUps());
      g = new Gateway(cfg, data, clock, embedder, store, matching, energy, ledger, documents,
          logOut);
    } catch (RuntimeException e) {
      if (matching != null) {
        matching.close();
      }
      if (documents != null) {
        documents.close();
      }
      if (ledger != null) {
        ledger.close();
      }
      store.close();
      embedder.close();
      throw e;
    }
    try {
      g.app.start();
    } catch (RuntimeException e) {
      g.cache.close();
      if (g.embeddings != null) {
        g.embeddings.close();
      }
      embedder.close();
      throw new IllegalStateException("cannot listen on " + cfg.server().host() + ":"
          + cfg.server().port() + ": " + rootMessage(e), e);
    }
    return g;
  }

  static EmbeddingModelSpec modelSpec(BoundConfig.Embedding e) {
    if (e.dir().isEmpty()) {
      if (!e.pooling().isEmpty()) {
        throw new IllegalStateException("embedding.pooling applies only with embedding.dir; the "
            + "built-in models set their own");
      }
      try {
        return EmbeddingModelSpec.builtin(e.model());
      } catch (IllegalArgumentException ex) {
        throw new IllegalStateException("embedding.model: " + ex.getMessage());
      }
    }
    Pooling pooling = e.pooling().equals("cls") ? Pooling.CLS : Pooling.MEAN;
    return new EmbeddingModelSpec(e.model(), Path.of(e.dir()), pooling, 512);
  }

  /** The port Bound listens on (useful when the configured port is 0). */
  public int port() {
    return app.port();
  }

  /** The base URL to give an OpenAI client, ending in {@code /v1}. */
  public URI url() {
    String host = cfg.server().host().equals("0.0.0.0") ? "127.0.0.1" : cfg.server().host();
    return URI.create("http://" + host + ":" + port() + "/v1");
  }

  /** Waits until every answer stored so far is searchable; for tests and orderly shutdown. */
  public void awaitIndexed() {
    cache.awaitIndexed();
  }

  /**
   * Waits until every request so far has finished its bookkeeping (decision line, savings ledger,
   * metrics), which a plain hit does after its body has gone out; for tests and orderly shutdown.
   */
  public void awaitIdle() {
    try {
      if (!cached.awaitIdle(Duration.ofSeconds(10))) {
        throw new IllegalStateException("requests still in flight after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The answer cache; for tests in this package. */
  AnswerCache cache() {
    return cache;
  }

  /** Number of stored answers. */
  public long entries() {
    return cache.size();
  }

  @Override
  public void close() {
    app.stop();
    try {
      cached.awaitIdle(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Background.stop(timers, Duration.ofSeconds(5), "the timers");
    hits.save();
    ledger.close();
    documents.close();
    cache.close();
    if (embeddings != null) {
      embeddings.close();
    }
    embedder.close();
  }

  // ---- handlers ----

  private void passThrough(Context ctx) {
    String path = ctx.path().substring("/v1".length());
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
    long from = instant(ctx.queryParam("from"), "from", to - 24 * 3_600_000L);
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
    ctx.contentType("application/json").result(Json.bytes(body));
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
    JsonNode body = Checks.parseJson(Http.readBody(ctx, cfg.server().maxBodyBytes()));
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
    if (!cache.matching().feedback(body.get("id").asText(), rating.equals("good"), tenant)) {
      throw ApiException.notFound("No semantic hit with id " + body.get("id").asText()
          + " was served to you in the last two days.");
    }
    ctx.status(202).contentType("application/json").result("{\"recorded\":true}");
  }

  /** Ready when the model answers, the index can be read and the upstream accepts connections. */
  private void ready(Context ctx) {
    ObjectNode checks = Json.object();
    boolean ok = true;
    try {
      ok &= embedder.embed("ready").length == embedder.dimension();
      checks.put("model", embedder.name());
    } catch (RuntimeException e) {
      ok = false;
      checks.put("model", "failed: " + e.getMessage());
    }
    try {
      checks.put("index", cache.size() + " entries");
    } catch (RuntimeException e) {
      ok = false;
      checks.put("index", "failed: " + e.getMessage());
    }
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

  /**
   * Writes an error in the OpenAI shape; on Anthropic's path the body also carries the
   * top-level {@code "type": "error"} that Anthropic's clients look for.
   */
  private static void writeError(Context ctx, int status, String message, String type,
      String param, String code) {
    ctx.status(status);
    ctx.contentType("application/json");
    byte[] body = Json.error(message, type, param, code);
    if (ctx.path().startsWith("/v1/messages")) {
      try {
        ObjectNode anthropic = Json.object().put("type", "error");
        anthropic.setAll((ObjectNode) Json.MAPPER.readTree(body));
        body = Json.bytes(anthropic);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    ctx.result(body);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
