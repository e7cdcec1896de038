package dev.bound.gateway.observe;

import dev.bound.gateway.ApiPrices;
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
 * @param upstreamCancelled whether an upstream call was cut short because the lookup beside it
 *     found an answer to serve first
 * @param error kind of failure (e.g. upstream_timeout, upstream_unreachable, aborted), or null
 * @param served id of the entry or document@version served, or null
 * @param reason why nothing stored was served (a {@code Reason} code), or null
 * @param apiCost what a hit kept off the API bill at list prices (0 on a miss)
 * @param explanation the scores behind the decision, and the prompts when they may be shown
 * @param novelty whether the request asked for novelty (a temperature above
 *     cache.max-temperature), whatever else it said: served from a pool, filling one, a pool
 *     turned off for it, or asked afresh with Cache-Control: no-cache
 * @param coalesced whether it was served the answer of an identical miss it waited for
 */
public record Outcome(long at, String endpoint, String model, String tenant, String tier,
    double similarity, boolean stream, long promptTokens, long completionTokens,
    EnergyAccounting.Account account, long latencyNanos, long embedNanos, long searchNanos,
    long upstreamNanos, int upstreamStatus, boolean upstreamCancelled, String error,
    String served, String reason,
    ApiPrices.Cost apiCost, Explanation explanation, boolean novelty, boolean coalesced) {

  /**
   * Why the semantic tier decided as it did.
   *
   * @param score the matcher's score of the best candidate, served or refused; NaN when none
   * @param matcher the matcher that gave the score, or null
   * @param nearest the cosine similarity of that candidate; NaN when none was judged
   * @param prompt the request's prompt, only when {@code dashboard.show-prompts} is on
   * @param matched the stored prompt (or document question) it was matched with, likewise
   */
  public record Explanation(double score, String matcher, double nearest, String prompt,
      String matched) {
    public static final Explanation NONE =
        new Explanation(Double.NaN, null, Double.NaN, null, null);
  }

  public boolean hit() {
    return tier.startsWith("HIT");
  }

  /** Receives outcomes; must be quick and must not throw. */
  public interface Observer {
    void observe(Outcome o);
  }
}
