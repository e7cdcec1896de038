package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.gateway.protocol.ProtocolRequest;
import io.javalin.http.Context;
import java.util.function.BiPredicate;

/**
 * The pipeline's path for requests that ask for novelty: a variant from the request's full pool
 * ({@link VariantPools}), or the upstream's answer offered to the pool.
 */
final class VariantPath {
  private final BoundConfig cfg;
  private final AnswerCache cache;
  private final VariantPools pools;
  private final Dreamer dreamer;
  private final SemanticPool semantic;
  private final StoredAnswers stored;
  private final UpstreamForward forward;
  /** Whether a stored answer may go to this client (the key check). */
  private final BiPredicate<Context, Exchange> admit;

  VariantPath(BoundConfig cfg, AnswerCache cache, VariantPools pools, Dreamer dreamer,
      SemanticPool semantic, StoredAnswers stored, UpstreamForward forward,
      BiPredicate<Context, Exchange> admit) {
    this.cfg = cfg;
    this.cache = cache;
    this.pools = pools;
    this.dreamer = dreamer;
    this.semantic = semantic;
    this.stored = stored;
    this.forward = forward;
    this.admit = admit;
  }

  /**
   * Whether a request that asks for novelty goes to a variant pool: variants are on for the
   * deployment and not turned off by the request ({@code X-Bound-Variants: off}), and the
   * request would be cached but for its temperature.
   */
  boolean wanted(Context ctx, CanonicalRequest c, CachePolicy.Decision d) {
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
  AnswerCache.Probe handle(Context ctx, Protocol protocol, ProtocolRequest req,
      String tenant, Double threshold, Exchange x) {
    CanonicalRequest c = req.canonical();
    double t = c.temperature() != null ? c.temperature() : cfg.cache().assumedTemperature();
    AnswerCache.Probe probe = cache.probe(Scope.variants(c, tenant, t), c.queryText());
    x.probed = true;
    x.novelty = true;
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
      if (stored.serveHit(ctx, req, hit, "HIT-VARIANT", probe, x, () -> admit.test(ctx, x))
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
      cache.shed();
      x.because(Reason.OVERLOADED, e.getMessage());
      return null;
    }
  }
}
