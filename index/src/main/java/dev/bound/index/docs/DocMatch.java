package dev.bound.index.docs;

import java.util.Objects;

/**
 * A document chosen to answer a request: the document, which of its canonical questions matched,
 * and the cosine similarity (1.0 for a match of the normalized text).
 */
public record DocMatch(Document document, String question, double similarity) {

  /** Rejects missing parts and a similarity outside [-1, 1]. */
  public DocMatch {
    Objects.requireNonNull(document, "document must not be null");
    Objects.requireNonNull(question, "question must not be null");
    if (!(similarity >= -1 && similarity <= 1)) {
      throw new IllegalArgumentException(
          "similarity must be between -1 and 1 but was " + similarity);
    }
  }
}
