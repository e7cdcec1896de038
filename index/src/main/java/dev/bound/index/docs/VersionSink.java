package dev.bound.index.docs;

import java.security.PublicKey;

/**
 * Where a {@link DocumentStore} sends each version before it writes the version to its own
 * files, so that other instances learn of it; a failure refuses the write.
 */
@FunctionalInterface
public interface VersionSink {

  /**
   * Keeps {@code version} and the key that verifies it.
   *
   * @throws DocumentException CONFLICT when another instance wrote this version first
   */
  void put(Document version, PublicKey key);
}
