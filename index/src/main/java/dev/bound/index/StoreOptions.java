package dev.bound.index;

import java.util.Objects;

/**
 * How an {@link AnswerStore} is configured: which embedding model produced its vectors, their
 * dimension, and how many bytes of answers the in-memory hot tier may hold.
 */
public record StoreOptions(String embeddingModel, int dimension, long hotTierMaxBytes) {

  /** Largest vector dimension the store accepts. */
  static final int MAX_DIMENSION = 4096;

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
  }
}
