package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.observe.DecisionLog;
import dev.bound.gateway.observe.Outcome;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.gateway.protocol.ProtocolRequest;
import io.javalin.http.Context;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request path every cached API shares: its protocol parses the request, the policy
 * decides, then documents, the exact tier and the semantic tier are consulted in that order; a
 * hit is written back in the protocol's form, and on a miss the upstream's answer is passed on
 * and stored. The decision line, ledger, metrics and dashboard hear of every request once, when
 * it is done.
 */
public final class CachePipeline {
  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final CachePolicy policy;
  private final AnswerCache cache;
  private final DecisionLog decisions;
  private final EnergyAccounting energy;
  private final ApiPrices prices;
  private final List<Outcome.Observer> observers;
  private final StoredAnswers stored;
  private final UpstreamForward forward;
  private final KeyCheck keys;
  private final VariantPools pools;
  private final Dreamer dreamer;
  private final SemanticPool semantic;
  private final AtomicInteger inFlight = new AtomicInteger();

  CachePipeline(BoundConfig cfg, Clock clock, Upstream upstream, AnswerCache cache,
      DecisionLog decisions, java.util.concurrent.ScheduledExecutorService timers,
      EnergyAccounting energy, ApiPrices prices, List<Outcome.Observer> observers,
      BoundDocuments documents, ModelVersions versions, Dreamer dreamer) {
    this.cfg = cfg;
    this.dreamer = dreamer;
    this.clock = clock;
    this.upstream = upstream;
    this.policy = new CachePolicy(cfg.cache());
    this.cache = cache;
    this.decisions = decisions;
    this.energy = energy;
    this.prices = prices;
    this.observers = List.copyOf(observers);
    this.semantic = new SemanticPool(cfg.cache().admission());
    this.stored = new StoredAnswers(cfg.cache(), clock, cache, documents, versions, energy,
        prices, semantic);
    this.forward = new UpstreamForward(cfg, upstream, cache, timers, documents, versions);
    this.keys = new KeyCheck(upstream, cfg.upstream().keyCheck(),
        !cfg.upstream().apiKey().isEmpty());
    this.pools = new VariantPools(cache, cfg.cache().variants());
  }

  /** The check of client keys before hits; shared with the embeddings endpoint. */
  public KeyCheck keys() {
    return keys;
  }

  SemanticPool semantic() {
    return semantic;
  }

  /** Stops the semantic pool's threads once the work already queued is done. */
  void close() {
    semantic.close();
  }

  void handle(Context ctx, Protocol protocol) {
    inFlight.incrementAndGet();
    try {
      run(ctx, protocol);
    } finally {
      if (inFlight.decrementAndGet() == 0) {
        synchronized (inFlight) {
          inFlight.notifyAll();
        }
      }
    }
  }

