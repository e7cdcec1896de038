package dev.bound.gateway;

import dev.bound.index.AnswerBackend;
import dev.bound.index.Candidate;
import dev.bound.index.Entry;
import dev.bound.index.journal.AnswerJournal;
import dev.bound.models.Embedder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two cache tiers behind the request path: exact, then semantic. Fresh answers are journaled
 * and then stored by one background thread ({@link Indexer}), so a client never waits for
 * embedding or indexing and a crash loses no answer that was sent.
 */
public final class AnswerCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);
  /** Candidates read from the vector index; the best one the matcher passes is served. */
  private static final int CANDIDATES = 5;

  /**
   * A stored answer found for a request.
   *
   * @param similarity the primary cosine (1 for an exact hit)
   * @param score the matcher's score (1 for an exact hit)
   */
  record Hit(Entry entry, double similarity, boolean exact, double score) {}

  /** What one request asks of the cache; the embedding is computed at most once, on demand. */
  final class Probe {
    final Scope scope;
    final String prompt;
    final String exactKey;
    private float[] vector;
    long embedNanos;
    long searchNanos;
    /** Why the semantic tier was skipped (the language guard), or null. */
    String refusal;
    /** Whether the semantic tier shed this request (it had no room within its budget). */
    boolean shed;
    /** A would-be hit sent upstream to learn whether it would have been right, or null. */
    Matching.Judged explore;
    /** How the semantic tier judged its best candidate, or null when there was none. */
    Matching.Judged judged;
    /** The exact key a fresh answer is stored under: the prompt's, or a variant's own. */
    String storeKey;
    /** Whether a fresh answer is worth keeping (a variant pool's test of difference), or null. */
    java.util.function.Predicate<String> keep;
    /**
     * The vector a lookup still running beside the request is making for this prompt, or null:
     * an answer stored before it ends takes its vector from there ({@link #storeLater}).
     */
    java.util.concurrent.CompletableFuture<float[]> vectorSoon;
    /** The probe whose findings this one took, if any ({@link #adopt}). */
    private Probe adopted;

    Probe(Scope scope, String prompt) {
      this.scope = scope;
      this.prompt = prompt;
      this.exactKey = Scope.normalize(prompt);
      this.storeKey = exactKey;
    }

    /**
     * Takes what another probe of the same prompt learnt: its vector, its timings and its
     * judgement (a lookup run beside the request, with a probe of its own).
     */
    void adopt(Probe other) {
      if (other == this || other == adopted) {
        return;
      }
      adopted = other;
      if (vector == null) {
        vector = other.vector;
      }
      embedNanos += other.embedNanos;
      searchNanos += other.searchNanos;
      refusal = other.refusal;
      explore = other.explore;
      judged = other.judged;
    }

    /** The prompt's vector if it has been computed, without computing it. */
    float[] vectorIfEmbedded() {
      return vector;
    }

    float[] vector() {
      if (vector == null) {
        long t0 = System.nanoTime();
        vector = promptVectors.embed(prompt);
        embedNanos += System.nanoTime() - t0;
      }
      return vector;
    }
  }

  private final Embedder embedder;
  /** The embedder as lookups use it, with the vectors of prompts looked up lately kept. */
  private final Embedder promptVectors;
  private final AnswerBackend store;
  private final Matching matching;
  private final Clock clock;
  private final Indexer indexer;
  private final ExecutorService compactor = Background.worker("bound-compactor");
  private final AtomicBoolean compactionRunning = new AtomicBoolean();
  private volatile Compaction compaction;
  /**
   * Answers handed to the indexer but not yet in the store, by scope and exact key, so that a
   * repeat sent the moment the first answer returns is already an exact hit.
   */
  private final Map<String, Entry> pending = new ConcurrentHashMap<>();
  /** The most stored prompts waiting to be embedded with the second model ({@link #warmLater}). */
  static final int WARM_QUEUED = 64;
  /** Stored prompts waiting to be embedded with the second model. */
  private final AtomicInteger warming = new AtomicInteger();

  /** Indexes what {@code journal} recovered before it returns. */
  AnswerCache(Embedder embedder, AnswerBackend store, AnswerJournal journal, Matching matching,
      Clock clock) {
    this.embedder = embedder;
    this.promptVectors = KeptVectors.of(embedder, matching.promptVectorBytes());
    this.matching = matching;
    this.store = store;
    this.clock = clock;
    // Answers the journal recovered while the storage is down are served from memory meanwhile.
    this.indexer = new Indexer(store, journal, embedder, System::nanoTime, e -> {
      String key = pendingKey(e.scope(), e.exactKey());
      pending.put(key, e);
      return () -> pending.remove(key, e);
    });
  }

  Probe probe(Scope scope, String prompt) {
    return new Probe(scope, prompt);
  }

  /** The exact tier alone: cheap, no model runs. */
  Optional<Hit> exact(Probe p) {
    long t0 = System.nanoTime();
    Entry queued = pending.get(pendingKey(p));
    Optional<Entry> exact = queued != null ? Optional.of(queued)
        : store.exact(p.scope.key(), p.exactKey);
    p.searchNanos += System.nanoTime() - t0;
    return exact.map(e -> new Hit(e, 1.0, true, 1.0));
  }

  /**
   * The semantic tier alone: the language guard, the embedding, vector search and the matcher,
   * all CPU-heavy; the request path runs it on the {@link SemanticPool}.
   */
  Optional<Hit> semantic(Probe p, Double override) {
    p.refusal = matching.refusal(p.prompt);
    if (p.refusal != null) {
      return Optional.empty();
    }
    float[] v = p.vector();
    long t1 = System.nanoTime();
    // Candidates below the matcher's floor are never scored, so the store need not read them.
    List<Candidate> near = withPending(p.scope.key(), v,
        store.nearest(p.scope.key(), v, CANDIDATES, matching.floor(override)));
    Optional<Matching.Judged> judged = matching.judge(p.prompt, v, near, override);
    p.searchNanos += System.nanoTime() - t1;
    if (judged.isEmpty()) {
      return Optional.empty();
    }
    Matching.Judged j = judged.get();
    p.judged = j;
    return switch (j.verdict()) {
      case SERVE -> Optional.of(new Hit(j.candidate().entry(), j.candidate().similarity(), false,
          j.score()));
      case EXPLORE -> {
        p.explore = j;
        yield Optional.empty();
      }
      case MISS -> Optional.empty();
    };
  }

  /**
   * Adds the answers still queued for the index in the same scope, compared with the query
   * directly, so that a paraphrase sent the moment the first answer returns can already be a
   * semantic hit. The queue is short (it empties as fast as the index takes entries).
   */
  private List<Candidate> withPending(String scope, float[] v, List<Candidate> near) {
    if (pending.isEmpty()) {
      return near;
    }
    List<Candidate> all = new ArrayList<>(near);
    addPending(scope, v, all);
    if (all.size() == near.size()) {
      return near;
    }
    all.sort(Comparator.comparingDouble(Candidate::similarity).reversed());
    return all.subList(0, Math.min(CANDIDATES, all.size()));
  }

  /**
   * Adds to {@code found} the queued answers of the scope that have a vector and are not in it
   * yet, each with its cosine to {@code v}. Under overload most queued answers have no vector
   * and are skipped before anything else is looked at.
   */
  private void addPending(String scope, float[] v, List<Candidate> found) {
    Set<String> ids = null;
    for (Entry e : pending.values()) {
      if (e.vector() == null || !e.scope().equals(scope)) {
        continue;
      }
      if (ids == null) {
        ids = new HashSet<>();
        for (Candidate c : found) {
          ids.add(c.entry().id());
        }
      }
      if (ids.add(e.id())) {
        found.add(new Candidate(e, (float) Math.max(-1, Math.min(1, dot(v, e.vector())))));
      }
    }
  }

  /** Dot product of two unit vectors: their cosine. */
  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  public Matching matching() {
    return matching;
  }

  /**
   * Runs work off the response path on the indexer thread, after the stores already queued, so
   * that it has finished by the time {@link #awaitIndexed} or {@link #close} returns.
   */
  void later(Runnable work) {
    indexer.later(work);
  }

  /**
   * Stores an answer off the request path, under the probe's store key; returns the id the entry
   * will have, or null when the probe's test says the answer is not worth keeping. The answer is
   * in the journal when this returns, and an exact hit for a repeat at once.
   */
  String storeLater(Probe p, String model, String responseJson) {
    if (p.keep != null && !p.keep.test(responseJson)) {
      return null;
    }
    String id = "ent_" + UUID.randomUUID().toString().replace("-", "");
    String key = pendingKey(p);
    Entry early = new Entry(id, p.scope.key(), p.storeKey, p.prompt, p.vectorIfEmbedded(), model,
        responseJson, clock.millis(), p.scope.tenant());
    pending.put(key, early);
    indexer.submit(early, () -> pending.remove(key, early), p.shed, p.vectorSoon);
    warmLater(p);
    return id;
  }

  /**
   * Has the indexer thread embed a stored prompt with the matcher's second model, unless the
   * semantic tier is shedding or {@link #WARM_QUEUED} prompts already wait for it: under a flood
   * the vector waits for the prompt's first lookup as a candidate instead, so that the cores go
   * to forwarding, and a backlog of such work never outlives the flood.
   */
  private void warmLater(Probe p) {
    if (p.shed || indexer.shedding()) {
      return;
    }
    if (warming.incrementAndGet() > WARM_QUEUED) {
      warming.decrementAndGet();
      return;
    }
    try {
      indexer.later(() -> {
        try {
          if (!indexer.shedding()) {
            matching.warm(p.prompt);
          }
        } finally {
          warming.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException e) {
      warming.decrementAndGet(); // the indexer has stopped
    }
  }

  private static String pendingKey(Probe p) {
    return pendingKey(p.scope.key(), p.storeKey);
  }

  private static String pendingKey(String scope, String exactKey) {
    return scope + '\u0000' + exactKey;
  }

  /**
   * Up to {@code k} stored answers nearest the probe's prompt in its scope, the ones still
   * queued for the index included, nearest first.
   */
  List<Candidate> nearby(Probe p, int k) {
    float[] v = p.vector();
    long t0 = System.nanoTime();
    List<Candidate> all = new ArrayList<>(store.nearest(p.scope.key(), v, k));
    addPending(p.scope.key(), v, all);
    all.sort(Comparator.comparingDouble(Candidate::similarity).reversed());
    p.searchNanos += System.nanoTime() - t0;
    return all.subList(0, Math.min(k, all.size()));
  }

  public long size() {
    return store.size();
  }

  public AnswerBackend store() {
    return store;
  }

  Embedder embedder() {
    return embedder;
  }

  /** Waits until everything handed to {@link #storeLater} so far is searchable. */
  void awaitIndexed() {
    indexer.awaitIndexed();
  }

  /** Answers acknowledged but not yet searchable in the index (the pending map serves them). */
  public long backlog() {
    return indexer.backlog();
  }

  /** Answers stored without their vector at first because the semantic tier was shedding. */
  public long deferredTotal() {
    return indexer.deferredTotal();
  }

  /** Deferred answers still waiting for their vector. */
  public long deferredWaiting() {
    return indexer.deferredWaiting();
  }

  /** Deferred answers since stored again with their vector. */
  public long backfilled() {
    return indexer.backfilled();
  }

  /**
   * Removes a stored entry, so that it is not served again; an entry still waiting for its
   * vector is not stored again either.
   */
  public void remove(Entry e) {
    pending.values().removeIf(p -> p.id().equals(e.id()));
    indexer.remove(e);
  }

  /** Notes that the semantic tier shed a request just now (see {@link Indexer#shed}). */
  void shed() {
    indexer.shed();
  }

  /** Journaled answers not yet forced to the device. */
  public long journalUnflushed() {
    return indexer.unflushed();
  }

  /**
   * The latest compaction of the index: running while {@code finishedMillis} is 0; afterwards the
   * segment count it left, or the error that stopped it.
   */
  public record Compaction(int maxSegments, long startedMillis, long finishedMillis,
      int segmentsBefore, int segmentsAfter, String error) {}

  /** The latest compaction, or null if none ran since start. */
  public Compaction compaction() {
    return compaction;
  }

  /**
   * Starts merging the index down to {@code maxSegments} segments on a thread of its own; serving
   * goes on meanwhile. Returns false, and starts nothing, while another compaction runs.
   */
  public boolean compactLater(int maxSegments) {
    if (!compactionRunning.compareAndSet(false, true)) {
      return false;
    }
    long started = clock.millis();
    int before = store.segments();
    compaction = new Compaction(maxSegments, started, 0, before, -1, null);
    compactor.execute(() -> {
      String error = null;
      int after = -1;
      try {
        store.compact(maxSegments);
        after = store.segments();
        LOG.info("Compacted the index from {} to {} segments in {} s", before, after,
            (clock.millis() - started) / 1000);
      } catch (RuntimeException e) {
        error = e.getMessage();
        LOG.warn("compaction failed", e);
      } finally {
        compaction = new Compaction(maxSegments, started, clock.millis(), before, after, error);
        compactionRunning.set(false);
      }
    });
    return true;
  }

  /** Indexes what is queued, as {@link Indexer#close} says, then closes the store. */
  @Override
  public void close() {
    indexer.close();
    store.close(); // abandons a compaction in progress rather than wait minutes for it
    Background.stop(compactor, Duration.ofSeconds(30), "the compactor");
    matching.close();
  }
}
