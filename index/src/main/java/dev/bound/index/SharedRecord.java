package dev.bound.index;

import java.util.Objects;

/**
 * One record of the state several Bound instances share beside the answers: a version of a bound
 * document, a public key, a model version. The storage orders records by {@code stamp}, which it
 * assigns itself when the record is written (0 in a record not yet written).
 *
 * @param id unique within the shared storage, such as {@code doc/doc_x/v3}
 * @param kind what the body holds, so a reader can skip kinds it does not know
 * @param body the record's content, often JSON
 * @param stamp the storage's order of writes; later writes have larger stamps
 */
public record SharedRecord(String id, String kind, String body, long stamp) {

  /** Checks that id, kind and body are present and id and kind are not blank. */
  public SharedRecord {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(body, "body must not be null");
    if (id.isBlank() || kind.isBlank()) {
      throw new IllegalArgumentException("id and kind must not be blank");
    }
  }

  /** A record to write; the storage stamps it. */
  public static SharedRecord of(String id, String kind, String body) {
    return new SharedRecord(id, kind, body, 0);
  }
}
