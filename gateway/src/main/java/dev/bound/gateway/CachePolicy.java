package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.protocol.CanonicalRequest;
import java.util.Locale;

/**
 * Whether a request may be answered from the cache and whether its answer may be stored. The
 * rules are listed in the README under "When Bound uses the cache".
 */
final class CachePolicy {
  /**
   * The outcome for one request.
   *
   * @param lookup whether to look for a stored answer
   * @param store whether a fresh answer may be stored
   * @param reason why the cache is skipped, or null when it is not
   */
  record Decision(boolean lookup, boolean store, String reason) {}

  private final BoundConfig.Cache cfg;

  CachePolicy(BoundConfig.Cache cfg) {
    this.cfg = cfg;
  }

  Decision decide(CanonicalRequest req, String cacheControl, String boundCache) {
    if (!cfg.enabled()) {
      return new Decision(false, false, "cache.enabled is false");
    }
    if (boundCache != null && boundCache.strip().equalsIgnoreCase("off")) {
      return new Decision(false, false, "X-Bound-Cache: off");
    }
    if (req.bypass() != null) {
      return new Decision(false, false, req.bypass());
    }
    if (req.n() > 1) {
      return new Decision(false, false, "n > 1 asks for several different answers");
    }
    double t = req.temperature() != null ? req.temperature() : cfg.assumedTemperature();
    if (t > cfg.maxTemperature()) {
      String which = req.temperature() != null ? "temperature " + t
          : "no temperature given (assumed " + t + ")";
      return new Decision(false, false, which + " is above cache.max-temperature "
          + cfg.maxTemperature());
    }
    if (req.queryText() == null) {
      return new Decision(false, false, req.noQuery());
    }
    String cc = cacheControl == null ? "" : cacheControl.toLowerCase(Locale.ROOT);
    boolean noCache = cc.contains("no-cache");
    boolean noStore = cc.contains("no-store");
    return new Decision(!noCache, !noStore, noCache ? "Cache-Control: no-cache" : null);
  }
}
