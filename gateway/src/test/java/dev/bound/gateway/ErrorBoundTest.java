package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.observe.WrongHitEstimate;
import dev.bound.index.Candidate;
import dev.bound.index.Entry;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.match.PooledCalibration;
import dev.bound.models.match.ServedEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic tier's error bound in {@link Matching}, without a server: the plain cosine
 * matcher (whose score is the cosine the candidate carries) and no language guard, so no model
 * is loaded.
 */
class ErrorBoundTest {
  private static final float[] VECTOR = {1, 0};

  /** A Matching keeping its state under {@code dir}, or in memory when it is null. */
  private static Matching matching(Path dir, Map<String, String> extra) {
    Map<String, String> flags = new HashMap<>(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false", "cache.error-rate", "0.02"));
    flags.putAll(extra);
    BoundConfig cfg = BoundConfig.resolve(flags, Map.of(), null);
    return new Matching(cfg.cache(), null, null,
        dir == null ? null : dir.resolve("entry-thresholds.json"), new Random(42), null);
  }

  private static Candidate candidate(String id, double cosine) {
    return new Candidate(new Entry(id, "scope", "key " + id, "prompt " + id, VECTOR, "m",
        "{}", 1), (float) cosine);
  }

  private static Matching.Judged judge(Matching m, Candidate... candidates) {
    return m.judge("query", VECTOR, List.of(candidates), null).orElseThrow();
  }

  /** The verifier reads MiniLM's vectors; with another embedding model it would read nonsense. */
  @Test
  void verifier_withAnotherEmbeddingModel_isRefusedAtStart() {
    BoundConfig cfg = BoundConfig.resolve(Map.of(), Map.of(), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Matching(cfg.cache(), EmbeddingModelSpec.builtin("bge-small-en-v1.5-q"), null,
            null, new Random(42), null));
    assertEquals("cache.matcher=verified-lexical was trained on the vectors of the embedding "
        + "model 'all-minilm-l6-v2-q', but Bound embeds with 'bge-small-en-v1.5-q'; set "
        + "cache.matcher=cosine for this model", e.getMessage());
  }

  @Test
  void firstLookup_isServedFromThePrior() {
    Matching m = matching(null, Map.of());
    double tau = m.errorBoundThreshold();
    assertTrue(tau > 0.85 && tau < 0.99, "tau " + tau);
    Matching.Judged j = judge(m, candidate("a", 0.99));
    assertEquals(Matching.Verdict.SERVE, j.verdict());
    assertNull(j.refusal());
  }

  @Test
  void belowTau_isAMiss_withReasonErrorBound_whenTheFixedThresholdWouldHaveServed() {
    // cache.threshold 0.85 would serve 0.86; the bound, from the prior alone, does not.
    Matching m = matching(null, Map.of());
    Matching.Judged j = judge(m, candidate("a", 0.86));
    assertEquals(Matching.Verdict.MISS, j.verdict());
    assertEquals(Matching.ERROR_BOUND, j.refusal());
    Matching.Judged low = judge(m, candidate("b", 0.6));
    assertEquals(Matching.Verdict.MISS, low.verdict());
    assertNull(low.refusal(), "0.6 is a plain miss for cosine 0.85 as well");
  }

  /**
   * With the embedding model the shipped evidence was counted with, the calibration starts from
   * it: on real questions a cosine of 0.95–1 was right about 97 % of the time, below the assumed
   * prior's 98–99.8 %, so at δ = 0.02 the bound serves less than the prior alone would. Without
   * an error rate, or with a model read from a directory under a built-in name, it is not read.
   */
  @Test
  void shippedEvidence_isWeighedWithItsEmbeddingModel_unlessTurnedOff() {
    EmbeddingModelSpec miniLm = EmbeddingModelSpec.builtin("all-minilm-l6-v2-q");
    BoundConfig on = BoundConfig.resolve(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false", "cache.error-rate", "0.02"), Map.of(), null);
    BoundConfig off = BoundConfig.resolve(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false", "cache.error-rate", "0.02",
        "cache.calibration-evidence", "false"), Map.of(), null);
    Matching with = new Matching(on.cache(), miniLm, null, null, new Random(42), null);
    Matching without = new Matching(off.cache(), miniLm, null, null, new Random(42), null);
    assertEquals(ServedEvidence.builtin("cosine", miniLm.name()).orElseThrow().total(),
        with.calibration().offlineObservations(), 1e-9);
    assertEquals(0, without.calibration().offlineObservations());
    assertEquals(0, with.calibration().observations(), "nothing was observed while serving");
    assertTrue(with.calibration().pCorrect(0.97) < without.calibration().pCorrect(0.97),
        with.calibration().pCorrect(0.97) + " against " + without.calibration().pCorrect(0.97));
    assertTrue(with.errorBoundThreshold() > without.errorBoundThreshold(),
        with.errorBoundThreshold() + " against " + without.errorBoundThreshold());

    BoundConfig noBound = BoundConfig.resolve(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false"), Map.of(), null);
    assertEquals(0, new Matching(noBound.cache(), miniLm, null, null, new Random(42), null)
        .calibration().offlineObservations());
    EmbeddingModelSpec ownFiles = new EmbeddingModelSpec(miniLm.name(), Path.of("own-model"),
        miniLm.pooling(), miniLm.maxTokens());
    assertEquals(0, new Matching(on.cache(), ownFiles, null, null, new Random(42), null)
        .calibration().offlineObservations());
  }

  @Test
  void entryWrongOnce_givesWayToTheNextCandidate() {
    Matching m = matching(null, Map.of());
    m.observe("a", 0.985, false);
    Matching.Judged j = judge(m, candidate("a", 0.985), candidate("b", 0.98));
    assertEquals(Matching.Verdict.SERVE, j.verdict());
    assertEquals("b", j.candidate().entry().id());
    Matching.Judged alone = judge(m, candidate("a", 0.985));
    assertEquals(Matching.Verdict.MISS, alone.verdict());
    assertEquals(Matching.ERROR_BOUND, alone.refusal());
  }

  @Test
  void requestThreshold_canOnlyRaiseTau() {
    Matching m = matching(null, Map.of());
    assertFalse(m.judge("q", VECTOR, List.of(candidate("a", 0.97)), 0.98).map(
        j -> j.verdict() == Matching.Verdict.SERVE).orElse(false));
    assertFalse(m.judge("q", VECTOR, List.of(candidate("a", 0.8)), 0.5).map(
        j -> j.verdict() == Matching.Verdict.SERVE).orElse(false));
    assertEquals(Matching.Verdict.SERVE, m.judge("q", VECTOR, List.of(candidate("a", 0.99)), 0.98)
        .orElseThrow().verdict());
  }

  @Test
  void sampledVerification_divertsWouldBeHits_andComparesRefusedOnes() {
    Matching m = matching(null, Map.of("cache.verify-sample-rate", "1"));
    Matching.Judged hit = judge(m, candidate("a", 0.99));
    assertEquals(Matching.Verdict.EXPLORE, hit.verdict());
    assertTrue(hit.sampled());
    Matching.Judged refused = judge(m, candidate("b", 0.86));
    assertEquals(Matching.Verdict.EXPLORE, refused.verdict());
    assertFalse(refused.sampled(), "a refused candidate is no sample of what is served");
    m.verified(hit, "m", false);
    m.verified(refused, "m", false);
    assertEquals(new WrongHitEstimate.Counts(1, 1, 0, 0), m.estimate().overall());
    assertEquals(2, m.calibration().observations(), 1e-12);
  }

  @Test
  void restart_keepsTheCalibrationTheEstimateAndTheEntries(@TempDir Path dir) throws Exception {
    Matching before = matching(dir, Map.of("cache.verify-sample-rate", "0.5"));
    Random r = new Random(3);
    for (int i = 0; i < 400; i++) {
      double s = 0.8 + 0.2 * r.nextDouble();
      Matching.Judged j = judge(before, candidate("e" + (i % 40), s));
      if (j.verdict() == Matching.Verdict.EXPLORE) {
        before.verified(j, i % 2 == 0 ? "a" : "b", r.nextDouble() < s);
      }
    }
    before.served("chatcmpl-1", "e1", 0.97, "t", "a");
    assertEquals(Matching.Rated.RECORDED, before.feedback("chatcmpl-1", false, "t"));
    assertEquals(Matching.Rated.ALREADY_RATED, before.feedback("chatcmpl-1", true, "t"));
    before.observe("burnt", 0.99, false);
    before.close();
    assertTrue(Files.exists(dir.resolve(Matching.ERROR_BOUND_FILE)));

    Matching after = matching(dir, Map.of("cache.verify-sample-rate", "0.5"));
    assertEquals(before.calibration().state(), after.calibration().state());
    assertEquals(before.errorBoundThreshold(), after.errorBoundThreshold());
    assertEquals(before.predictedErrorRate(), after.predictedErrorRate());
    assertEquals(before.estimate().byModel(), after.estimate().byModel());
    assertEquals(before.estimate().overall().interval(), after.estimate().overall().interval());
    assertTrue(after.estimate().overall().verified() > 50, after.estimate().overall().toString());
    assertEquals(1, after.estimate().overall().feedbackBad());
    for (int b = 0; b < PooledCalibration.BINS; b++) {
      double s = PooledCalibration.lowerEdge(b);
      assertEquals(before.calibration().pCorrect(s), after.calibration().pCorrect(s), 0);
    }
    Matching.Judged j = judge(after, candidate("burnt", 0.99));
    assertEquals(Matching.ERROR_BOUND, j.refusal(), "the entry's own evidence is kept too");
  }

  @Test
  void calibrationOfAnotherMatcher_isNotLoaded_butTheCountsAre(@TempDir Path dir) {
    Matching before = matching(dir, Map.of());
    for (int i = 0; i < 30; i++) {
      before.observe("e", 0.95, false);
    }
    before.verified(new Matching.Judged(candidate("e", 0.99), 0.99, Matching.Verdict.EXPLORE,
        true, null), "m", true);
    before.close();
    // Another cosine threshold is another matcher: its scores are not the ones calibrated.
    Matching after = matching(dir, Map.of("cache.threshold", "0.9"));
    assertEquals(0, after.calibration().observations());
    assertEquals(1, after.estimate().overall().verified());
  }
}
