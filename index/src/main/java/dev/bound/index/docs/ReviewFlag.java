package dev.bound.index.docs;

/**
 * A request that an admin look at one version of a document again, such as "upstream model changed
 * from X to Y"; an edit of the document clears it.
 */
public record ReviewFlag(int version, String reason, long atMillis) {

  /** Rejects a version below 1, a blank reason and a negative time. */
  public ReviewFlag {
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1 but was " + version);
    }
    Checks.nonBlank(reason, "reason", 1000);
    Checks.millis(atMillis, "atMillis");
  }
}
