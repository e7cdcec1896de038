package dev.bound.index.docs;

import java.util.Objects;

/** A document operation that was refused; the reason says which kind, for mapping to HTTP. */
public final class DocumentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why an operation was refused. */
  public enum Reason {
    /** No document has the given id (404). */
    NOT_FOUND,
    /** The document's state forbids it: revoked, or not at the expected version (409). */
    CONFLICT,
    /** An import failed a check; nothing was imported (400 or 422). */
    REJECTED
  }

  private final Reason reason;

  DocumentException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  /** Which kind of refusal this is. */
  public Reason reason() {
    return reason;
  }
}
