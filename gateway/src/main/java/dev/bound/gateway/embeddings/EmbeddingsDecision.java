package dev.bound.gateway.embeddings;

import java.util.Locale;

/**
 * Whether a request to {@code POST /v1/embeddings} may be answered from storage and whether its
 * fresh items may be stored, as {@code CachePolicy} decides for the chat endpoints; temperature
 * and {@code n} do not apply, an embedding being deterministic.
 *
 * @param lookup whether to look for stored items
 * @param store whether fresh items may be stored
 * @param reason why the cache is skipped, or null when it is not
 */
record EmbeddingsDecision(boolean lookup, boolean store, String reason) {
  static EmbeddingsDecision of(boolean enabled, String cacheControl, String boundCache) {
    if (!enabled) {
      return new EmbeddingsDecision(false, false, "cache.enabled is false");
    }
    if (boundCache != null && boundCache.strip().equalsIgnoreCase("off")) {
      return new EmbeddingsDecision(false, false, "X-Bound-Cache: off");
    }
    String cc = cacheControl == null ? "" : cacheControl.toLowerCase(Locale.ROOT);
    boolean noCache = cc.contains("no-cache");
    return new EmbeddingsDecision(!noCache, !cc.contains("no-store"),
        noCache ? "Cache-Control: no-cache" : null);
  }
}
