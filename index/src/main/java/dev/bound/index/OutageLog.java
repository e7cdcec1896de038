package dev.bound.index;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Says once that the storage (SolrCloud, or an index on a full disk) became unavailable to one
 * part of Bound, and once that it is back, however many polls and retries fail in between: an
 * outage is otherwise a log line a second from each part that polls it. Thread-safe.
 */
public final class OutageLog {
  private static final long UP = Long.MIN_VALUE;

  private final Logger log;
  private final String who;
  /** When the outage began ({@link System#nanoTime}); {@link #UP} while there is none. */
  private final AtomicLong since = new AtomicLong(UP);

  /** {@code who} names the part that met the outage, as the start of a sentence. */
  public OutageLog(Logger log, String who) {
    this.log = Objects.requireNonNull(log, "log must not be null");
    this.who = Objects.requireNonNull(who, "who must not be null");
  }

  /** Notes a failure to reach the storage; logs a warning if it was reachable until now. */
  public void down(StorageUnavailableException e) {
    down(e.getMessage());
  }

  /** As {@link #down(StorageUnavailableException)}, with what went wrong in words. */
  public void down(String why) {
    if (since.compareAndSet(UP, System.nanoTime())) {
      log.warn("{} cannot use its storage and keeps trying: {}", who, why);
    } else {
      log.debug("{} still cannot use its storage: {}", who, why);
    }
  }

  /** Notes that the storage answered; logs once that it is back after an outage. */
  public void up() {
    if (since.get() == UP) {
      return; // the usual case, read without a write: callers note every success
    }
    long began = since.getAndSet(UP);
    if (began != UP) {
      log.info("{} can use its storage again, after {} s", who,
          (System.nanoTime() - began) / 1_000_000_000);
    }
  }
}
