package dev.bound.index.docs;

/**
 * Where a document's answer came from, each part null when unknown: the cache entry it was promoted
 * from, the upstream model that wrote it, and that call's token usage.
 */
public record Provenance(
    String sourceEntryId, String upstreamModel, Long promptTokens, Long completionTokens) {

  /** Rejects blank names and token counts outside 0 to 2^53-1. */
  public Provenance {
    if (sourceEntryId != null) {
      Checks.nonBlank(sourceEntryId, "provenance.sourceEntryId", 256);
    }
    if (upstreamModel != null) {
      Checks.nonBlank(upstreamModel, "provenance.upstreamModel", 256);
    }
    tokens(promptTokens, "provenance.promptTokens");
    tokens(completionTokens, "provenance.completionTokens");
  }

  private static void tokens(Long n, String name) {
    if (n != null && (n < 0 || n > Checks.MAX_SAFE_INTEGER)) {
      throw new IllegalArgumentException(
          name + " must be between 0 and " + Checks.MAX_SAFE_INTEGER + " but was " + n);
    }
  }
}
