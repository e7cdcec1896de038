package dev.bound.index;

/** A record that may be written only once was already written with another body. */
public final class SharedConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The message names the record. */
  public SharedConflictException(String message) {
    super(message);
  }
}