  /** Requests being handled now; the background work that should wait for quiet reads it. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Waits, at most {@code timeout}, until no request is between its start and the end of its
   * bookkeeping (decision line, ledger, metrics). A plain hit's body reaches the client before
   * that bookkeeping runs, so a caller that has read a response may otherwise be ahead of it.
   *
   * @return whether it went idle in time
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(inFlight, left);
      }
    }
    return true;
  }

  private void run(Context ctx, Protocol protocol) {
    byte[] body = Http.readBody(ctx, cfg.server().maxBodyBytes());
    ProtocolRequest req = protocol.parse(body);
    CanonicalRequest c = req.canonical();
    String tenant = Scope.tenant(ctx.header("X-Bound-Namespace"), clientKey(ctx));
    Double threshold = threshold(ctx.header("X-Bound-Threshold"));
    CachePolicy.Decision d = policy.decide(c, ctx.header("Cache-Control"),
        ctx.header("X-Bound-Cache"));
    Exchange x = new Exchange(clock.instant().toString(), ctx.path(), protocol.name(),
        c.model(), tenant, c.stream(), cfg.dashboard().showPrompts());
    x.prompt(c.queryText());
    AnswerCache.Probe probe = null;
    try {
      if (wantsVariant(ctx, c, d)) {
        probe = variant(ctx, protocol, req, tenant, threshold, x);
        return;
      }
      if (!d.lookup() && !d.store()) {
        bypass(ctx, protocol, body, d, x);
        return;
      }
      probe = cache.probe(Scope.of(c, tenant), c.queryText());
      x.probed = true;
      if (d.lookup() && stored.serve(ctx, req, probe, threshold, x, () -> admit(ctx, x))) {
        return;
      }
      if (x.upstreamStatus != 0) {
        return; // the upstream refused the client's key, and the client has its answer
      }
      x.tier = d.lookup() ? "MISS" : "BYPASS";
      if (d.code() != null) {
        x.code = d.code();
        x.reason = d.reason();
      }
      ctx.header("X-Bound-Cache", x.tier);
      if (x.code != null) {
        ctx.header("X-Bound-Reason", x.code.code());
      }
      forward.miss(ctx, protocol, req, probe, d.store(), x);
    } catch (ApiException e) {
      x.error = e.code;
      throw e;
    } finally {
      if (x.upstreamStatus / 100 == 2) {
        keys.accepted(ctx);
      }
      finish(x, probe);
    }
  }

  /**
   * Whether a stored answer may go to this client (see {@link KeyCheck}). When the upstream
   * refuses its key, the client gets the upstream's refusal; when the upstream cannot say, the
   * request goes upstream as a miss and the upstream judges the key itself.
   */
  private boolean admit(Context ctx, Exchange x) {
    KeyCheck.Result k = keys.check(ctx);
    switch (k.verdict()) {
      case ACCEPTED -> {
        return true;
      }
      case REJECTED -> {
        HttpResponse<byte[]> r = k.rejection();
        ctx.header("X-Bound-Cache", "BYPASS");
        ctx.header("X-Bound-Reason", Reason.KEY_REFUSED.code());
        x.code = Reason.KEY_REFUSED;
        x.reason = "the upstream refused the client's key";
        x.upstreamStatus = r.statusCode();
        Http.copyResponseHeaders(ctx, r);
        ctx.status(r.statusCode()).result(r.body());
        return false;
      }
      default -> {
        x.skipped = "the upstream could not confirm the client's key";
        x.because(Reason.KEY_UNCONFIRMED, null);
        return false;
      }
    }
  }

  /**
   * Whether a request that asks for novelty goes to a variant pool: variants are on for the
   * deployment and not turned off by the request ({@code X-Bound-Variants: off}), and the
   * request would be cached but for its temperature.
   */
  private boolean wantsVariant(Context ctx, CanonicalRequest c, CachePolicy.Decision d) {
    String opt = ctx.header("X-Bound-Variants");
    if (opt != null && !opt.strip().equalsIgnoreCase("off")
        && !opt.strip().equalsIgnoreCase("on")) {
      throw ApiException.invalid("X-Bound-Variants must be on or off.", "X-Bound-Variants",
          "invalid_header");
    }
    return d.code() == Reason.TEMPERATURE && pools.enabled() && c.queryText() != null
        && (opt == null || opt.strip().equalsIgnoreCase("on"));
  }

