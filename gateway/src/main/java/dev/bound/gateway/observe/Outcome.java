package dev.bound.gateway.observe;

import dev.bound.gateway.EnergyAccounting;

/**
 * What happened to one request on a cached endpoint, handed to every {@link Observer} once the
 * response is complete: the savings ledger, the metrics, the dashboard's recent decisions.
 *
 * @param tier HIT-EXACT, HIT-SEMANTIC, HIT-BOUND, HIT-PARTIAL (embeddings), MISS or BYPASS
 * @param similarity of the served entry or document; NaN when nothing was served from storage
 * @param promptTokens the answer's prompt tokens (avoided on a hit; on a partial embeddings hit,
 *     those of the items served from storage)
 * @param completionTokens the answer's completion tokens (avoided on a hit)
 * @param upstreamNanos time spent on the upstream; 0 when it was not asked
 * @param upstreamStatus the upstream's HTTP status; 0 when it was not asked or did not answer
 * @param error kind of failure (e.g. upstream_timeout, upstream_unreachable, aborted), or null
 * @param served id of the entry or document@version served, or null
 * @param reason why nothing stored was served (a {@code Reason} code), or null
 */
public record Outcome(long at, String endpoint, String model, String tenant, String tier,
    double similarity, boolean stream, long promptTokens, long completionTokens,
    EnergyAccounting.Account account, long latencyNanos, long embedNanos, long searchNanos,
    long upstreamNanos, int upstreamStatus, String error, String served, String reason) {

  public boolean hit() {
    return tier.startsWith("HIT");
  }

  /** Receives outcomes; must be quick and must not throw. */
  public interface Observer {
    void observe(Outcome o);
  }
}
