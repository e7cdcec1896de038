package dev.bound.gateway;

import dev.bound.index.StorageUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The number of stored answers for /readyz and /metrics, asked of the store on a thread of its
 * own and waited for at most a moment: a Solr that hangs (stopped, not answering) would otherwise
 * hang every readiness check and scrape with it. A count still on its way is shared, so a hung
 * store holds one thread, not one per check. Thread-safe.
 */
final class StoredCount implements AutoCloseable {
  private final LongSupplier count;
  private final Duration wait;
  private final ExecutorService thread = Background.worker("bound-stored-count");
  private CompletableFuture<Long> asked; // guarded by this

  StoredCount(LongSupplier count, Duration wait) {
    this.count = count;
    this.wait = wait;
  }

  /**
   * The count, or {@link StorageUnavailableException} when the store failed or did not answer
   * within the wait.
   */
  long get() {
    CompletableFuture<Long> f;
    synchronized (this) {
      if (asked == null || asked.isDone()) {
        asked = CompletableFuture.supplyAsync(count::getAsLong, thread);
      }
      f = asked;
    }
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StorageUnavailableException("the storage did not answer within "
          + wait.toMillis() + " ms", null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while counting the stored answers", e);
    }
  }

  /** Lets a count on its way finish, without an interrupt (see {@link Background}). */
  @Override
  public void close() {
    thread.shutdown();
  }
}
