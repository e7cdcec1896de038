package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.observe.DecisionLog;
import dev.bound.gateway.observe.Outcome;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.gateway.protocol.ProtocolRequest;
import dev.bound.index.StorageUnavailableException;
import io.javalin.http.Context;
import java.io.InputStream;
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
  private final SemanticPool semantic;
  private final VariantPath variants;
  private final java.util.concurrent.ScheduledExecutorService timers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Coalescer coalescer = new Coalescer();

  CachePipeline(BoundConfig cfg, Clock clock, Upstream upstream, AnswerCache cache,
      DecisionLog decisions, java.util.concurrent.ScheduledExecutorService timers,
      EnergyAccounting energy, ApiPrices prices, List<Outcome.Observer> observers,
      BoundDocuments documents, ModelVersions versions, Dreamer dreamer) {
    this.cfg = cfg;
    this.timers = timers;
    this.clock = clock;
    this.upstream = upstream;
    this.policy = new CachePolicy(cfg.cache());
    this.cache = cache;
    this.decisions = decisions;
    this.energy = energy;
    this.prices = prices;
    this.observers = List.copyOf(observers);
    this.semantic = new SemanticPool(cfg.cache().admission(), inFlight::get,
        cache.matching()::coin);
    this.forward = new UpstreamForward(cfg, upstream, cache, timers, documents, versions);
    this.stored = new StoredAnswers(cfg.cache(), clock, cache, documents, versions, energy,
        prices, semantic, forward::lookupsFirst);
    this.keys = new KeyCheck(upstream, cfg.upstream().keyCheck(),
        !cfg.upstream().apiKey().isEmpty(), clock);
    this.variants = new VariantPath(cfg, cache, new VariantPools(cache, cfg.cache().variants()),
        dreamer, semantic, stored, forward, this::admit);
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

  /** Identical misses now waiting for their leader's answer; for tests. */
  int coalescing() {
    return coalescer.waiting();
  }

  /**
   * Waits, at most {@code timeout}, until no request is between its start and the end of its
   * bookkeeping (decision line, ledger, metrics). The body of a plain hit or miss reaches the
   * client before that bookkeeping runs, so a caller that has read a response may otherwise be
   * ahead of it.
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
    for (String name : protocol.answerShapingHeaders()) {
      String value = ctx.header(name);
      if (value != null && !value.isBlank()) {
        c.params().put(CanonicalRequest.HEADER_PARAM + name, value.strip());
      }
    }
    String tenant = Scope.tenant(ctx.header("X-Bound-Namespace"), clientKey(ctx));
    Double threshold = threshold(ctx.header("X-Bound-Threshold"));
    CachePolicy.Decision d = policy.decide(c, ctx.header("Cache-Control"),
        ctx.header("X-Bound-Cache"));
    Exchange x = new Exchange(IsoInstant.of(clock.instant()), ctx.path(), protocol.name(),
        c.model(), tenant, c.stream(), cfg.dashboard().showPrompts());
    x.prompt(c.queryText());
    AnswerCache.Probe probe = null;
    try {
      if (variants.wanted(ctx, c, d)) {
        probe = variants.handle(ctx, protocol, req, tenant, threshold, x);
        return;
      }
      if (!d.lookup() && !d.store()) {
        bypass(ctx, protocol, body, d, x);
        return;
      }
      probe = cache.probe(Scope.of(c, tenant), c.queryText());
      x.probed = true;
      if (d.lookup() && serveStored(ctx, req, probe, threshold, x)) {
        return;
      }
      if (x.upstreamStatus != 0) {
        return; // the upstream refused the client's key, and the client has its answer
      }
      String leading = null;
      if (d.store()) {
        String key = probe.scope.key() + '\u0000' + probe.exactKey;
        java.util.concurrent.CompletableFuture<Void> ahead = coalescer.join(key);
        if (ahead == null) {
          leading = key;
        } else if (d.lookup() && !c.stream()
            && (servedAfter(ahead, ctx, req, probe, x) || x.upstreamStatus != 0)) {
          return;
        }
      }
      try {
        if (!forwardMiss(ctx, protocol, req, probe, d, x)
            && !stored.serveBeside(ctx, req, x.beside, probe, x, () -> admit(ctx, x))
            && x.upstreamStatus == 0) {
          // What the lookup beside found could not be served after all (the token limit, the
          // model version, the client's key unconfirmed): ask the upstream again, to the end.
          x.beside = null;
          forwardMiss(ctx, protocol, req, probe, d, x);
        }
      } finally {
        if (leading != null) {
          coalescer.done(leading);
        }
      }
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
   * Sends a miss upstream with its tier and reason in the headers; returns false, having
   * written nothing, when the lookup beside the call found something first ({@link
   * UpstreamForward#miss}).
   */
  private boolean forwardMiss(Context ctx, Protocol protocol, ProtocolRequest req,
      AnswerCache.Probe probe, CachePolicy.Decision d, Exchange x) {
    x.tier = d.lookup() ? "MISS" : "BYPASS";
    if (d.code() != null) {
      x.code = d.code();
      x.reason = d.reason();
    }
    ctx.header("X-Bound-Cache", x.tier);
    if (x.code != null) {
      ctx.header("X-Bound-Reason", x.code.code());
    }
    return forward.miss(ctx, protocol, req, probe, d.store(), x);
  }

  /**
   * Serves from storage if it can; when the storage cannot be reached the request goes upstream
   * like a miss, tagged storage_unavailable, rather than fail.
   */
  private boolean serveStored(Context ctx, ProtocolRequest req, AnswerCache.Probe probe,
      Double threshold, Exchange x) {
    try {
      return stored.serve(ctx, req, probe, threshold, x, () -> admit(ctx, x));
    } catch (StorageUnavailableException e) {
      x.code = null; // whatever the lookup noted before storage failed is not why it missed
      x.because(Reason.STORAGE_UNAVAILABLE, e.getMessage());
      return false;
    }
  }

  /**
   * Waits for an identical miss already on its way upstream ({@link Coalescer}), at most the
   * upstream timeout, then serves its answer as an exact hit. Returns false, having written
   * nothing, when there is none to serve (the leader failed, or its answer was not stored, or
   * may not go to this client), and the request then goes upstream itself. A streamed request
   * never waits: it would get its first token only once the leader's whole answer is in.
   */
  private boolean servedAfter(java.util.concurrent.CompletableFuture<Void> leader, Context ctx,
      ProtocolRequest req, AnswerCache.Probe probe, Exchange x) {
    long t0 = System.nanoTime();
    boolean finished = coalescer.await(leader, cfg.upstream().timeout());
    x.coalescedNanos = System.nanoTime() - t0;
    java.util.Optional<AnswerCache.Hit> hit = finished ? cache.exact(probe)
        : java.util.Optional.empty();
    if (hit.isEmpty()) {
      return false;
    }
    Reason missed = x.code;
    String why = x.reason;
    x.code = null;
    x.reason = null;
    if (stored.serveHit(ctx, req, hit.get(), "HIT-EXACT", probe, x, () -> admit(ctx, x))) {
      return true;
    }
    if (x.code == null) {
      x.code = missed;
      x.reason = why;
    }
    return false;
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
        Upstream.Answer<byte[]> r = k.rejection();
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
   * Passes the request through untouched. As on a miss, {@code upstream.timeout} bounds the whole
   * answer, streamed or not: past it the upstream is cut off and the client's answer ends there.
   */
  private void bypass(Context ctx, Protocol protocol, byte[] body, CachePolicy.Decision d,
      Exchange x) {
    ctx.header("X-Bound-Cache", "BYPASS");
    ctx.header("X-Bound-Reason", d.code().code());
    x.code = d.code();
    x.reason = d.reason();
    long u0 = System.nanoTime();
    try (UpstreamWatch watch = new UpstreamWatch(timers, cfg.upstream().timeout(), null)) {
      Upstream.Answer<InputStream> r = upstream.open("POST",
          upstream.resolve(protocol.path(), null), Http.requestHeaders(ctx), body,
          protocol.keyInXApiKey());
      watch.onEnd(() -> UpstreamWatch.closeQuietly(r.body()));
      x.upstreamStatus = r.statusCode();
      if (!Http.relay(ctx, r)) {
        x.aborted = watch.end() == UpstreamWatch.End.NONE;
      }
      if (watch.end() == UpstreamWatch.End.TIMED_OUT) {
        x.error = "upstream_timeout";
      }
    } finally {
      x.upstreamNanos = System.nanoTime() - u0;
    }
  }

  /** Prices the request, then tells the decision log and every observer. */
  private void finish(Exchange x, AnswerCache.Probe probe) {
    if (probe != null) {
      stored.noteBeside(probe, x); // its timings and judgement, if it has run by now
      x.embedNanos = probe.embedNanos;
      x.searchNanos = probe.searchNanos;
    }
    if (x.account == null) {
      x.account = energy.account(x.model, TokenUsage.NONE, x.embedNanos + x.searchNanos);
    }
    if (x.apiCost == null) {
      x.apiCost = ApiPrices.Cost.none(prices.currency());
    }
    x.latencyNanos = System.nanoTime() - x.startNanos;
    if (decisions.enabled()) {
      decisions.write(x.decisionLine(energy.deployment().currency()));
    }
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

  /** A plain decimal number: what X-Bound-Threshold takes. */
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[0-9]{1,6}(\\.[0-9]{0,17})?|\\.[0-9]{1,17}");

  /** The request's own threshold, or null for the configured ones. */
  private static Double threshold(String header) {
    if (header == null) {
      return null;
    }
    String v = header.strip();
    // Plain decimals only: Java would also read "0.9f", "0x1p-2" or "1e-1".
    if (DECIMAL.matcher(v).matches()) {
      double t = Double.parseDouble(v);
      if (t >= 0 && t <= 1) {
        return t;
      }
    }
    throw ApiException.invalid("X-Bound-Threshold must be a number from 0 to 1.",
        "X-Bound-Threshold", "invalid_header");
  }
}
