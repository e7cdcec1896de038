package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.Entry;
import dev.bound.index.journal.AnswerJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  /** A counting store taking up to {@code limit} a call, which holds its first until released. */
  static final class HeldStore extends IndexerStorageDownTest.Flaky {
    final AtomicInteger calls = new AtomicInteger();
    final CountDownLatch first = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final int limit;

    HeldStore(int limit) {
      this.limit = limit;
    }

    @Override
    public int addLimit() {
      return limit;
    }

    @Override
    public void addAll(List<Entry> entries) {
      assertTrue(entries.size() <= limit, entries.size() + " entries in one call, limit " + limit);
      if (calls.incrementAndGet() == 1) {
        first.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.addAll(entries);
    }
  }

  /** Stores 1 answer, holds, then 600 that queued meanwhile; returns the store calls. */
  private int storeCallsFor600Queued(int limit, String journal) throws Exception {
    HeldStore store = new HeldStore(limit);
    try (Indexer indexer = new Indexer(store,
        AnswerJournal.open(dir.resolve(journal), Duration.ofSeconds(1)),
        new IndexerOverloadTest.Counting())) {
      indexer.submit(IndexerStorageDownTest.entry("ent_first"), () -> { });
      assertTrue(store.first.await(30, TimeUnit.SECONDS));
      for (int i = 0; i < 600; i++) {
        indexer.submit(IndexerStorageDownTest.entry("ent_" + i), () -> { });
      }
      store.release.countDown();
      indexer.awaitIndexed();
      assertEquals(601, store.stored.size());
      assertEquals(0, indexer.backlog());
      return store.calls.get();
    }
  }

  /**
   * Every batch refreshes the embedded store's searcher, so a drain goes to the store in as few
   * calls as the store's limit allows: one for the 600 answers where it takes 4,096, three where
   * it takes 256 (a Solr request).
   */
  @Test
  void aDrain_isStoredInBatchesOfTheStoresOwnLimit() throws Exception {
    assertEquals(1 + 1, storeCallsFor600Queued(4_096, "journal-large"));
    assertEquals(1 + 3, storeCallsFor600Queued(256, "journal-small"));
  }

  /** Drains wait a second apart only while answers come faster than 500 a second. */
  @Test
  void gap_growsToASecondUnderAFloodOnly() {
    long tenth = Duration.ofMillis(100).toNanos();
    assertEquals(Indexer.FLOOD_GAP, Indexer.gapAfter(51, tenth), "510 a second");
    assertEquals(Indexer.FLOOD_GAP, Indexer.gapAfter(1_300, Duration.ofSeconds(1).toNanos()));
    assertEquals(Indexer.BATCH_GAP, Indexer.gapAfter(50, tenth), "500 a second is no flood");
    assertEquals(Indexer.BATCH_GAP, Indexer.gapAfter(1, tenth));
    assertEquals(Indexer.BATCH_GAP, Indexer.gapAfter(400, Duration.ofSeconds(1).toNanos()));
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
