package dev.bound.index;

import java.util.List;
import java.util.Optional;

/**
 * Where answers are kept: the embedded Lucene index ({@link AnswerStore}, one instance) or a
 * SolrCloud collection that several instances share ({@link SolrAnswerStore}). Both keep
 * scopes strictly apart. A backend that cannot reach its storage throws {@link
 * StorageUnavailableException}, so the caller can serve from the upstream alone meanwhile.
 */
public interface AnswerBackend extends AutoCloseable {

  /** The entry stored for exactly this scope and exact key, if any. */
  Optional<Entry> exact(String scope, String exactKey);

  /**
   * Up to {@code k} entries of the same scope whose vectors are nearest to {@code vector}, best
   * first, with their exact cosine similarity; entries without a vector are never returned.
   */
  List<Candidate> nearest(String scope, float[] vector, int k);

  /**
   * As {@link #nearest(String, float[], int)}, keeping only the candidates whose cosine is at
   * least {@code floor}: the same list as filtering that method's result, but a backend may skip
   * reading the entries its index already scores clearly below the floor.
   */
  default List<Candidate> nearest(String scope, float[] vector, int k, double floor) {
    return nearest(scope, vector, k).stream().filter(c -> c.similarity() >= floor).toList();
  }

  /** Stores the entry, replacing any earlier one with the same scope and exact key. */
  default void add(Entry e) {
    addAll(List.of(e));
  }

  /** Stores all entries as {@link #add} does; nothing is written if any entry is invalid. */
  void addAll(List<Entry> entries);

  /**
   * The most entries one {@link #addAll} should be given. By default 256, which bounds one
   * request to a store across the network.
   */
  default int addLimit() {
    return 256;
  }

  /** Removes this entry, found by its id, if it is still stored. */
  void remove(Entry e);

  /** The entry with this id, if any. */
  Optional<Entry> get(String id);

  /**
   * Entries newest first, for browsing: those of {@code model} and {@code tenant} when given (null
   * for any), created at or after {@code sinceMillis}, whose prompt contains {@code text}
   * (case-insensitive; null for any); at most {@code limit}, found among the newest {@code
   * scanLimit}.
   */
  List<Entry> browse(String text, String model, String tenant, long sinceMillis, int limit,
      int scanLimit);

  /**
   * The ids of at most {@code limit} entries stored without a vector (exact hits only), newest
   * first; empty where the backend cannot find them without reading every entry.
   */
  default List<String> withoutVector(int limit) {
    return List.of();
  }

  /** The number of live entries. */
  long size();

  /** Index segments searched on their own, or -1 where the backend does not say. */
  int segments();

  /** Merges the index down to at most {@code maxSegments} segments; slow, off the request path. */
  void compact(int maxSegments);

  /** Makes every entry added so far durable. */
  void commit();

  /**
   * Why this store can no longer take answers until it is opened again (a full disk or a data
   * directory removed under it closed its writer), or empty while it can; see {@link #reopen}.
   */
  default Optional<String> writeFailure() {
    return Optional.empty();
  }

  /**
   * Tries to take answers again after a {@link #writeFailure}; true when it can. Answers added
   * but not committed before the failure must then be added again.
   */
  default boolean reopen() {
    return writeFailure().isEmpty();
  }

  @Override
  void close();
}
