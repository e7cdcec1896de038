package dev.bound.index;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AnswerStore} is configured: which embedding model produced its vectors, their
 * dimension, how many bytes of answers the in-memory hot tier may hold, and when the index merges
 * itself: once it has more than {@code maxSegments} segments and no entry was added or removed for
 * {@code compactAfterIdle} (0 segments turns that off).
 */
public record StoreOptions(String embeddingModel, int dimension, long hotTierMaxBytes,
    int maxSegments, Duration compactAfterIdle) {

  /** Largest vector dimension the store accepts. */
  static final int MAX_DIMENSION = 4096;

  /** Largest segment bound the store accepts. */
  static final int MAX_SEGMENTS = 1000;

  /** How long the index must go without a write before it is compacted, unless told otherwise. */
  public static final Duration DEFAULT_COMPACT_AFTER_IDLE = Duration.ofSeconds(30);

  /** Validates every component, naming the field and its allowed range in the message. */
  public StoreOptions {
    Objects.requireNonNull(embeddingModel, "embeddingModel must not be null");
    if (embeddingModel.isBlank()) {
      throw new IllegalArgumentException("embeddingModel must not be blank");
    }
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "dimension must be between 1 and " + MAX_DIMENSION + " but was " + dimension);
    }
    if (hotTierMaxBytes < 0) {
      throw new IllegalArgumentException("hotTierMaxBytes must be >= 0 but was " + hotTierMaxBytes);
    }
    if (maxSegments < 0 || maxSegments > MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "maxSegments must be between 0 and " + MAX_SEGMENTS + " but was " + maxSegments);
    }
    Objects.requireNonNull(compactAfterIdle, "compactAfterIdle must not be null");
    if (compactAfterIdle.isNegative()) {
      throw new IllegalArgumentException(
          "compactAfterIdle must not be negative but was " + compactAfterIdle);
    }
  }

  /** Options that never compact the index by themselves. */
  public StoreOptions(String embeddingModel, int dimension, long hotTierMaxBytes) {
    this(embeddingModel, dimension, hotTierMaxBytes, 0, DEFAULT_COMPACT_AFTER_IDLE);
  }
}
