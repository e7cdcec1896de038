package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.observe.WrongHitEstimate;
import dev.bound.index.Candidate;
import dev.bound.index.Entry;
import dev.bound.models.Embedder;
import dev.bound.models.Embedders;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.match.AdaptivePolicy;
import dev.bound.models.match.EntryThreshold;
import dev.bound.models.match.LanguageGuard;
import dev.bound.models.match.PairMatcher;
import dev.bound.models.match.PooledCalibration;
import dev.bound.models.match.Prepared;
import dev.bound.models.match.ServedEvidence;
import dev.bound.models.match.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the candidates of the semantic tier: the language guard first, then the configured
 * {@link PairMatcher} on each candidate, then, when an error rate is set, the error bound
 * ({@link AdaptivePolicy}). It also keeps what verification and feedback teach: the pooled
 * calibration, each entry's own evidence and the live wrong-hit estimate, saved in the data
 * directory. {@code bound eval} scores pairs with the same matcher.
 */
public final class Matching implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Matching.class);
  /** The decision line's reason when the error bound keeps a candidate from being served. */
  static final String ERROR_BOUND = "error_bound";
  /** File beside the entry states holding the pooled calibration and the wrong-hit counts. */
  static final String ERROR_BOUND_FILE = "error-bound.json";

  /** How a candidate was judged. */
  enum Verdict { SERVE, EXPLORE, MISS }

  /**
   * The best candidate and what to do with it.
   *
   * @param sampled whether an EXPLORE is a would-be hit drawn by sampled verification (an
   *     unbiased sample of what is served), rather than a candidate the error bound refused
   * @param refusal {@value #ERROR_BOUND} when the error bound kept a candidate from being served
   *     that the matcher's own threshold would have served, or that its entry's evidence refused;
   *     otherwise null
   */
  record Judged(Candidate candidate, double score, Verdict verdict, boolean sampled,
      String refusal) {}

  /** A candidate with its score and the form the matcher prepared of its prompt. */
  private record Scored(Candidate candidate, double score, Prepared form) {}

  /**
   * At most this many candidates of one lookup are judged a second time (cache.second-opinion):
   * the best, and the next best when the second opinion of the first put it below that one.
   */
  static final int SECOND_OPINIONS = 2;
  /**
   * The share of recent lookups that asked for a second opinion at or above which a prompt's
   * second-model embedding is started ahead of its lookup ({@link #ahead}). It saves a lookup
   * that asks the wait for that embedding, and costs one that does not a core for as long. On
   * the Quora stream, with two cores shared by the client and the upstream, starting it for
   * every lookup took 3.9 ms off the semantic hits' median and put 2.5 ms on the misses'
   * (gateway/PERFORMANCE.md, "The second model ahead of the lookup"): it pays from about 0.4.
   */
  static final double AHEAD_SHARE = 0.4;
  /** The running share of lookups, roughly the last 32, that asked for a second opinion. */
  private final RunningShare asking = new RunningShare(0, 1.0 / 32);

  final PairMatcher matcher;
  private final double threshold;
  /** Memory per model for the vectors of prompts lately looked up (cache.prompt-vectors). */
  private final long promptVectorBytes;
  private final LanguageGuard guard;
  private final Embedder second;
  /** The second model's vectors kept by text, or null when none are (tests). */
  private final KeptVectors secondKept;
  private final PooledCalibration calibration;
  private final AdaptivePolicy adaptive;
  private final double boundFloor;
  private final double sampleRate;
  private final RandomGenerator random;
  private final WrongHitEstimate estimate = new WrongHitEstimate();
  private final Cache<String, Prepared> prepared = Caffeine.newBuilder()
      .maximumSize(100_000).build();
  /** Per entry: what feedback and verification have shown about serving it at each score. */
  private final Map<String, EntryThreshold> states = new ConcurrentHashMap<>();
  /** Served hits by response id, so feedback naming a response reaches the entry it came from. */
  private final Cache<String, Served> served = Caffeine.newBuilder().maximumSize(200_000)
      .expireAfterWrite(Duration.ofDays(2)).build();
  private final StateFile stateFile;
  private final StateFile boundFile;

  private record Served(String entryId, double score, String tenant, String model,
      boolean rated) {}

  /** How a piece of evidence was learnt, which decides what it counts toward beside its entry. */
  enum Source {
    /** A client's or the admin's rating of a served hit: also a feedback count. */
    FEEDBACK,
    /** A would-be hit the error bound refused, checked against the fresh answer. */
    VERIFIED,
    /** A would-be hit drawn by sampled verification: also counts toward the wrong-hit estimate. */
    SAMPLED
  }

  /**
   * One thing learnt about serving a stored entry at a score, in the form other instances that
   * share the storage take in ({@link SharedEvidence}).
   */
  record Observation(String entryId, double score, boolean correct, String model,
      Source source) {}

  /** Where this instance's own observations go as they are made; nowhere until shared. */
  private volatile Consumer<Observation> outbox = o -> { };
  /** Per sharing instance, which batches of its observations were taken in here. */
  private final Map<String, Absorbed> absorbed = new ConcurrentHashMap<>();
  /** Batch numbers remembered one by one per instance; older ones only as a floor. */
  static final int REMEMBERED = 1_000;

  /**
   * The batches of one instance taken in: every number at or below {@code floor}, and the
   * {@value #REMEMBERED} latest numbers above it one by one, because the shared log may hand a
   * batch over after a later one (another shard's clock).
   */
  private static final class Absorbed {
    long floor = Long.MIN_VALUE;
    final TreeSet<Long> recent = new TreeSet<>();

    boolean has(long seq) {
      return seq <= floor || recent.contains(seq);
    }

    void add(long seq) {
      recent.add(seq);
      while (recent.size() > REMEMBERED) {
        floor = Math.max(floor, recent.pollFirst());
      }
    }
  }

  /**
   * @param models where model files are unpacked
   * @param stateFile where per-entry thresholds are kept, or null to keep them in memory only;
   *     the pooled calibration and the wrong-hit counts go to {@value #ERROR_BOUND_FILE} beside it
   * @param primary the embedder of {@code primarySpec}, which the verifier also uses to compare
   *     the one slot two prompts differ in ({@link PairMatcher#verified(Verifier, Embedder,
   *     Embedder)}), with the slots' vectors kept ({@link KeptVectors}); the gateway and {@code
   *     bound eval} pass theirs, so that both judge alike; null for no slot check. The caller
   *     keeps ownership.
   */
  Matching(BoundConfig.Cache cfg, EmbeddingModelSpec primarySpec, Path models, Path stateFile,
      RandomGenerator random, Embedder primary) {
    BoundConfig.Matching m = cfg.matching();
    Verifier verifier = m.matcher().equals("cosine") ? null : Verifier.builtin(m.matcher());
    if (verifier != null && !verifier.primaryModel().equals(primarySpec.name())) {
      // The verifier reads the primary model's vectors themselves, not only their cosine.
      throw new IllegalArgumentException("cache.matcher=" + m.matcher() + " was trained on the "
          + "vectors of the embedding model '" + verifier.primaryModel() + "', but Bound embeds "
          + "with '" + primarySpec.name() + "'; set cache.matcher=cosine for this model");
    }
    // prompts that both name a piece of software, and any pair the lexical verifier scores in
    // cache.second-opinion's band, are judged by the verifier with the second model, whose
    // model is then opened on first use (cache.software-second-model)
    Verifier software = verifier != null && !verifier.needsSecondModel() && m.softwareSecondModel()
        ? Verifier.builtin(Verifier.VERIFIED) : null;
    this.second = verifier != null && verifier.needsSecondModel()
        ? Embedders.open(EmbeddingModelSpec.builtin(verifier.secondModel()), models)
        : software != null
            ? new LazyEmbedder(EmbeddingModelSpec.builtin(software.secondModel()), models) : null;
    Embedder kept = second == null ? null : KeptVectors.of(second, m.promptVectorBytes());
    this.secondKept = kept instanceof KeptVectors k ? k : null;
    Embedder slots = primary == null ? null : new KeptVectors(primary, KeptVectors.SLOTS);
    this.matcher = verifier == null ? PairMatcher.cosine(cfg.threshold())
        : software != null && m.secondOpinion() != null
            ? PairMatcher.verified(verifier, software, kept, slots, m.secondOpinion().low(),
                m.secondOpinion().high())
        : software != null ? PairMatcher.verified(verifier, software, kept, slots)
        : PairMatcher.verified(verifier, kept, slots);
    this.threshold = Double.isNaN(m.threshold()) ? matcher.threshold() : m.threshold();
    this.promptVectorBytes = m.promptVectorBytes();
    this.guard = m.languageGuard() ? LanguageGuard.open(primarySpec, models) : null;
    this.calibration = new PooledCalibration(PooledCalibration.priorFor(matcher),
        m.calibrationPriorStrength(), PooledCalibration.DEFAULT_HALF_LIFE,
        Double.isNaN(m.errorRate()) ? null : servedEvidence(m, primarySpec));
    this.sampleRate = m.verifySampleRate();
    this.random = random;
    // Plain cosine's own floor is its threshold, which the bound is there to replace.
    this.boundFloor = matcher.name().equals("cosine") ? PooledCalibration.LOW
        : matcher.minCosine();
    this.stateFile = stateFile == null ? null : new StateFile(stateFile);
    this.boundFile = stateFile == null ? null
        : new StateFile(stateFile.resolveSibling(ERROR_BOUND_FILE));
    if (this.stateFile != null) {
      this.stateFile.read((id, s) -> states.put(id, EntryThreshold.decode(s.asText())));
      this.boundFile.read(this::load);
    }
    // Built after loading, so that its first threshold already reflects the saved evidence.
    this.adaptive = Double.isNaN(m.errorRate()) ? null
        : new AdaptivePolicy(m.errorRate(), calibration);
  }

  /**
   * The shipped evidence for this matcher, or null: when it is turned off, when the primary model
   * is read from a directory of the operator's (whatever its name, its vectors are not the ones
   * counted), or when the shipped file cannot be read (said in the log; the prior alone is used).
   */
  private ServedEvidence servedEvidence(BoundConfig.Matching m, EmbeddingModelSpec primarySpec) {
    if (!m.calibrationEvidence() || primarySpec == null || primarySpec.directory() != null) {
      return null;
    }
    try {
      return ServedEvidence.builtin(matcher.name(), primarySpec.name()).orElse(null);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      LOG.warn("cannot read the shipped served evidence; the error bound starts from its prior "
          + "alone: {}", e.getMessage());
      return null;
    }
  }

  /** {@link #refusal}'s answer for a text that holds control characters ({@link #hasUnseen}). */
  static final String UNSEEN = "the text holds control characters the embedding does not see";

  /** Why the semantic tier must not be used for this text, or null when it may. */
  String refusal(String text) {
    if (hasUnseen(text)) {
      return UNSEEN;
    }
    if (guard == null) {
      return null;
    }
    LanguageGuard.Verdict v = guard.check(text);
    return v.allowed() ? null : v.reason();
  }

  /**
   * Embeds a prompt about to be stored with the matcher's second model, where it has one and would
   * use it for this prompt, so that the prompt's first lookup as a candidate finds the vector kept
   * (cache.prompt-vectors) and only the new prompt is embedded on the request path. For the
   * indexer's thread, off the request path.
   */
  void warm(String prompt) {
    if (second != null) {
      matcher.warm(prompt); // a stored prompt is a candidate whatever the language guard says of it
    }
  }

  /**
   * Starts the matcher's second-model embedding of a prompt about to be looked up, beside the
   * lookup ({@link PairMatcher#ahead}), while lookups lately ask for it often enough ({@link
   * #AHEAD_SHARE}); for a caller with a core to spare.
   */
  void ahead(String prompt) {
    if (second != null && asking.get() >= AHEAD_SHARE) {
      matcher.ahead(prompt);
    }
  }

  /** The texts whose second-model vectors are kept now (tests); 0 when none are kept. */
  long secondVectorsKept() {
    return secondKept == null ? 0 : secondKept.count();
  }

  /** The lowest primary cosine worth scoring; candidates below it cannot pass. */
  public double floor(Double override) {
    if (adaptive != null) {
      return boundFloor;
    }
    return override != null ? 0 : Math.min(matcher.minCosine(), threshold);
  }

  /**
   * Scores the candidates and decides about the best one; empty only when no candidate reached
   * the floor. Without an error rate, the best candidate at or above the threshold is served,
   * and one below it is a {@link Verdict#MISS}. With one, τ from the error bound replaces
   * the threshold (a request's own threshold can only raise it), and a candidate whose entry's
   * evidence objects gives way to the next one.
   *
   * @param override the request's own threshold (X-Bound-Threshold), or null
   */
  Optional<Judged> judge(String prompt, float[] vector, List<Candidate> candidates,
      Double override) {
    List<Scored> scored = scored(prompt, vector, candidates, floor(override));
    if (scored.isEmpty()) {
      return Optional.empty();
    }
    return adaptive == null ? fixed(scored, override) : bounded(scored, override);
  }

  /**
   * The candidates at or above the floor with their scores, best first. Each is scored without a
   * second opinion first; then the best is judged again while the matcher asks for it, up to
   * {@link #SECOND_OPINIONS} candidates in all, so that a lookup among many near-alike prompts
   * pays for a few second embeddings, not one per candidate. A candidate below the best that
   * a second opinion would have raised above it keeps its first score.
   */
  private List<Scored> scored(String prompt, float[] vector, List<Candidate> candidates,
      double floor) {
    List<Scored> out = new ArrayList<>(candidates.size());
    Prepared query = null;
    for (Candidate c : candidates) {
      if (c.similarity() < floor || c.entry().vector() == null
          || hasUnseen(c.entry().prompt())) {
        continue;
      }
      if (query == null) {
        query = matcher.prepare(prompt, vector);
      }
      Prepared cand = prepared(c.entry());
      out.add(new Scored(c, matcher.firstScore(query, cand, c.similarity()), cand));
    }
    boolean[] asked = new boolean[out.size()];
    boolean anyAsked = false;
    for (int round = 0; round < SECOND_OPINIONS && !out.isEmpty(); round++) {
      int best = 0;
      for (int i = 1; i < out.size(); i++) {
        if (out.get(i).score() > out.get(best).score()) {
          best = i;
        }
      }
      Scored top = out.get(best);
      if (asked[best] || !matcher.asksAgain(query, top.form(), top.score())) {
        break;
      }
      asked[best] = true;
      anyAsked = true;
      out.set(best, new Scored(top.candidate(), matcher.secondOpinion(query, top.form(),
          top.candidate().similarity(), top.score()), top.form()));
    }
    asking.add(anyAsked);
    out.sort(Comparator.comparingDouble(Scored::score).reversed());
    return out;
  }

  private Optional<Judged> fixed(List<Scored> scored, Double override) {
    Scored best = scored.get(0);
    if (best.score() < (override != null ? override : threshold)) {
      // refused, not absent: the miss says verifier_refused and logs the prompt it refused
      return Optional.of(new Judged(best.candidate(), best.score(), Verdict.MISS, false, null));
    }
    return Optional.of(serveOrSample(best));
  }

  private Optional<Judged> bounded(List<Scored> scored, Double override) {
    Scored best = scored.get(0);
    adaptive.seen(best.score());
    boolean entryObjected = false;
    for (Scored s : scored) {
      if (override != null && s.score() < override) {
        break;
      }
      AdaptivePolicy.Decision d = adaptive.decide(state(s.candidate().entry().id()), s.score());
      if (d == AdaptivePolicy.Decision.SERVE) {
        return Optional.of(serveOrSample(s));
      }
      if (d == AdaptivePolicy.Decision.BELOW_THRESHOLD) {
        break; // the fit rises with the score, so every later candidate is below as well
      }
      entryObjected = true;
    }
    String refusal = entryObjected || best.score() >= (override != null ? override : threshold)
        ? ERROR_BOUND : null;
    // A refused candidate is compared with the fresh answer the request gets anyway: it costs
    // no upstream call, and teaches the calibration below τ, where serving never would.
    boolean explore = best.score() >= PooledCalibration.LOW && sampleRate > 0
        && random.nextDouble() < sampleRate;
    return Optional.of(new Judged(best.candidate(), best.score(),
        explore ? Verdict.EXPLORE : Verdict.MISS, false, refusal));
  }

  /**
   * A coin of the semantic tier, uniform in [0, 1): the sampled verification's here, and the
   * semantic pool's that admits a share of a tenant's lookups ({@link SemanticPool}), drawn from
   * one source so that a test can fix them.
   */
  double coin() {
    return random.nextDouble();
  }

  /** Serves a would-be hit, or sends it upstream to verify it, with cache.verify-sample-rate. */
  private Judged serveOrSample(Scored s) {
    boolean sample = sampleRate > 0 && random.nextDouble() < sampleRate;
    return new Judged(s.candidate(), s.score(), sample ? Verdict.EXPLORE : Verdict.SERVE, sample,
        null);
  }

  /**
   * Whether a text holds a control character other than white space (a NUL, an escape). The
   * embedding does not see them, so it finds "x" and "x" with a NUL the same text, while the
   * model reads them: such a prompt is only ever served its own answer, by the exact tier.
   */
  public static boolean hasUnseen(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isISOControl(ch) && !Character.isWhitespace(ch)) {
        return true;
      }
    }
    return false;
  }

  /** The matcher's score; one place, so that serving and {@code bound eval} agree. */
  double score(Prepared query, Prepared candidate, double cosine) {
    return matcher.score(query, candidate, cosine);
  }

  /**
   * Whether the cache would serve one prompt's answer for the other, at the threshold in force
   * when a request sets none: the judgement the prompt registry groups by.
   */
  public boolean sameMeaning(Entry a, Entry b, double cosine) {
    if (refusal(a.prompt()) != null || refusal(b.prompt()) != null) {
      return a.prompt().equals(b.prompt());
    }
    return score(prepared(a), prepared(b), cosine) >= threshold;
  }

  /** A stored prompt made ready for scoring, kept by entry id (with bge, an embedding each). */
  private Prepared prepared(Entry e) {
    return prepared.get(e.id(), id -> matcher.prepare(e.prompt(), e.vector()));
  }

  /** Memory per embedding model for the vectors of prompts lately looked up; 0 keeps none. */
  long promptVectorBytes() {
    return promptVectorBytes;
  }

  /** The name of the pair matcher, as the dashboard shows it. */
  public String matcherName() {
    return matcher.name();
  }

  /** The threshold in force when a request sets none and no error rate is set. */
  double threshold() {
    return threshold;
  }

  /** The tolerated wrong-hit rate δ, or NaN when no error rate is set. */
  public double errorRate() {
    return adaptive == null ? Double.NaN : adaptive.delta();
  }

  /** The error bound's threshold τ now (+∞: nothing may be served), or NaN when none is set. */
  public double errorBoundThreshold() {
    return adaptive == null ? Double.NaN : adaptive.threshold();
  }

  /** The calibration's expected wrong-hit rate at τ, or NaN when no error rate is set. */
  public double predictedErrorRate() {
    return adaptive == null ? Double.NaN : adaptive.predictedError();
  }

  public double verifySampleRate() {
    return sampleRate;
  }

  /** The pooled calibration; it learns whether or not an error rate is set. */
  public PooledCalibration calibration() {
    return calibration;
  }

  /** The live wrong-hit estimate and the feedback counts. */
  public WrongHitEstimate estimate() {
    return estimate;
  }

  /** Remembers a served semantic hit so that feedback on its response id can find it. */
  void served(String responseId, String entryId, double score, String tenant, String model) {
    served.put(responseId, new Served(entryId, score, tenant, model, false));
  }

  /** What became of a rating. */
  enum Rated { RECORDED, UNKNOWN, ALREADY_RATED }

  /**
   * Feedback on a response: whether serving it was right. {@link Rated#UNKNOWN} when the
   * response is unknown (too old, not a semantic hit, or another tenant's); {@link
   * Rated#ALREADY_RATED} when it was rated before, by its tenant or the admin: one response is one
   * observation, however often a client sends it.
   */
  Rated feedback(String responseId, boolean correct, String tenant) {
    Served s = served.getIfPresent(responseId);
    if (s == null || (tenant != null && !tenant.equals(s.tenant()))) {
      return Rated.UNKNOWN;
    }
    // Marked rated by a compare-and-set, so that of two ratings sent at once only one counts.
    if (s.rated() || !served.asMap().replace(responseId, s, new Served(s.entryId(), s.score(),
        s.tenant(), s.model(), true))) {
      return Rated.ALREADY_RATED;
    }
    observe(s.entryId(), s.score(), correct);
    estimate.feedback(s.model(), correct);
    outbox.accept(new Observation(s.entryId(), s.score(), correct, s.model(), Source.FEEDBACK));
    return Rated.RECORDED;
  }

  /**
   * The outcome of comparing an explored candidate's stored answer with the fresh one: the
   * calibration and the entry learn it, and a sampled would-be hit also counts toward the
   * wrong-hit estimate of the request's model.
   */
  void verified(Judged j, String model, boolean same) {
    observe(j.candidate().entry().id(), j.score(), same);
    if (j.sampled()) {
      estimate.verified(model, !same);
    }
    outbox.accept(new Observation(j.candidate().entry().id(), j.score(), same, model,
        j.sampled() ? Source.SAMPLED : Source.VERIFIED));
  }

  /** Hands every observation this instance makes from now on to {@code out} as well. */
  void shareTo(Consumer<Observation> out) {
    this.outbox = out;
  }

  /**
   * Takes in a batch of another instance's observations exactly as if they had been made here
   * (the entry's evidence, the pooled calibration, the wrong-hit counts), unless batch {@code seq}
   * of that instance was taken in already. Which batches were taken in is saved with the
   * calibration, so a restart that reads the shared log again takes nothing twice.
   *
   * @return whether the batch was new
   */
  synchronized boolean absorb(String instance, long seq, List<Observation> batch) {
    Absorbed taken = absorbed.computeIfAbsent(instance, k -> new Absorbed());
    if (taken.has(seq)) {
      return false;
    }
    for (Observation o : batch) {
      observe(o.entryId(), o.score(), o.correct());
      switch (o.source()) {
        case FEEDBACK -> estimate.feedback(o.model(), o.correct());
        case SAMPLED -> estimate.verified(o.model(), !o.correct());
        case VERIFIED -> { }
      }
    }
    taken.add(seq);
    return true;
  }

  /** What is known of entry {@code entryId}: its evidence, which the tests read. */
  EntryThreshold evidence(String entryId) {
    return state(entryId);
  }

  /** Records that serving {@code entryId} at {@code score} was right or wrong. */
  void observe(String entryId, double score, boolean correct) {
    states.compute(entryId, (id, s) -> {
      EntryThreshold e = s == null ? EntryThreshold.empty() : s;
      if (adaptive != null) {
        return adaptive.observe(e, score, correct);
      }
      calibration.observe(score, correct);
      return e.plus(score, correct);
    });
  }

  private EntryThreshold state(String entryId) {
    return states.getOrDefault(entryId, EntryThreshold.empty());
  }

  /** The matcher the calibration was learned for: a score means something else for another. */
  String calibrationKey() {
    return matcher.toString();
  }

  private void load(String field, JsonNode value) {
    switch (field) {
      case "calibration" -> ErrorBoundFile.restore(value, calibrationKey(), calibration);
      case "wrong_hits" -> estimate.read(value);
      case "absorbed" -> value.properties().forEach(f -> {
        Absorbed a = new Absorbed();
        a.floor = f.getValue().path("floor").asLong(Long.MIN_VALUE);
        f.getValue().path("recent").forEach(n -> a.recent.add(n.asLong()));
        absorbed.put(f.getKey(), a);
      });
      default -> { }
    }
  }

  synchronized void save() {
    if (stateFile == null) {
      return;
    }
    ObjectNode n = Json.object();
    states.forEach((id, s) -> n.put(id, s.encode()));
    stateFile.write(n);
    ObjectNode bound = ErrorBoundFile.encode(calibrationKey(), calibration, estimate);
    ObjectNode taken = bound.putObject("absorbed");
    absorbed.forEach((instance, a) -> {
      ObjectNode one = taken.putObject(instance).put("floor", a.floor);
      a.recent.forEach(one.putArray("recent")::add);
    });
    boundFile.write(bound);
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
