package dev.bound.index;

import java.time.Duration;
import java.util.List;

/**
 * Records several Bound instances share, read back in the order they were written, so each
 * instance can follow what the others changed ({@link ChangeFeed}). Implemented by the SolrCloud
 * store; the embedded store has no one to share with.
 */
public interface SharedLog {

  /**
   * Writes a record and makes it readable by {@link #since} before returning. With {@code once},
   * the record may be written only once: a second write of the same body is a no-op, of another
   * body a {@link SharedConflictException}.
   *
   * @throws StorageUnavailableException when the storage cannot be reached
   */
  void put(SharedRecord record, boolean once);

  /**
   * At most {@code limit} records with a stamp of at least {@code stamp}, oldest first.
   *
   * @throws StorageUnavailableException when the storage cannot be reached
   */
  List<SharedRecord> since(long stamp, int limit);

  /** The stamp {@code by} earlier than {@code stamp}, for reading again what came in late. */
  long rewind(long stamp, Duration by);

  /**
   * Takes in records of the log's own kinds that the change feed read, such as evictions from an
   * in-memory tier; records of other kinds are ignored.
   */
  default void follow(List<SharedRecord> records) {}
}
