package dev.bound.index;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges an {@link AnswerStore} down to its segment bound once nothing has been written to it for
 * a while, so vector search stays fast as the store grows without anyone calling {@link
 * AnswerStore#compact}. Each segment has an HNSW graph of its own and a search walks every one, so
 * the segment count, not the entry count, sets most of the search cost.
 *
 * <p>Waiting for a quiet index keeps the merge, minutes of one core at a million entries, away
 * from bursts of writes; adds and searches go on while it runs, and closing the store abandons it
 * (the index keeps its segments and the next quiet spell starts over). With a bound of one, every
 * compaction after new writes rewrites the whole index, so after a compaction that took t the
 * next waits at least {@link #BACKOFF} times t: a trickle of writes cannot keep a core merging
 * more than about a tenth of the time.
 */
final class IdleCompactor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IdleCompactor.class);

  /** How often the timer looks at the store; a tenth of the idle period, within these bounds. */
  private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** After a compaction that took t, the next one starts no sooner than this many t later. */
  static final int BACKOFF = 10;

  private final AnswerStore store;
  private final int maxSegments;
  private final long idleNanos;
  private final LongSupplier nanos;
  private volatile long lastWrite;
  private long notBefore; // only the thread that runs runOnce() touches it
  private ScheduledExecutorService timer; // null until start(), and in tests that drive runOnce

  IdleCompactor(AnswerStore store, int maxSegments, Duration idle, LongSupplier nanos) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be at least 1 but was " + maxSegments);
    }
    this.store = store;
    this.maxSegments = maxSegments;
    this.idleNanos = idle.toNanos();
    this.nanos = nanos;
    // An index opened with too many segments (an older build's, or one whose compaction was
    // abandoned at close) is compacted after one quiet period like any other.
    this.lastWrite = nanos.getAsLong();
    this.notBefore = lastWrite;
  }

  /** Starts looking at the store periodically on a daemon thread of its own. */
  void start() {
    long period = Math.clamp(idleNanos / 10, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bound-index-compactor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
  }

  /** Notes that an entry was just added or removed. */
  void wrote() {
    lastWrite = nanos.getAsLong();
  }

  /**
   * Compacts the store if it has been quiet for the idle period, can be written, and has more
   * segments than its bound; returns whether it did. Fails as {@link AnswerStore#compact} does.
   */
  boolean runOnce() {
    long now = nanos.getAsLong();
    if (now - lastWrite < idleNanos || now - notBefore < 0) {
      return false;
    }
    if (store.writeFailure().isPresent()) {
      // A full disk closed the writer: merging would fail (and warn) after every quiet period
      // until the store opens its new writer, so it waits for that.
      return false;
    }
    int before = store.segments();
    if (before <= maxSegments) {
      return false;
    }
    store.compact(maxSegments);
    long took = nanos.getAsLong() - now;
    notBefore = now + BACKOFF * took;
    log.info("Compacted the idle index from {} to {} segments in {} ms", before,
        store.segments(), TimeUnit.NANOSECONDS.toMillis(took));
    return true;
  }

  private void tick() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      // An exception would cancel the schedule; the next tick tries again. A store closed (or
      // compacted by an admin call) under the timer is expected and not worth a warning.
      if (!store.isClosed() && !store.compacting()) {
        log.warn("Automatic compaction failed; it is retried after the next quiet period", e);
        lastWrite = nanos.getAsLong();
      }
    }
  }

  /**
   * Stops the timer without interrupting a running compaction: an interrupted IndexWriter call
   * can close the files under it, so the store's own close abandons the merge instead.
   */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdown();
    }
  }
}
