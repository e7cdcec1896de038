package dev.bound.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a {@link SharedLog} by polling: the first read takes everything, each later one what
 * was stamped since the newest record seen, less an overlap window. A record can become readable
 * after one with a later stamp (another shard, a replica a moment behind); the window reads those
 * again, and a record already handed on is recognised by its id and stamp and not handed on twice.
 * Polling rather than push because Solr offers its clients no change notifications. Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  static final int PAGE = 500;

  private final SharedLog log;
  private final Duration overlap;
  private final Consumer<List<SharedRecord>> sink;
  private final Runnable afterFirstRead;
  /** Id to stamp of every record read within the window; older ones are never read again. */
  private final Map<String, Long> seen = new HashMap<>();
  private long newest = Long.MIN_VALUE;
  private boolean afterFirstReadDone;
  private volatile ScheduledFuture<?> task;
  private final OutageLog outage = new OutageLog(LOG, "The change feed");

  /**
   * A feed that hands each new record, in stamp order and in batches, to {@code sink}. A batch the
   * sink throws on is offered again on the next poll while it is within the window. {@code
   * afterFirstRead} runs once the first read has been handed on; if it throws, it runs again
   * after the next poll.
   */
  public ChangeFeed(SharedLog log, Duration overlap, Consumer<List<SharedRecord>> sink,
      Runnable afterFirstRead) {
    this.log = Objects.requireNonNull(log, "log must not be null");
    this.overlap = Objects.requireNonNull(overlap, "overlap must not be null");
    this.sink = Objects.requireNonNull(sink, "sink must not be null");
    this.afterFirstRead = Objects.requireNonNull(afterFirstRead,
        "afterFirstRead must not be null");
    if (overlap.isNegative()) {
      throw new IllegalArgumentException("overlap must not be negative but was " + overlap);
    }
  }

  /**
   * Reads what is new and hands it to the sink; the first call reads everything.
   *
   * @return how many records were new
   * @throws StorageUnavailableException when the log cannot be read; nothing is lost, the next
   *     poll reads from the same place
   */
  public synchronized int poll() {
    // Nothing read yet, or an empty log so far: read everything.
    long from = newest == Long.MIN_VALUE ? Long.MIN_VALUE : log.rewind(newest, overlap);
    List<SharedRecord> fresh = new ArrayList<>();
    Map<String, Long> before = new HashMap<>();
    long high = newest;
    while (true) {
      List<SharedRecord> page = log.since(from, PAGE);
      for (SharedRecord r : page) {
        Long old = seen.get(r.id());
        if (old == null || old != r.stamp()) {
          before.putIfAbsent(r.id(), old);
          seen.put(r.id(), r.stamp());
          fresh.add(r);
        }
        high = Math.max(high, r.stamp());
      }
      // A full page may have more behind it; a page of one stamp only cannot advance, so stop.
      if (page.size() < PAGE || page.getLast().stamp() == from) {
        break;
      }
      from = page.getLast().stamp();
    }
    if (!fresh.isEmpty()) {
      try {
        sink.accept(List.copyOf(fresh));
      } catch (RuntimeException e) {
        before.forEach((id, old) -> {
          if (old == null) {
            seen.remove(id);
          } else {
            seen.put(id, old);
          }
        });
        throw e;
      }
    }
    newest = high;
    if (newest != Long.MIN_VALUE) {
      long oldest = log.rewind(newest, overlap);
      seen.values().removeIf(stamp -> stamp < oldest);
    }
    if (!afterFirstReadDone) {
      afterFirstRead.run();
      afterFirstReadDone = true;
    }
    return fresh.size();
  }

  /** Whether a first, complete read has been handed on. */
  public synchronized boolean caughtUp() {
    return afterFirstReadDone;
  }

  /** Polls every {@code every} on {@code timers} until closed; failures are logged, not thrown. */
  public void start(ScheduledExecutorService timers, Duration every) {
    long ms = Math.max(1, every.toMillis());
    task = timers.scheduleWithFixedDelay(this::pollQuietly, 0, ms, TimeUnit.MILLISECONDS);
  }

  private void pollQuietly() {
    try {
      poll();
      outage.up();
    } catch (StorageUnavailableException e) {
      outage.down(e);
    } catch (RuntimeException e) {
      LOG.error("the change feed failed to apply a change; it will try again", e);
    }
  }

  @Override
  public void close() {
    ScheduledFuture<?> t = task;
    if (t != null) {
      t.cancel(false);
    }
  }
}
