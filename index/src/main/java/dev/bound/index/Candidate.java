package dev.bound.index;

import java.util.Objects;

/** A semantic match: a stored entry and its cosine similarity to the query vector, in [-1, 1]. */
public record Candidate(Entry entry, float similarity) {

  /** Rejects a missing entry or a similarity outside [-1, 1]. */
  public Candidate {
    Objects.requireNonNull(entry, "entry must not be null");
    if (!(similarity >= -1f && similarity <= 1f)) {
      throw new IllegalArgumentException(
          "similarity must be between -1 and 1 but was " + similarity);
    }
  }
}