  /**
   * Serves a variant from the request's full pool, or asks the upstream and offers its answer
   * to the pool. Returns the probe, for the bookkeeping.
   */
  private AnswerCache.Probe variant(Context ctx, Protocol protocol, ProtocolRequest req,
      String tenant, Double threshold, Exchange x) {
    CanonicalRequest c = req.canonical();
    double t = c.temperature() != null ? c.temperature() : cfg.cache().assumedTemperature();
    AnswerCache.Probe probe = cache.probe(Scope.variants(c, tenant, t), c.queryText());
    x.probed = true;
    String cc = ctx.header("Cache-Control");
    boolean lookup = !CachePolicy.has(cc, "no-cache");
    VariantPools.Pool pool = findPool(probe, t, threshold, x);
    if (pool != null) {
      ctx.header("X-Bound-Pool", pool.variants().size() + "/" + pool.target());
      if (lookup) {
        dreamer.asked(probe, protocol, req, Http.requestHeaders(ctx), t, pool);
      }
    }
    if (lookup && pool != null && pool.full()) {
      ctx.header("X-Bound-Variety", String.format(java.util.Locale.ROOT, "%.3f",
          VariantPools.variety(pool.variants())));
      String client = tenant + (c.user() == null ? "" : "\u0000" + c.user());
      AnswerCache.Hit hit = new AnswerCache.Hit(pools.pick(pool, client), pool.similarity(),
          pool.exact(), pool.score());
      if (stored.serveHit(ctx, req, hit, "HIT-VARIANT", probe, x, () -> admit(ctx, x))
          || x.upstreamStatus != 0) {
        return probe;
      }
    }
    x.tier = lookup ? "MISS" : "BYPASS";
    x.because(lookup ? Reason.VARIANT_POOL_FILLING : Reason.NO_CACHE,
        lookup ? "variant pool " + (pool == null ? "unread" : pool.variants().size() + " of "
            + pool.target())
            : "Cache-Control: no-cache");
    ctx.header("X-Bound-Cache", x.tier);
    ctx.header("X-Bound-Reason", x.code.code());
    // Unjudged (overloaded), a fresh answer cannot be filed as a variant: it is only passed on.
    forward.miss(ctx, protocol, req, probe, pool != null && !CachePolicy.has(cc, "no-store"), x);
    return probe;
  }

  /** The request's variant pool, found on the semantic pool; null when that had no room. */
  private VariantPools.Pool findPool(AnswerCache.Probe probe, double t, Double threshold,
      Exchange x) {
    try {
      return semantic.call(() -> pools.find(probe, t, threshold));
    } catch (SemanticPool.Overloaded e) {
      x.because(Reason.OVERLOADED, e.getMessage());
      return null;
    }
  }

  /** Passes the request through untouched. */
  private void bypass(Context ctx, Protocol protocol, byte[] body, CachePolicy.Decision d,
      Exchange x) {
    ctx.header("X-Bound-Cache", "BYPASS");
    ctx.header("X-Bound-Reason", d.code().code());
    x.code = d.code();
    x.reason = d.reason();
    long u0 = System.nanoTime();
    HttpResponse<InputStream> r = upstream.open("POST", upstream.resolve(protocol.path(), null),
        Http.requestHeaders(ctx), body, protocol.keyInXApiKey());
    x.upstreamStatus = r.statusCode();
    if (!Http.relay(ctx, r)) {
      x.aborted = true;
    }
    x.upstreamNanos = System.nanoTime() - u0;
  }

  /** Prices the request, then tells the decision log and every observer. */
  private void finish(Exchange x, AnswerCache.Probe probe) {
    if (probe != null) {
      x.embedNanos = probe.embedNanos;
      x.searchNanos = probe.searchNanos;
    }
    if (x.account == null) {
      x.account = energy.account(x.model, null, x.embedNanos + x.searchNanos);
    }
    if (x.apiCost == null) {
      x.apiCost = ApiPrices.Cost.none(prices.currency());
    }
    x.latencyNanos = System.nanoTime() - x.startNanos;
    decisions.write(x.decisionLine(energy.deployment().currency()));
    Outcome o = x.outcome(clock.millis());
    for (Outcome.Observer obs : observers) {
      obs.observe(o);
    }
  }

  /**
   * The client's key, which names its tenant: the Authorization header, or Anthropic's
   * {@code x-api-key}, taken as the bearer token it stands for so that one key is one tenant
   * whichever header carries it.
   */
  public static String clientKey(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null && !auth.isBlank()) {
      return auth;
    }
    String key = ctx.header("x-api-key");
    return key == null || key.isBlank() ? null : "Bearer " + key.strip();
  }

  /** The request's own threshold, or null for the configured ones. */
  private static Double threshold(String header) {
    if (header == null) {
      return null;
    }
    try {
      double t = Double.parseDouble(header.strip());
      if (t >= 0 && t <= 1) {
        return t;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ApiException.invalid("X-Bound-Threshold must be a number from 0 to 1.",
        "X-Bound-Threshold", "invalid_header");
  }
}
