package dev.bound.gateway.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.eval.StreamScore.Rate;
import dev.bound.gateway.eval.StreamScore.Served;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamScoreTest {
  private static final double EPS = 1e-4;

  private static Served s(String cluster, String tier, String served, long ms, String reason) {
    return new Served(cluster, tier, served, ms * 1_000_000, reason);
  }

  /** Ten questions of clusters A–E, each outcome chosen to test one rule. */
  private static final List<Served> STREAM = List.of(
      s("A", "MISS", "A", 10, "miss"),            // first of A: no chance
      s("B", "MISS", "B", 20, "miss"),            // first of B
      s("A", "HIT-SEMANTIC", "A", 4, null),       // chance, right
      s("C", "HIT-SEMANTIC", "A", 5, null),       // first of C: a hit can only be wrong
      s("B", "HIT-EXACT", "B", 1, null),          // chance, right
      s("A", "MISS", "A", 30, "refused"),         // chance missed
      s("D", "HIT-EXACT", "A", 2, null),          // exact tier, wrong
      s("B", "HIT-SEMANTIC", "A", 6, null),       // chance, but wrong
      s("E", "BYPASS", "E", 40, null),
      s("A", "ERROR", null, 50, null));           // chance, no answer

  @Test
  void of_countsTiersChancesAndRightHits() {
    StreamScore score = StreamScore.of(STREAM);
    assertEquals(10, score.requests());
    assertEquals(5, score.clusters());
    assertEquals(5, score.chances()); // questions 3, 5, 6, 8 and 10
    assertEquals(List.of("HIT-EXACT", "HIT-SEMANTIC", "HIT-BOUND", "MISS", "BYPASS", "ERROR"),
        score.tiers().stream().map(StreamScore.Tier::tier).toList());
    assertTier(score, "HIT-EXACT", 2, 1, 1, 1);
    assertTier(score, "HIT-SEMANTIC", 3, 2, 1, 2);
    assertTier(score, "HIT-BOUND", 0, 0, 0, 0);
    assertTier(score, "MISS", 3, 1, 3, 0);
    assertTier(score, "BYPASS", 1, 0, 1, 0);
    assertTier(score, "ERROR", 1, 1, 0, 0);
    assertEquals(10, score.tiers().stream().mapToInt(StreamScore.Tier::count).sum());
  }

  @Test
  void of_recallIsRightHitsOverChances() {
    StreamScore score = StreamScore.of(STREAM);
    assertEquals(new Rate(2, 5), score.recall()); // questions 3 and 5
    assertEquals(0.4, score.recall().value(), 1e-12);
  }

  @Test
  void of_wrongHitsPerTier() {
    StreamScore score = StreamScore.of(STREAM);
    assertEquals(new Rate(2, 3), score.semanticWrong());
    assertEquals(new Rate(1, 2), score.exactWrong());
  }

  @Test
  void of_withGroups_splitsSemanticWrongHitsByWhetherALabelComparedThem() {
    // C's question got A's answer and shares A's group: a labelled look-alike. B's got A's too,
    // but B is in a group of its own: no label ever compared them.
    StreamScore score = StreamScore.of(STREAM, Map.of("A", "g1", "C", "g1", "B", "g2"));
    assertEquals(new Rate(1, 3), score.semanticWrongInGroup());
    assertEquals(new Rate(2, 3), score.semanticWrong());
  }

  @Test
  void of_withoutGroups_hasNoSplit() {
    assertEquals(null, StreamScore.of(STREAM).semanticWrongInGroup());
  }

  @Test
  void of_latencyPercentilesByNearestRank() {
    StreamScore score = StreamScore.of(STREAM);
    StreamScore.Latency miss = score.tier("MISS").latency();
    assertEquals(20.0, miss.p50Ms(), 1e-9);
    assertEquals(30.0, miss.p99Ms(), 1e-9);
    assertEquals(6.0, score.all().p50Ms(), 1e-9); // 5th of 1 2 4 5 6 10 20 30 40 50
    assertEquals(50.0, score.all().p99Ms(), 1e-9);
    assertTrue(Double.isNaN(score.tier("HIT-BOUND").latency().p50Ms()));
  }

  @Test
  void of_countsReasonsWhenGiven() {
    assertEquals(Map.of("miss", 2, "refused", 1), StreamScore.of(STREAM).reasons());
  }

  @Test
  void rate_wilsonInterval() {
    Rate twoOfThree = new Rate(2, 3);
    assertEquals(0.2077, twoOfThree.low(), EPS);
    assertEquals(0.9385, twoOfThree.high(), EPS);
    Rate none = new Rate(0, 10);
    assertEquals(0.0, none.low(), 1e-12);
    assertEquals(0.2775, none.high(), EPS); // z² / (n + z²)
    Rate some = new Rate(30, 640);
    assertEquals(0.0330, some.low(), EPS);
    assertEquals(0.0661, some.high(), EPS);
    assertTrue(Double.isNaN(new Rate(0, 0).low()));
  }

  private static void assertTier(StreamScore score, String tier, int count, int chances,
      int right, int wrong) {
    StreamScore.Tier t = score.tier(tier);
    assertEquals(List.of(count, chances, right, wrong),
        List.of(t.count(), t.chances(), t.right(), t.wrong()), tier);
  }
}
