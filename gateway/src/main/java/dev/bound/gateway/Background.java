package dev.bound.gateway;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bound's own background threads, and how they stop. They are never interrupted: an interrupt
 * that lands during file I/O closes the file's channel, and when the file is Lucene's write lock
 * (checked on every commit and flush) the index is unwritable until restart. A stop lets the
 * running task finish and drops the ones not yet started.
 */
public final class Background {
  private static final Logger LOG = LoggerFactory.getLogger(Background.class);

  private Background() {}

  /** One daemon thread running tasks in order. */
  static ExecutorService worker(String name) {
    return Executors.newSingleThreadExecutor(daemon(name));
  }

  /** One daemon thread for delayed and periodic tasks, none of which outlive {@link #stop}. */
  public static ScheduledExecutorService scheduler(String name) {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon(name));
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    s.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    s.setRemoveOnCancelPolicy(true);
    return s;
  }

  /**
   * Stops taking tasks and waits for the queued ones (a worker's) or the running one (a
   * scheduler's), without interrupting.
   *
   * @return whether everything finished within {@code wait}
   */
  public static boolean stop(ExecutorService executor, Duration wait, String what) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      LOG.warn("{} still busy after {} s; not waiting longer", what, wait.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
