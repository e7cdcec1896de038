package dev.bound.index.docs;

/** Where a document version stands: only the latest version of a document can be ACTIVE. */
public enum DocStatus {
  /** The latest version, served to matching requests. */
  ACTIVE,
  /** An older version, replaced by a newer one; kept for the record, never served. */
  SUPERSEDED,
  /** The latest version of a withdrawn document; kept for the record, never served. */
  REVOKED
}
