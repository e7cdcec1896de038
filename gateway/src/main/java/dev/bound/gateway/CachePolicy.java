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
   * @param code why the cache is skipped, or null when it is not
   * @param reason the same in words, with the request's own values
   */
  record Decision(boolean lookup, boolean store, Reason code, String reason) {}

  private final BoundConfig.Cache cfg;

  CachePolicy(BoundConfig.Cache cfg) {
    this.cfg = cfg;
  }

  /** Whether a Cache-Control header carries a directive. */
  static boolean has(String cacheControl, String directive) {
    return cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains(directive);
  }

  Decision decide(CanonicalRequest req, String cacheControl, String boundCache) {
    if (boundCache != null && !boundCache.strip().equalsIgnoreCase("off")
        && !boundCache.strip().equalsIgnoreCase("on")) {
      // A typo ("of", "false") must not quietly leave the cache on for a request meant to skip it.
      throw ApiException.invalid("X-Bound-Cache must be \"off\" (neither look nor store) or "
          + "\"on\" (the default).", "X-Bound-Cache", "invalid_header");
    }
    if (!cfg.enabled()) {
      return new Decision(false, false, Reason.DISABLED, "cache.enabled is false");
    }
    if (boundCache != null && boundCache.strip().equalsIgnoreCase("off")) {
      return new Decision(false, false, Reason.CLIENT_OFF, "X-Bound-Cache: off");
    }
    if (req.bypass() != null) {
      return new Decision(false, false, Reason.UPSTREAM_STATE, req.bypass());
    }
    if (req.n() > 1) {
      return new Decision(false, false, Reason.N, "n > 1 asks for several different answers");
    }
    double t = req.temperature() != null ? req.temperature() : cfg.assumedTemperature();
    if (t > cfg.maxTemperature()) {
      String which = req.temperature() != null ? "temperature " + t
          : "no temperature given (assumed " + t + ")";
      return new Decision(false, false, Reason.TEMPERATURE, which
          + " is above cache.max-temperature " + cfg.maxTemperature());
    }
    if (req.queryText() == null) {
      boolean toolTurn = req.context().path("last").path("role").asText().equals("tool");
      return new Decision(false, false, toolTurn ? Reason.TOOL_RESULT_TURN : Reason.NO_USER_TEXT,
          toolTurn ? "the last message is a tool result" : req.noQuery());
    }
    boolean noCache = has(cacheControl, "no-cache");
    boolean noStore = has(cacheControl, "no-store");
    return noCache ? new Decision(false, !noStore, Reason.NO_CACHE, "Cache-Control: no-cache")
        : new Decision(true, !noStore, null, null);
  }
}
