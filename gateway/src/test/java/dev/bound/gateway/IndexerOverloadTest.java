package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.bound.index.Entry;
import dev.bound.index.journal.AnswerJournal;
import dev.bound.models.Embedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When more answers wait for the index than it can embed, the indexer stores the ones without a
 * vector for exact hits only, and embeds again once it has caught up.
 */
class IndexerOverloadTest {
  @TempDir Path dir;

  /** Counts the prompts it embeds; every vector is the same. */
  static final class Counting implements Embedder {
    final AtomicInteger embedded = new AtomicInteger();

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public float[] embed(String text) {
      embedded.incrementAndGet();
      return new float[] {1, 0, 0};
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      return texts.stream().map(this::embed).toList();
    }

    @Override
    public void close() {}
  }

  static Entry withoutVector(String id) {
    return new Entry(id, "scope", "key " + id, "prompt " + id, null, "model",
        "{\"answer\":\"" + id + "\"}", 1_000L);
  }

  @Test
  void backlogAboveTheBound_storesExactOnly_thenEmbedsAgainOnceCaughtUp() throws Exception {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    Counting embedder = new Counting();
    CountDownLatch hold = new CountDownLatch(1);
    try (Indexer indexer = new Indexer(store, AnswerJournal.open(dir, Duration.ZERO), embedder,
        2)) {
      indexer.later(() -> {
        try {
          hold.await(30, TimeUnit.SECONDS); // the indexer falls behind
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int i = 0; i < 10; i++) {
        indexer.submit(withoutVector("ent_" + i), () -> { });
      }
      assertEquals(10, indexer.backlog());
      hold.countDown();
      indexer.awaitIndexed();
      assertEquals(0, embedder.embedded.get(), "ten waiting, more than two: none embedded");
      assertEquals(10, indexer.exactOnly());
      assertEquals(10, store.stored.size());
      assertNull(store.stored.get("ent_3").vector());
      assertEquals("ent_3", store.exact("scope", "key ent_3").orElseThrow().id());

      indexer.submit(withoutVector("ent_late"), () -> { });
      indexer.awaitIndexed();
      assertEquals(1, embedder.embedded.get(), "caught up: embedded again");
      assertNotNull(store.stored.get("ent_late").vector());
      assertEquals(10, indexer.exactOnly());
    }
  }
}
