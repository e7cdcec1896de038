package dev.bound.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.index.Candidate;
import dev.bound.models.Embedder;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;
import dev.bound.models.match.AdaptivePolicy;
import dev.bound.models.match.EntryThreshold;
import dev.bound.models.match.LanguageGuard;
import dev.bound.models.match.PairMatcher;
import dev.bound.models.match.Prepared;
import dev.bound.models.match.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Judges the candidates of the semantic tier: the language guard first, then the configured
 * {@link PairMatcher} on each candidate, then, when an error rate is set, the entry's own
 * adaptive threshold. {@code bound eval} scores pairs with the same matcher.
 */
final class Matching implements AutoCloseable {
  /** How a candidate was judged. */
  enum Verdict { SERVE, EXPLORE, MISS }

  /** The best candidate and what to do with it. */
  record Judged(Candidate candidate, double score, Verdict verdict) {}

  final PairMatcher matcher;
  private final double threshold;
  private final LanguageGuard guard;
  private final Embedder second;
  private final AdaptivePolicy adaptive;
  private final double sampleRate;
  private final RandomGenerator random;
  private final Cache<String, Prepared> prepared = Caffeine.newBuilder()
      .maximumSize(100_000).build();
  /** Per entry: what feedback and verification have shown about serving it at each score. */
  private final Map<String, EntryThreshold> states = new ConcurrentHashMap<>();
  /** Served hits by response id, so feedback naming a response reaches the entry it came from. */
  private final Cache<String, Served> served = Caffeine.newBuilder().maximumSize(200_000)
      .expireAfterWrite(Duration.ofDays(2)).build();
  private final StateFile stateFile;

  private record Served(String entryId, double score, String tenant) {}

  /**
   * @param models where model files are unpacked
   * @param stateFile where per-entry thresholds are kept, or null to keep them in memory only
   */
  Matching(BoundConfig.Cache cfg, EmbeddingModelSpec primarySpec, Path models, Path stateFile,
      RandomGenerator random) {
    BoundConfig.Matching m = cfg.matching();
    this.second = m.matcher().equals("verified")
        ? Embedders.open(EmbeddingModelSpec.builtin("bge-small-en-v1.5-q"), models) : null;
    this.matcher = switch (m.matcher()) {
      case "cosine" -> PairMatcher.cosine(cfg.threshold());
      case "verified" -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), second);
      default -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), null);
    };
    this.threshold = Double.isNaN(m.threshold()) ? matcher.threshold() : m.threshold();
    this.guard = m.languageGuard() ? LanguageGuard.open(primarySpec, models) : null;
    this.adaptive = Double.isNaN(m.errorRate()) ? null : new AdaptivePolicy(m.errorRate());
    this.sampleRate = m.verifySampleRate();
    this.random = random;
    this.stateFile = stateFile == null ? null : new StateFile(stateFile);
    if (this.stateFile != null) {
      this.stateFile.read((id, s) -> states.put(id, EntryThreshold.decode(s.asText())));
    }
  }

  /** Why the semantic tier must not be used for this text, or null when it may. */
  String refusal(String text) {
    if (guard == null) {
      return null;
    }
    LanguageGuard.Verdict v = guard.check(text);
    return v.allowed() ? null : v.reason();
  }

  /** The lowest primary cosine worth scoring; candidates below it cannot pass. */
  double floor(Double override) {
    return override != null ? 0 : Math.min(matcher.minCosine(), threshold);
  }

  /**
   * Scores the candidates and decides about the best one.
   *
   * @param override the request's own threshold (X-Bound-Threshold), or null
   */
  Optional<Judged> judge(String prompt, float[] vector, List<Candidate> candidates,
      Double override) {
    double t = override != null ? override : threshold;
    double floor = floor(override);
    Prepared query = null;
    Candidate best = null;
    double bestScore = -1;
    for (Candidate c : candidates) {
      if (c.similarity() < floor || c.entry().vector() == null) {
        continue;
      }
      if (query == null) {
        query = matcher.prepare(prompt, vector);
      }
      Prepared cand = prepared.get(c.entry().id(),
          id -> matcher.prepare(c.entry().prompt(), c.entry().vector()));
      double s = score(query, cand, c.similarity());
      if (s >= t && s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    Verdict v = Verdict.SERVE;
    if (adaptive != null) {
      v = switch (adaptive.decide(state(best.entry().id()), bestScore, random)) {
        case SERVE -> Verdict.SERVE;
        case EXPLORE -> Verdict.EXPLORE;
        case MISS -> Verdict.MISS;
      };
    }
    if (v == Verdict.SERVE && sampleRate > 0 && random.nextDouble() < sampleRate) {
      v = Verdict.EXPLORE;
    }
    return Optional.of(new Judged(best, bestScore, v));
  }

  /** The matcher's score; one place, so that serving and {@code bound eval} agree. */
  double score(Prepared query, Prepared candidate, double cosine) {
    return matcher.score(query, candidate, cosine);
  }

  /** The threshold in force when a request sets none. */
  double threshold() {
    return threshold;
  }

  /** Remembers a served semantic hit so that feedback on its response id can find it. */
  void served(String responseId, String entryId, double score, String tenant) {
    served.put(responseId, new Served(entryId, score, tenant));
  }

  /**
   * Feedback on a response: whether serving it was right. Returns false when the response is
   * unknown (too old, not a semantic hit, or another tenant's).
   */
  boolean feedback(String responseId, boolean correct, String tenant) {
    Served s = served.getIfPresent(responseId);
    if (s == null || (tenant != null && !tenant.equals(s.tenant()))) {
      return false;
    }
    observe(s.entryId(), s.score(), correct);
    return true;
  }

  /** Records that serving {@code entryId} at {@code score} was right or wrong. */
  void observe(String entryId, double score, boolean correct) {
    AdaptivePolicy p = adaptive != null ? adaptive : new AdaptivePolicy(0.05);
    states.compute(entryId, (id, s) -> p.observe(s == null ? EntryThreshold.empty() : s, score,
        correct));
  }

  private EntryThreshold state(String entryId) {
    return states.getOrDefault(entryId, EntryThreshold.empty());
  }

  void save() {
    if (stateFile == null) {
      return;
    }
    ObjectNode n = Json.object();
    states.forEach((id, s) -> n.put(id, s.encode()));
    stateFile.write(n);
  }

  @Override
  public void close() {
    save();
    if (guard != null) {
      guard.close();
    }
    if (second != null) {
      second.close();
    }
  }
}
