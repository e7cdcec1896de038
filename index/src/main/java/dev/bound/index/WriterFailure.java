package dev.bound.index;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;

/**
 * What closed a Lucene writer for good (a full disk, its lock file removed), in words, and a new
 * writer once the disk takes writes again.
 */
public final class WriterFailure {
  private WriterFailure() {
  }

  /**
   * The innermost cause of the failure the writer cannot undo, as "Type: message"; empty while
   * it can still write.
   */
  public static Optional<String> of(IndexWriter writer) {
    Throwable root = writer.getTragicException();
    if (root == null) {
      return Optional.empty();
    }
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return Optional.of(root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage());
  }

  /** A writer opened again after a failure, with the searchers that read through it. */
  public record Reopened(IndexWriter writer, SearcherManager searchers) {}

  /**
   * A new writer on {@code dir} and its searchers if the disk takes writes again, else empty.
   * Opening writes only the lock file, which a full disk still takes, so the new writer commits
   * first ({@code prepare} sets what the commit carries); one that cannot is rolled back,
   * changing nothing.
   */
  public static Optional<Reopened> reopened(Directory dir, IndexWriterConfig config,
      Consumer<IndexWriter> prepare) {
    return reopened(dir, config, prepare, null);
  }

  /**
   * As {@link #reopened(Directory, IndexWriterConfig, Consumer)}, with the searchers made by
   * {@code searchers} (null: Lucene's plain ones).
   */
  static Optional<Reopened> reopened(Directory dir, IndexWriterConfig config,
      Consumer<IndexWriter> prepare, SearcherFactory searchers) {
    IndexWriter fresh = null;
    try {
      fresh = new IndexWriter(dir, config);
      prepare.accept(fresh);
      fresh.commit();
      return Optional.of(new Reopened(fresh, new SearcherManager(fresh, searchers)));
    } catch (IOException | RuntimeException e) {
      if (fresh != null) {
        try {
          fresh.rollback();
        } catch (IOException | RuntimeException ignored) {
          // the disk is still failing; the next try opens another
        }
      }
      return Optional.empty();
    }
  }

  /** A write on a writer, which may run a second time on another. */
  @FunctionalInterface
  public interface Write<T> {
    T apply(IndexWriter writer) throws IOException;
  }

  /**
   * Runs {@code write} on the {@code current} writer. A write that met a writer a failure closed
   * while the store swapped it (holding {@code swapLock}) runs again, whole, on the writer that
   * replaced it, so what it returns always comes from the writer that took it.
   */
  public static <T> T onCurrent(Supplier<IndexWriter> current, Object swapLock, Write<T> write)
      throws IOException {
    IndexWriter used = current.get();
    try {
      return write.apply(used);
    } catch (AlreadyClosedException e) {
      synchronized (swapLock) { // held by a swap under way, so this waits for it to end
        if (current.get() == used) {
          throw e;
        }
      }
      return write.apply(current.get());
    }
  }
}
