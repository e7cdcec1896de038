package dev.bound.index;

import java.nio.file.Path;

/**
 * Run in a child JVM by the durability test: commits one entry, adds (and makes searchable) a
 * second without committing, then halts the JVM so nothing gets a chance to close or commit.
 */
final class KilledWriterMain {

  static final StoreOptions OPTIONS = new StoreOptions("test-embedder", 4, 1 << 20);
  static final int EXIT_CODE = 3;

  private KilledWriterMain() {}

  public static void main(String[] args) {
    AnswerStore store = AnswerStore.open(Path.of(args[0]), OPTIONS);
    store.add(AnswerStoreTest.entry("committed", "s", "k1", AnswerStoreTest.unit(1, 0, 0, 0)));
    store.commit();
    store.add(AnswerStoreTest.entry("uncommitted", "s", "k2", AnswerStoreTest.unit(1, 1, 0, 0)));
    if (store.size() != 2) {
      throw new AssertionError("expected both entries to be searchable before the halt");
    }
    System.out.println("HALTING");
    System.out.flush();
    Runtime.getRuntime().halt(EXIT_CODE);
  }
}
