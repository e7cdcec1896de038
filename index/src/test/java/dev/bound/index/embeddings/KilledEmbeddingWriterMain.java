package dev.bound.index.embeddings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a child JVM by the durability test: stores and commits one entry, stores a second
 * without committing, then halts the JVM so that nothing closes or commits.
 */
final class KilledEmbeddingWriterMain {
  static final int EXIT_CODE = 3;

  private KilledEmbeddingWriterMain() {}

  public static void main(String[] args) {
    EmbeddingStore store = EmbeddingStore.open(Path.of(args[0]), 1 << 20);
    store.putAll(Map.of(EmbeddingStoreTest.key(1), EmbeddingStoreTest.value("committed")));
    store.commit();
    store.putAll(Map.of(EmbeddingStoreTest.key(2), EmbeddingStoreTest.value("uncommitted")));
    if (store.getAll(java.util.List.of(EmbeddingStoreTest.key(2))).size() != 1) {
      throw new AssertionError("expected the uncommitted entry to be readable before the halt");
    }
    System.out.println("HALTING");
    System.out.flush();
    Runtime.getRuntime().halt(EXIT_CODE);
  }
}
