package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.Entry;
import dev.bound.index.journal.AnswerJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers arriving faster than {@link Indexer#BATCH_GAP} apart are stored together: every batch
 * refreshes the searcher and writes a segment, so one store call per answer under a flood of
 * misses would spend the indexer's time on refreshes and merges.
 */
class IndexerBatchingTest {
  @TempDir Path dir;

  /** Counts the store calls of an in-memory store. */
  static final class CountingStore extends IndexerStorageDownTest.Flaky {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void addAll(List<Entry> entries) {
      calls.incrementAndGet();
      super.addAll(entries);
    }
  }

  @Test
  void answersArrivingTogether_areStoredInFewBatches() {
    CountingStore store = new CountingStore();
    int n = 300;
    try (Indexer indexer = new Indexer(store,
        AnswerJournal.open(dir.resolve("journal"), Duration.ofSeconds(1)),
        new IndexerOverloadTest.Counting())) {
      AtomicInteger searchable = new AtomicInteger();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        indexer.submit(IndexerStorageDownTest.entry("ent_" + i), searchable::incrementAndGet);
      }
      long submitting = System.nanoTime() - t0;
      indexer.awaitIndexed();
      assertEquals(n, store.stored.size());
      assertEquals(n, searchable.get(), "every answer reported searchable once");
      assertEquals(0, indexer.backlog());
      // One batch at once, then at most one per gap while the answers kept coming, and the rest.
      long gaps = submitting / Indexer.BATCH_GAP.toNanos();
      assertTrue(store.calls.get() <= gaps + 3, store.calls.get() + " store calls for " + n
          + " answers submitted in " + submitting / 1_000_000 + " ms");
    }
  }
}
