package dev.bound.index;

/**
 * The answer storage could not be reached (every Solr node down, or too slow); the request can
 * still be answered by the upstream, and the answer is kept in the journal until storage returns.
 */
public final class StorageUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
