package dev.bound.gateway;

import dev.bound.index.AnswerBackend;
import dev.bound.index.Entry;
import dev.bound.index.OutageLog;
import dev.bound.index.StorageUnavailableException;
import dev.bound.index.journal.AnswerJournal;
import dev.bound.models.Embedder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves fresh answers into the store off the request path. Each answer is first appended to the
 * journal, so it survives a crash of the process from the moment its response is sent; one
 * thread then adds the queued answers in batches (one searcher refresh per batch, which is what
 * lets it keep up under load), and every two seconds the store is committed and the journal
 * segments that commit covers are deleted. Whatever the journal still holds at start is indexed
 * before Bound accepts requests.
 *
 * <p>Overload: an answer whose request the semantic tier shed (it had no room within its budget)
 * has no vector yet. While the semantic tier keeps shedding, such answers are stored for exact
 * hits at once rather than embedded here, because this thread embeds on the same cores the
 * requests need, and an overload it cannot catch up with would otherwise grow the backlog until
 * the instance reports not ready. They are embedded and stored again with their vector once the
 * semantic tier has shed nothing for {@link #CALM}, the most recent {@link #DEFERRED_MAX} of them,
 * in turns paced to {@link #BACKFILL_SHARE} of one core, so that the requests still coming keep
 * the CPU they need.
 * The list of those waiting is kept in memory; at start it is rebuilt from the store where the
 * store can find entries without a vector (the embedded index can, Solr cannot).
 */
final class Indexer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
  /** Retries meet an outage every second; it is logged when it starts and when it ends. */
  private final OutageLog outage = new OutageLog(LOG, "The indexer");
  /** Most answers embedded and stored at once when a journal is replayed at start. */
  static final int BATCH = 256;
  /** How long {@link #close} waits for the queue to drain. */
  private static final Duration DRAIN = Duration.ofSeconds(30);
  /** How long the semantic tier must shed nothing before deferred answers are embedded. */
  static final Duration CALM = Duration.ofSeconds(1);
  /** Most answers kept for a later vector; beyond it the oldest stay exact-only. */
  static final int DEFERRED_MAX = 10_000;
  /** Deferred answers embedded per turn of the indexer thread, so new answers wait little. */
  private static final int BACKFILL_TURN = 32;
  /**
   * The most of one core's time the backfill takes: after a turn of {@code t}, the next starts no
   * sooner than {@code t * (1 / share - 1)} later. Unpaced, it embedded at full speed on the
   * indexer thread whenever the tier stopped shedding, on the cores the requests were using: in
   * {@code ./bound compare}, the thousands of answers shed by the misses at concurrency 32 were
   * embedded during the paths measured after them (exact hits at 32 among them). At a tenth,
   * the {@link #DEFERRED_MAX} answers a flood can leave take about five minutes at 3 ms each.
   */
  static final double BACKFILL_SHARE = 0.1;
  /**
   * Least time between two drains of fresh answers (a drain stores them in batches of the
   * store's {@link AnswerBackend#addLimit}; retries are not paced, backfill turns have their own
   * pace). Each batch ends with a searcher refresh, which writes a new segment that merges then
   * rewrite; under a flood of misses one refresh per few answers took most of this thread's time
   * and fed the merges.
   * Answers waiting for their batch are served from the pending answers meanwhile: as exact
   * hits, and as semantic hits once they have a vector (a shed request's answer has none yet).
   */
  static final Duration BATCH_GAP = Duration.ofMillis(100);
  /**
   * The gap instead while answers arrive faster than {@link #FLOOD_RATE} a second. Under a flood
   * of misses at concurrency 32 on two cores (1,300 answers a second), drains 100 ms apart still
   * refreshed the searcher about seven times a second; one drain a second, in one batch, took
   * 13–22 % less CPU per miss (gateway/PERFORMANCE.md). Only the answers' place in the index
   * comes later: they are served from memory until then, and journaled.
   */
  static final Duration FLOOD_GAP = Duration.ofSeconds(1);
  /** Answers a second above which drains are {@link #FLOOD_GAP} apart. */
  static final int FLOOD_RATE = 500;
  /** How often a store that cannot be written (a full disk) is opened again, off the requests. */
  static final Duration REOPEN_EVERY = Duration.ofSeconds(3);

  /**
   * A queued answer; {@code ticket} is null when it could not be journaled, {@code shed} tells
   * that the semantic tier shed its request, and {@code soon}, when not null, gives the vector a
   * lookup still running is making for its prompt (null when that lookup fails or is late).
   */
  private record Queued(Entry entry, AnswerJournal.Ticket ticket, Runnable onIndexed,
      boolean shed, CompletableFuture<float[]> soon) {

    /** The entry, with the vector its lookup made if it came, waiting for it if need be. */
    Entry taken() {
      if (soon == null || entry.vector() != null) {
        return entry;
      }
      float[] v;
      try {
        v = soon.join();
      } catch (RuntimeException e) {
        v = null; // the lookup failed: the prompt is embedded here
      }
      return v == null ? entry : entry.withVector(v);
    }
  }

  private final AnswerBackend store;
  private final AnswerJournal journal;
  private final Embedder embedder;
  private final ExecutorService thread = Background.worker("bound-indexer");
  private final ScheduledExecutorService committer = Background.scheduler("bound-committer");
  private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong uncommitted = new AtomicLong();
  /** Answers the storage could not take (it was unreachable); only the indexer thread adds. */
  private final Queue<Queued> parked = new ConcurrentLinkedQueue<>();
  private final LongSupplier nanos;
  /** When the last batch ended ({@link System#nanoTime}); only the indexer thread uses it. */
  private long lastBatch = System.nanoTime() - BATCH_GAP.toNanos();
  /** How long after {@link #lastBatch} the next drain waits; only the indexer thread uses it. */
  private Duration gap = BATCH_GAP;
  /** When the semantic tier last shed a request; meaningful once {@link #shedSeen}. */
  private volatile long lastShed;
  private volatile boolean shedSeen;
  /**
   * The ids of answers stored without their vector because the semantic tier was shedding,
   * oldest first (the store holds the rest); guarded by itself, held only for the list's own
   * operations (store calls are ordered by {@link #storeAgain}).
   */
  private final Deque<String> deferred = new ArrayDeque<>();
  /**
   * Orders a removal against the backfill's check-and-store of the same entry on this instance.
   * A lock rather than {@code synchronized}: a removal comes from a request's virtual thread, and
   * with Solr the store calls wait on the network.
   */
  private final ReentrantLock storeAgain = new ReentrantLock();
  /** A drain is queued on the indexer thread and has not started taking answers yet. */
  private final AtomicBoolean drainQueued = new AtomicBoolean();
  /** Says once that the journal cannot begin new segments, and once that it can again. */
  private final OutageLog journalOutage = new OutageLog(LOG, "The answer journal");
  /** A backfill turn is queued on the indexer thread and has not started yet. */
  private final AtomicBoolean backfillQueued = new AtomicBoolean();
  private final AtomicLong deferredTotal = new AtomicLong();
  private final AtomicLong backfilled = new AtomicLong();
  /** Deferred answers the running backfill turn has taken off the list and not yet stored. */
  private final AtomicInteger backfilling = new AtomicInteger();
  private final Function<Entry, Runnable> servedMeanwhile;
  /** When the pace lets the next backfill turn start ({@link #nanos}); set by the last turn. */
  private volatile long backfillAfter;
  /** When the store may next be tried again ({@link System#nanoTime}); committer thread only. */
  private long reopenAfter;

  /** Indexes what the journal recovered, then starts the periodic commits. */
  Indexer(AnswerBackend store, AnswerJournal journal, Embedder embedder) {
    this(store, journal, embedder, System::nanoTime, e -> () -> { });
  }

  /** As above, with the clock that tells whether the tier is shedding and paces the backfill. */
  Indexer(AnswerBackend store, AnswerJournal journal, Embedder embedder, LongSupplier nanos) {
    this(store, journal, embedder, nanos, e -> () -> { });
  }

  /**
   * As above; {@code servedMeanwhile} is told of each recovered answer the storage could not
   * take at the start, so it can be served from memory meanwhile, and returns what to run once
   * it is stored.
   */
  Indexer(AnswerBackend store, AnswerJournal journal, Embedder embedder, LongSupplier nanos,
      Function<Entry, Runnable> servedMeanwhile) {
    this.servedMeanwhile = servedMeanwhile;
    this.store = store;
    this.journal = journal;
    this.embedder = embedder;
    this.nanos = nanos;
    this.backfillAfter = nanos.getAsLong();
    replay();
    findDeferred();
    committer.scheduleWithFixedDelay(this::commit, 2, 2, TimeUnit.SECONDS);
    committer.scheduleWithFixedDelay(() -> {
      if (!parked.isEmpty()) {
        later(this::retryParked);
      }
      reopenIfDue();
      backfillIfDue();
    }, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Journals the entry and queues it for the index. An entry without a vector gets one from its
   * prompt when it is indexed. {@code onIndexed} runs once it is searchable in the store.
   */
  void submit(Entry e, Runnable onIndexed) {
    submit(e, onIndexed, false);
  }

  /**
   * As {@link #submit(Entry, Runnable)}; {@code shed} tells that the semantic tier shed the
   * request, so that while it still sheds ({@link #shedding}) the entry is stored for exact hits
   * first and embedded later.
   */
  void submit(Entry e, Runnable onIndexed, boolean shed) {
    submit(e, onIndexed, shed, null);
  }

  /**
   * As {@link #submit(Entry, Runnable, boolean)} for an answer whose prompt a lookup is still
   * embedding: its vector is taken from {@code soon} when this thread comes to index it, so that
   * neither the request nor the model waits twice for it. {@code soon} must end by itself, with
   * null when the lookup is late or failed; the prompt is then embedded here.
   */
  void submit(Entry e, Runnable onIndexed, boolean shed, CompletableFuture<float[]> soon) {
    AnswerJournal.Ticket ticket = null;
    try {
      ticket = journal.append(e);
    } catch (RuntimeException ex) {
      LOG.warn("could not journal entry {}; a crash before the next commit loses it", e.id(), ex);
    }
    backlog.incrementAndGet();
    queue.add(new Queued(e, ticket, onIndexed, shed, soon));
    if (!drainQueued.compareAndSet(false, true)) {
      // A drain is queued and has not started taking answers: it takes this one too, and work
      // handed to later() after this answer is queued behind it.
      return;
    }
    try {
      thread.execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException ex) {
      drainQueued.set(false);
      LOG.info("entry {} arrived after the indexer stopped; the journal keeps it", e.id());
    }
  }

  /** Runs work on the indexer thread after every answer submitted so far is indexed. */
  void later(Runnable work) {
    thread.execute(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.warn("background work failed", e);
      }
    });
  }

  /** Answers submitted (and journaled) but not yet searchable in the store. */
  long backlog() {
    return backlog.get();
  }

  /** Answers stored without their vector because the semantic tier was shedding, ever. */
  long deferredTotal() {
    return deferredTotal.get();
  }

  /**
   * Deferred answers still waiting for their vector: those on the list and those the running
   * backfill turn has taken and not yet stored, so that zero means no backfill work is left (an
   * answer whose embedding or store failed stays exact-only, and is logged).
   */
  int deferredWaiting() {
    synchronized (deferred) {
      return deferred.size() + backfilling.get();
    }
  }

  /** Notes that the semantic tier shed a request just now. */
  void shed() {
    lastShed = nanos.getAsLong();
    shedSeen = true;
  }

  /** Deferred answers since embedded and stored with their vector. */
  long backfilled() {
    return backfilled.get();
  }

  /** Whether the semantic tier shed a request within the last {@link #CALM} ({@link #shed}). */
  boolean shedding() {
    return shedSeen && nanos.getAsLong() - lastShed < CALM.toNanos();
  }

  /**
   * Removes a stored entry; one waiting for its vector is forgotten first, so that storing it
   * again with its vector cannot bring it back.
   */
  void remove(Entry e) {
    storeAgain.lock();
    try {
      synchronized (deferred) {
        deferred.remove(e.id());
      }
      store.remove(e);
    } finally {
      storeAgain.unlock();
    }
  }

  /** Journal records not yet forced to the device. */
  long unflushed() {
    return journal.unflushed();
  }

  /** Waits until everything submitted so far is searchable in the store. */
  void awaitIndexed() {
    try {
      thread.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("indexing did not finish", e);
    }
  }

  /**
   * Takes every queued answer into the store. Only one drain is queued at a time: with one per
   * answer, each waiting out the gap, a flood queued them faster than they ran, and work handed
   * to {@link #later} waited behind all of them.
   */
  private void drain() {
    if (!queue.isEmpty()) {
      pace();
    }
    // From here on an answer that arrives queues a drain of its own.
    drainQueued.set(false);
    int limit = store.addLimit();
    List<Queued> batch = new ArrayList<>();
    int taken = 0;
    for (Queued q; (q = queue.poll()) != null; taken++) {
      batch.add(q);
      if (batch.size() == limit) {
        index(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      index(batch);
    }
    if (taken > 0) {
      long now = System.nanoTime();
      gap = gapAfter(taken, now - lastBatch);
      lastBatch = now;
    }
  }

  /**
   * The gap before the next drain, after one that took {@code taken} answers {@code sinceNanos}
   * after the drain before it ended: {@link #FLOOD_GAP} when they came faster than {@link
   * #FLOOD_RATE} a second, otherwise {@link #BATCH_GAP}.
   */
  static Duration gapAfter(int taken, long sinceNanos) {
    return taken * 1_000_000_000.0 > (double) FLOOD_RATE * sinceNanos ? FLOOD_GAP : BATCH_GAP;
  }

  /**
   * Waits, if the last batch ended less than the gap ago, for the rest of the gap, so that
   * answers arriving meanwhile join this batch. Wall-clock time, not {@link #nanos}: the tests'
   * shedding clock must not stretch the wait.
   */
  private void pace() {
    long wait = lastBatch + gap.toNanos() - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void index(List<Queued> batch) {
    boolean shedding = shedding();
    boolean[] later = new boolean[batch.size()];
    List<Entry> taken = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Queued q = batch.get(i);
      taken.add(q.taken());
      later[i] = shedding && q.shed() && taken.get(i).vector() == null;
    }
    List<Entry> entries = withVectors(taken, later);
    boolean[] waiting = new boolean[batch.size()];
    try {
      store.addAll(entries);
      outage.up();
      for (Queued q : batch) {
        indexed(q);
      }
      defer(entries, later);
    } catch (StorageUnavailableException e) {
      java.util.Arrays.fill(waiting, true);
      outage.down(e); // the answers wait in the journal, served from memory meanwhile
    } catch (RuntimeException e) {
      // One bad entry fails the whole batch before anything is written; find it.
      boolean[] storedLater = new boolean[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        Outcome o = indexOne(batch.get(i), entries.get(i));
        waiting[i] = o == Outcome.PARKED;
        storedLater[i] = later[i] && o == Outcome.STORED;
      }
      defer(entries, storedLater);
    }
    for (int i = 0; i < batch.size(); i++) {
      Queued q = batch.get(i);
      if (waiting[i]) {
        // Still journaled and still served from the pending answers; retried every second.
        parked.add(new Queued(entries.get(i), q.ticket(), q.onIndexed(), q.shed(), null));
      } else {
        q.onIndexed().run();
        backlog.decrementAndGet();
      }
    }
  }

  /** What became of one entry stored on its own. */
  private enum Outcome {
    STORED,
    /** The storage is unavailable: it waits for a retry. */
    PARKED,
    /** Not in the store: invalid, or left in the journal for the next start. */
    NOT_STORED
  }

  private Outcome indexOne(Queued q, Entry e) {
    try {
      store.add(e);
      indexed(q);
      return Outcome.STORED;
    } catch (StorageUnavailableException ex) {
      return Outcome.PARKED;
    } catch (IllegalArgumentException ex) {
      LOG.warn("entry {} cannot be stored; dropped", e.id(), ex);
      if (q.ticket() != null) {
        journal.indexed(q.ticket()); // a replay would fail the same way
      }
    } catch (RuntimeException ex) {
      LOG.warn("could not store entry {}; it stays in the journal for the next start", e.id(), ex);
    }
    return Outcome.NOT_STORED;
  }

  /** Tries the answers the storage could not take again, on the indexer thread. */
  private void retryParked() {
    List<Queued> again = new ArrayList<>();
    for (Queued q; (q = parked.poll()) != null; ) {
      again.add(q);
    }
    int limit = store.addLimit();
    for (int from = 0; from < again.size(); from += limit) {
      index(again.subList(from, Math.min(again.size(), from + limit)));
    }
  }

  /** Queues a try to open the store again, every {@link #REOPEN_EVERY}, while it cannot write. */
  private void reopenIfDue() {
    long now = System.nanoTime();
    if (store.writeFailure().isEmpty()) {
      reopenAfter = now + REOPEN_EVERY.toNanos(); // the first try waits as long as the next
    } else if (now - reopenAfter >= 0) {
      reopenAfter = now + REOPEN_EVERY.toNanos();
      later(this::reopen);
    }
  }

  /**
   * Opens the store again once it can write, adds back from the journal what its closed writer
   * had taken but not committed, then the answers that waited meanwhile.
   */
  private void reopen() {
    if (!store.reopen()) {
      return;
    }
    try {
      addMissing(journal.unreleased());
      store.commit();
      outage.up();
    } catch (StorageUnavailableException e) {
      outage.down(e);
      return;
    }
    retryParked();
  }

  /** Queues a backfill turn when answers wait for it, the tier is calm and the pace allows. */
  private void backfillIfDue() {
    if (deferredWaiting() > 0 && !shedding() && nanos.getAsLong() - backfillAfter >= 0) {
      queueBackfill();
    }
  }

  /** Queues one backfill turn on the indexer thread unless one is queued already. */
  private void queueBackfill() {
    if (!backfillQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      later(this::backfill);
    } catch (RejectedExecutionException e) {
      backfillQueued.set(false); // stopping: the answers stay exact-only (see close)
    }
  }

  /**
   * One turn on the indexer thread: embeds up to {@link #BACKFILL_TURN} deferred answers and
   * stores them again with their vector, while the semantic tier sheds nothing. Each is read
   * back from the store first, so nothing changed there since is overwritten, and an answer
   * removed or replaced by a newer one for its prompt (no longer found by its id) is skipped.
   * While the storage is unavailable the answers keep waiting. A turn the pace does not allow yet
   * does nothing. The next turn is due when this one's pause ({@link #BACKFILL_SHARE}) is over,
   * or, after a turn that found the storage unavailable, at a later one-second check.
   */
  void backfill() {
    backfillQueued.set(false);
    long start = nanos.getAsLong();
    if (start - backfillAfter < 0) {
      return;
    }
    boolean storageDown;
    try {
      storageDown = backfillTurn();
    } finally {
      backfilling.set(0); // what it could not store is back on the list
    }
    long end = nanos.getAsLong();
    // The turn's length as the clock saw it, which with a remote store includes its round trips
    // (so the share of CPU is then lower); a turn that waited on a storage that was down took no
    // CPU worth pacing, and its answers wait for the storage anyway.
    long pause = storageDown ? 0 : (long) ((end - start) * (1 / BACKFILL_SHARE - 1));
    backfillAfter = end + pause;
    if (!storageDown && deferredWaiting() > 0) {
      try {
        committer.schedule(this::backfillIfDue, pause, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // stopping: the answers stay exact-only (see close)
      }
    }
  }

  /** The body of {@link #backfill}; true when the storage was unavailable. */
  private boolean backfillTurn() {
    List<Entry> embedded = new ArrayList<>();
    boolean storageDown = false;
    for (int n = 0; n < BACKFILL_TURN && !shedding(); n++) {
      String id = takeDeferred();
      if (id == null) {
        break;
      }
      Entry e;
      try {
        e = store.get(id).orElse(null);
      } catch (StorageUnavailableException ex) {
        putBack(List.of(id));
        storageDown = true;
        break;
      } catch (RuntimeException ex) {
        LOG.warn("could not read deferred entry {}; it stays exact-only", id, ex);
        continue;
      }
      if (e == null || e.vector() != null) {
        continue;
      }
      try {
        embedded.add(e.withVector(embedder.embed(e.prompt())));
      } catch (RuntimeException ex) {
        LOG.warn("could not embed deferred entry {}; it stays exact-only", id, ex);
      }
    }
    if (!embedded.isEmpty()) {
      storeAgain.lock();
      try {
        // One store (and one searcher refresh) for the turn, of those not removed meanwhile.
        List<Entry> kept = new ArrayList<>();
        for (Entry e : embedded) {
          if (store.get(e.id()).isPresent()) {
            kept.add(e);
          }
        }
        store.addAll(kept);
        uncommitted.addAndGet(kept.size());
        backfilled.addAndGet(kept.size());
      } catch (StorageUnavailableException ex) {
        putBack(embedded.stream().map(Entry::id).toList());
        storageDown = true;
      } catch (RuntimeException ex) {
        LOG.warn("could not store {} deferred entries with their vector; they stay exact-only",
            embedded.size(), ex);
      } finally {
        storeAgain.unlock();
      }
    }
    return storageDown;
  }

  /** Takes the oldest deferred answer off the list; it counts as waiting until the turn ends. */
  private String takeDeferred() {
    synchronized (deferred) {
      String id = deferred.pollFirst();
      if (id != null) {
        backfilling.incrementAndGet();
      }
      return id;
    }
  }

  /** Puts answers the running turn took back at the head of the waiting list, in their order. */
  private void putBack(List<String> ids) {
    synchronized (deferred) {
      for (int i = ids.size() - 1; i >= 0; i--) {
        deferred.addFirst(ids.get(i));
      }
      backfilling.addAndGet(-ids.size());
    }
  }

  private void indexed(Queued q) {
    uncommitted.incrementAndGet();
    if (q.ticket() != null) {
      journal.indexed(q.ticket());
    }
  }

  /**
   * The entries with a vector each, embedding the prompts of those without in one call; if the
   * model fails they stay exact-only rather than be lost.
   */
  private List<Entry> withVectors(List<Entry> entries) {
    return withVectors(entries, new boolean[entries.size()]);
  }

  /** As above, leaving without a vector the entries whose {@code later} flag is set. */
  private List<Entry> withVectors(List<Entry> entries, boolean[] later) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).vector() == null && !later[i]) {
        missing.add(i);
      }
    }
    if (missing.isEmpty()) {
      return entries;
    }
    List<float[]> vectors;
    try {
      vectors = embedder.embedAll(missing.stream().map(i -> entries.get(i).prompt()).toList());
    } catch (RuntimeException ex) {
      LOG.warn("could not embed {} stored prompts; they are stored for exact hits only",
          missing.size(), ex);
      return entries;
    }
    List<Entry> out = new ArrayList<>(entries);
    for (int j = 0; j < missing.size(); j++) {
      out.set(missing.get(j), entries.get(missing.get(j)).withVector(vectors.get(j)));
    }
    return out;
  }

  /** Keeps the entries stored without their vector for {@link #backfill}, the newest at most. */
  private void defer(List<Entry> stored, boolean[] later) {
    int n = 0;
    synchronized (deferred) {
      for (int i = 0; i < stored.size(); i++) {
        if (later[i]) {
          deferred.addLast(stored.get(i).id());
          n++;
          if (deferred.size() > DEFERRED_MAX) {
            deferred.pollFirst();
          }
        }
      }
    }
    if (n > 0 && deferredTotal.getAndAdd(n) == 0) {
      LOG.info("The semantic tier is shedding requests; their answers are stored for exact hits "
          + "at once and embedded once it has shed nothing for {} ms (counted in "
          + "bound_index_deferred_total)", CALM.toMillis());
    }
  }

  /**
   * Commits the store and deletes the journal segments whose entries the commit covers. The
   * checkpoint comes first: every segment it names had all its entries added before the commit.
   */
  private void commit() {
    try {
      AnswerJournal.Checkpoint done = checkpoint();
      long n = uncommitted.getAndSet(0);
      if (n > 0) {
        try {
          store.commit();
          outage.up();
        } catch (RuntimeException e) {
          uncommitted.addAndGet(n);
          throw e;
        }
      }
      if (done != null) {
        journal.release(done);
      }
    } catch (StorageUnavailableException e) {
      outage.down(e); // the commit is tried again
    } catch (RuntimeException e) {
      LOG.warn("commit failed, will retry", e);
    }
  }

  /**
   * The journal's checkpoint, or null when it cannot begin a new segment (its directory removed,
   * the disk full). The store is committed all the same: when a failed checkpoint stopped the
   * commit, every answer indexed after the journal's directory was removed was lost by a crash,
   * though it had been searchable for minutes. Said once when it starts and once when it ends.
   */
  private AnswerJournal.Checkpoint checkpoint() {
    try {
      AnswerJournal.Checkpoint done = journal.checkpoint();
      journalOutage.up();
      return done;
    } catch (RuntimeException e) {
      journalOutage.down("a new segment cannot be begun ("
          + (e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause())
          + "); the index is committed every two seconds regardless");
      return null;
    }
  }

  /** Indexes what a previous run journaled but did not commit; replaying is idempotent. */
  private void replay() {
    List<Entry> found = journal.recovered();
    if (found.isEmpty()) {
      journal.discardRecovered();
      return;
    }
    long t0 = System.nanoTime();
    int added;
    try {
      added = addMissing(found);
      store.commit();
    } catch (StorageUnavailableException e) {
      // Started while the storage is down: the recovered answers are journaled again and wait
      // like any answer learnt during the outage, so the start goes on and nothing is lost.
      found.forEach(entry -> submit(entry, servedMeanwhile.apply(entry)));
      journal.discardRecovered();
      outage.down(e);
      LOG.info("{} answers recovered from the journal wait there for the storage, served from "
          + "memory meanwhile", found.size());
      return;
    }
    journal.discardRecovered();
    LOG.info("Replayed the answer journal: {} answers indexed, {} were in the index already "
        + "({} ms)", added, found.size() - added, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Puts back on the waiting list the answers an earlier run stored without their vector (it
   * stopped while some waited, or the model failed on them), the newest {@link #DEFERRED_MAX},
   * where the store can find them ({@link AnswerBackend#withoutVector}); they get their vector as
   * any deferred answer does, once the semantic tier has shed nothing for {@link #CALM}.
   */
  private void findDeferred() {
    List<String> ids;
    try {
      ids = store.withoutVector(DEFERRED_MAX);
    } catch (RuntimeException e) {
      LOG.warn("could not look for stored answers without their vector; they stay exact-only "
          + "({})", e.getMessage());
      return;
    }
    if (ids.isEmpty()) {
      return;
    }
    synchronized (deferred) {
      for (int i = ids.size() - 1; i >= 0; i--) {
        deferred.addLast(ids.get(i)); // oldest first, as the list keeps them
      }
    }
    LOG.info("{} stored answers have no vector yet (exact hits only); they are embedded in the "
        + "background once the semantic tier is not shedding", ids.size());
  }

  /** Adds, in batches, the journaled entries the store lacks; returns how many. */
  private int addMissing(List<Entry> journaled) {
    int added = 0;
    for (int from = 0; from < journaled.size(); from += BATCH) {
      List<Entry> missing = journaled.subList(from, Math.min(journaled.size(), from + BATCH))
          .stream().filter(e -> !indexedAlready(e)).toList();
      store.addAll(withVectors(missing));
      added += missing.size();
    }
    return added;
  }

  /** The store holds this entry, or a newer answer for its key, which the replay must keep. */
  private boolean indexedAlready(Entry e) {
    return store.exact(e.scope(), e.exactKey())
        .filter(s -> s.id().equals(e.id()) || s.createdMillis() >= e.createdMillis())
        .isPresent();
  }

  /**
   * Stops the commits, indexes everything queued (waiting up to 30 s), commits, and closes the
   * journal. An answer still queued after that wait stays in the journal and is indexed at the
   * next start, so an orderly stop loses nothing either way. The store stays open.
   */
  @Override
  public void close() {
    Background.stop(committer, DRAIN, "the answer committer");
    if (!Background.stop(thread, DRAIN, "the answer indexer")) {
      LOG.warn("{} answers not yet indexed stay in the journal; the next start indexes them",
          backlog.get());
    }
    if (deferredWaiting() > 0) {
      LOG.info("{} answers stored while the semantic tier shed requests are still without their "
          + "vector (exact hits only); the next start looks for them again where the store can",
          deferredWaiting());
    }
    try {
      AnswerJournal.Checkpoint done = journal.checkpoint();
      store.commit();
      journal.release(done);
    } catch (dev.bound.index.StorageUnavailableException e) { // expected while Solr is down
      LOG.warn("final commit failed; the journal keeps the answers for the next start: {}",
          e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("final commit failed; the journal keeps the answers for the next start", e);
    }
    journal.close();
  }
}
