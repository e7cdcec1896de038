package dev.bound.index;

import java.util.Optional;
import org.apache.lucene.index.IndexWriter;

/** What closed a Lucene writer for good (a full disk, its lock file removed), in words. */
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
}
