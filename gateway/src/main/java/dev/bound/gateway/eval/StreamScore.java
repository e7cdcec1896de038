package dev.bound.gateway.eval;

import dev.bound.gateway.observe.WrongHitEstimate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The score of a replayed question stream: what each tier served, whether it was the right
 * cluster's answer, recall over the questions that had a chance of a right hit, and client-side
 * latency per tier.
 *
 * @param requests questions sent
 * @param clusters distinct clusters among them
 * @param chances questions with an earlier question of the same cluster in the stream: the only
 *     ones a hit could answer rightly
 * @param tiers one row per tier seen or expected, in the order of {@link #TIERS}, then any other
 * @param recall right hits (any tier) on questions with a chance, over the chances
 * @param semanticWrong HIT-SEMANTIC answers of another cluster, over HIT-SEMANTIC answers
 * @param exactWrong HIT-EXACT answers of another cluster, over HIT-EXACT answers
 * @param semanticWrongInGroup the HIT-SEMANTIC answers of another cluster of the question's own
 *     group, over HIT-SEMANTIC answers: wrong hits that contradict a labelled pair. The other
 *     wrong hits joined questions that no label ever compared. Null when the stream names no
 *     groups.
 * @param reasons counts by {@code X-Bound-Reason}, empty when no response carried one
 * @param all latency over every request
 */
record StreamScore(int requests, int clusters, int chances, List<Tier> tiers, Rate recall,
    Rate semanticWrong, Rate exactWrong, Rate semanticWrongInGroup, Map<String, Integer> reasons,
    Latency all) {

  /** Tiers always reported, in this order; ERROR is a request that got no answer. */
  static final List<String> TIERS = List.of("HIT-EXACT", "HIT-SEMANTIC", "HIT-BOUND", "MISS",
      "BYPASS", "ERROR");

  StreamScore {
    tiers = List.copyOf(tiers);
    reasons = Map.copyOf(reasons);
  }

  /**
   * What the client saw for one question.
   *
   * @param cluster the question's own cluster
   * @param tier the {@code X-Bound-Cache} header, or ERROR
   * @param served the cluster whose answer came back, or null when none or an unknown one did
   * @param nanos from sending the request to the end of the body
   * @param reason the {@code X-Bound-Reason} header, or null
   */
  record Served(String cluster, String tier, String served, long nanos, String reason) {
    Served {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(tier, "tier");
    }

    boolean hit() {
      return tier.startsWith("HIT-");
    }

    boolean right() {
      return cluster.equals(served);
    }
  }

  /**
   * One tier's row.
   *
   * @param chances its requests that had an earlier question of their cluster
   * @param right its requests answered with their own cluster's answer
   * @param wrong the others (an ERROR is neither)
   */
  record Tier(String tier, int count, int chances, int right, int wrong, Latency latency) {}

  /** Client-side latency percentiles in milliseconds (nearest rank); NaN when there is none. */
  record Latency(double p50Ms, double p99Ms) {
    static Latency of(List<Long> nanos) {
      if (nanos.isEmpty()) {
        return new Latency(Double.NaN, Double.NaN);
      }
      long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Latency(rank(s, 0.50) / 1e6, rank(s, 0.99) / 1e6);
    }

    private static long rank(long[] sorted, double p) {
      return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
  }

  /** {@code count} of {@code of}, with its Wilson score interval at 95 %. */
  record Rate(int count, int of) {
    double value() {
      return of == 0 ? Double.NaN : (double) count / of;
    }

    double low() {
      return WrongHitEstimate.wilson(count, of).low();
    }

    double high() {
      return WrongHitEstimate.wilson(count, of).high();
    }
  }

  /** Scores the outcomes of a stream with no groups, given in the order the questions were sent. */
  static StreamScore of(List<Served> served) {
    return of(served, Map.of());
  }

  /**
   * Scores the outcomes of a stream, given in the order the questions were sent; {@code groupOf}
   * maps a cluster to its group (empty when the stream names none).
   */
  static StreamScore of(List<Served> served, Map<String, String> groupOf) {
    Set<String> seen = new HashSet<>();
    Map<String, List<Served>> byTier = new LinkedHashMap<>();
    TIERS.forEach(t -> byTier.put(t, new ArrayList<>()));
    Map<String, Integer> chancesByTier = new LinkedHashMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    List<Long> all = new ArrayList<>();
    int chances = 0;
    int rightHits = 0;
    for (Served s : served) {
      boolean chance = !seen.add(s.cluster());
      byTier.computeIfAbsent(s.tier(), t -> new ArrayList<>()).add(s);
      all.add(s.nanos());
      if (s.reason() != null) {
        reasons.merge(s.reason(), 1, Integer::sum);
      }
      if (chance) {
        chances++;
        chancesByTier.merge(s.tier(), 1, Integer::sum);
        if (s.hit() && s.right()) {
          rightHits++;
        }
      }
    }
    List<Tier> tiers = new ArrayList<>();
    byTier.forEach((tier, list) -> {
      int right = (int) list.stream().filter(Served::right).count();
      int wrong = tier.equals("ERROR") ? 0 : list.size() - right;
      tiers.add(new Tier(tier, list.size(), chancesByTier.getOrDefault(tier, 0),
          tier.equals("ERROR") ? 0 : right, wrong,
          Latency.of(list.stream().map(Served::nanos).toList())));
    });
    Rate inGroup = null;
    if (!groupOf.isEmpty()) {
      List<Served> semantic = byTier.get("HIT-SEMANTIC");
      int n = (int) semantic.stream().filter(s -> !s.right() && s.served() != null
          && Objects.equals(groupOf.get(s.served()), groupOf.get(s.cluster()))).count();
      inGroup = new Rate(n, semantic.size());
    }
    return new StreamScore(served.size(), seen.size(), chances, tiers,
        new Rate(rightHits, chances), wrongOf(tiers, "HIT-SEMANTIC"), wrongOf(tiers, "HIT-EXACT"),
        inGroup, reasons, Latency.of(all));
  }

  private static Rate wrongOf(List<Tier> tiers, String tier) {
    Tier t = tier(tiers, tier);
    return new Rate(t.wrong(), t.count());
  }

  private static Tier tier(List<Tier> tiers, String tier) {
    return tiers.stream().filter(t -> t.tier().equals(tier)).findFirst().orElseThrow();
  }

  /** The row of one tier. */
  Tier tier(String tier) {
    return tier(tiers, tier);
  }
}
