package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.AnswerStore;
import dev.bound.index.Entry;
import dev.bound.index.StoreOptions;
import dev.bound.index.journal.AnswerJournal;
import dev.bound.models.Embedder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the semantic tier sheds requests, the indexer stores their answers for exact hits at once
 * instead of embedding them on the cores the requests need, and gives them their vector once the
 * shedding has stopped for a second; the backlog does not grow meanwhile, and an answer removed or
 * replaced in between is left as it is.
 */
class IndexerOverloadTest {
  @TempDir Path dir;

  /** Counts the prompts it embeds; every vector is the same unit vector. */
  static class Counting implements Embedder {
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

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Counting embedder = new Counting();

  private static Entry withoutVector(String id, String key, long created) {
    return new Entry(id, "scope", key, "prompt " + key, null, "model",
        "{\"answer\":\"" + id + "\"}", created);
  }

  private Indexer indexer(dev.bound.index.AnswerBackend store) {
    return indexer(store, embedder);
  }

  private Indexer indexer(dev.bound.index.AnswerBackend store, Embedder with) {
    return new Indexer(store, AnswerJournal.open(dir.resolve("journal"), Duration.ZERO), with,
        now::get);
  }

  /** Sheds, then submits the answers of {@code n} shed requests and waits until they are stored. */
  private static void shedAndStore(Indexer indexer, int n) {
    indexer.shed();
    for (int i = 0; i < n; i++) {
      indexer.submit(withoutVector("ent_" + i, "key " + i, 1_000L), () -> { }, true);
    }
    indexer.awaitIndexed();
  }

  private void passCalm() {
    now.addAndGet(Indexer.CALM.toNanos() + 1);
  }

  @Test
  void shedAnswers_whileShedding_areStoredAtOnceWithoutEmbedding_thenGetTheirVectorWhenCalm() {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    try (Indexer indexer = indexer(store)) {
      shedAndStore(indexer, 10);
      assertEquals(0, embedder.embedded.get(), "nothing embedded while the tier sheds");
      assertEquals(0, indexer.backlog());
      assertEquals(10, indexer.deferredTotal());
      assertEquals(10, indexer.deferredWaiting());
      assertNull(store.stored.get("ent_3").vector());
      assertEquals("ent_3", store.exact("scope", "key 3").orElseThrow().id(),
          "an exact hit at once");

      indexer.later(indexer::backfill); // still shedding: does nothing
      indexer.awaitIndexed();
      assertEquals(0, embedder.embedded.get());

      passCalm();
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertEquals(10, embedder.embedded.get());
      assertEquals(0, indexer.deferredWaiting());
      assertEquals(10, indexer.backfilled());
      assertArrayEquals(new float[] {1, 0, 0}, store.stored.get("ent_3").vector());
      assertEquals("{\"answer\":\"ent_3\"}", store.stored.get("ent_3").response());
    }
  }

  @Test
  void backfillTurns_arePacedToAShareOfOneCore() {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    long perEmbed = Duration.ofMillis(10).toNanos();
    Counting slow = new Counting() {
      @Override
      public float[] embed(String text) {
        now.addAndGet(perEmbed); // each embedding takes 10 ms on the indexer's clock
        return super.embed(text);
      }
    };
    try (Indexer indexer = indexer(store, slow)) {
      shedAndStore(indexer, 40);
      passCalm();
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertEquals(32, slow.embedded.get(), "one turn");
      assertEquals(8, indexer.deferredWaiting());
      // The turn took 320 ms, so the next may start 320 * (1 / share - 1) ms after it ended.
      long pause = (long) (32 * perEmbed * (1 / Indexer.BACKFILL_SHARE - 1));
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      now.addAndGet(pause - 1);
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertEquals(32, slow.embedded.get(), "no turn before the pause is over");
      now.addAndGet(1);
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertEquals(40, slow.embedded.get());
      assertEquals(0, indexer.deferredWaiting());
      assertEquals(40, indexer.backfilled());
    }
  }

  @Test
  void answersBeingEmbeddedByABackfillTurn_stillCountAsWaitingUntilStored() throws Exception {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    CountDownLatch embedding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Counting held = new Counting() {
      @Override
      public float[] embed(String text) {
        embedding.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.embed(text);
      }
    };
    try (Indexer indexer = indexer(store, held)) {
      shedAndStore(indexer, 3);
      passCalm();
      indexer.later(indexer::backfill);
      assertTrue(embedding.await(20, TimeUnit.SECONDS), "the turn started embedding");
      // The turn holds the first (taken off the list, being embedded); two are still on the list.
      assertEquals(3, indexer.deferredWaiting(), "answers in the running turn still wait");
      release.countDown();
      indexer.awaitIndexed();
      assertEquals(0, indexer.deferredWaiting());
      assertEquals(3, indexer.backfilled());
      assertNotNull(store.stored.get("ent_2").vector());
    } finally {
      release.countDown();
    }
  }

  @Test
  void answersStillWaitingAtAStop_getTheirVectorAfterTheNextStart() throws InterruptedException {
    Path index = dir.resolve("index");
    try (AnswerStore store = AnswerStore.open(index, new StoreOptions("counting", 3, 0))) {
      try (Indexer indexer = indexer(store)) {
        shedAndStore(indexer, 5);
        assertEquals(5, indexer.deferredWaiting());
      } // stopped while they wait: they are stored, without a vector
      assertNull(store.get("ent_2").orElseThrow().vector());
    }
    assertEquals(0, embedder.embedded.get());
    try (AnswerStore store = AnswerStore.open(index, new StoreOptions("counting", 3, 0));
        Indexer indexer = indexer(store)) {
      // Nothing sheds after this start; the indexer's own one-second check starts the work.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (indexer.backfilled() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      indexer.awaitIndexed();
      assertEquals(5, indexer.backfilled(), "the rebuilt list was worked off");
      assertEquals(0, indexer.deferredWaiting());
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(new float[] {1, 0, 0}, store.get("ent_" + i).orElseThrow().vector());
      }
      assertEquals(List.of(), store.withoutVector(10));
    }
  }

  @Test
  void answersNotShed_areEmbeddedAsBefore_evenWhileTheTierSheds() {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    try (Indexer indexer = indexer(store)) {
      indexer.shed();
      indexer.submit(withoutVector("ent_shed", "shed", 1_000L), () -> { }, true);
      indexer.submit(withoutVector("ent_import", "import", 1_000L), () -> { });
      indexer.awaitIndexed();
      assertNull(store.stored.get("ent_shed").vector());
      assertNotNull(store.stored.get("ent_import").vector());
      assertEquals(1, embedder.embedded.get());
      assertEquals(1, indexer.deferredTotal());
    }
  }

  @Test
  void onceTheSheddingStops_theIndexerGivesDeferredAnswersTheirVectorsUnasked()
      throws InterruptedException {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    try (Indexer indexer = indexer(store)) {
      indexer.shed();
      indexer.submit(withoutVector("ent_a", "a", 1_000L), () -> { }, true);
      indexer.awaitIndexed();
      assertTrue(indexer.shedding());
      passCalm();
      assertFalse(indexer.shedding());
      // The indexer looks every second; no call here starts the work.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (indexer.deferredWaiting() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      indexer.awaitIndexed();
      assertEquals(0, indexer.deferredWaiting());
      assertNotNull(store.stored.get("ent_a").vector());
    }
  }

  @Test
  void deferredAnswers_removedOrReplacedMeanwhile_areNotStoredAgain() {
    try (AnswerStore store = AnswerStore.open(dir.resolve("index"),
        new StoreOptions("counting", 3, 0));
        Indexer indexer = indexer(store)) {
      indexer.shed();
      indexer.submit(withoutVector("ent_removed", "removed", 1_000L), () -> { }, true);
      indexer.submit(withoutVector("ent_old", "replaced", 1_000L), () -> { }, true);
      indexer.submit(withoutVector("ent_kept", "kept", 1_000L), () -> { }, true);
      indexer.awaitIndexed();
      assertEquals(3, indexer.deferredWaiting());

      indexer.remove(store.get("ent_removed").orElseThrow());
      assertEquals(2, indexer.deferredWaiting(), "a removed answer no longer waits");
      // A newer answer for the same prompt, with its vector, replaces the deferred one.
      indexer.submit(new Entry("ent_new", "scope", "replaced", "prompt replaced",
          new float[] {0, 1, 0}, "model", "{\"answer\":\"new\"}", 2_000L), () -> { });
      indexer.awaitIndexed();

      passCalm();
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertTrue(store.get("ent_removed").isEmpty(), "a removed answer stays removed");
      assertTrue(store.get("ent_old").isEmpty());
      Entry current = store.exact("scope", "replaced").orElseThrow();
      assertEquals("ent_new", current.id(), "the newer answer stays");
      assertArrayEquals(new float[] {0, 1, 0}, current.vector());
      assertNotNull(store.get("ent_kept").orElseThrow().vector());
      assertEquals(1, indexer.backfilled());
      assertEquals(java.util.Set.of("ent_kept", "ent_new"),
          store.nearest("scope", new float[] {1, 0, 0}, 5).stream()
              .map(c -> c.entry().id()).collect(java.util.stream.Collectors.toSet()),
          "the vector search finds the kept answer and the newer one, nothing removed");
    }
  }

  @Test
  void answerOfARequestShedLongAgo_isEmbeddedAtOnce() {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    try (Indexer indexer = indexer(store)) {
      indexer.shed();
      passCalm(); // a slow upstream: its answer comes after the tier has calmed down
      indexer.submit(withoutVector("ent_slow", "slow", 1_000L), () -> { }, true);
      indexer.awaitIndexed();
      assertNotNull(store.stored.get("ent_slow").vector());
      assertEquals(0, indexer.deferredTotal());
    }
  }

  @Test
  void whileTheStorageIsDown_deferredAnswersKeepWaiting_andGetTheirVectorWhenItIsBack() {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    try (Indexer indexer = indexer(store)) {
      shedAndStore(indexer, 3);
      passCalm();
      store.down = true;
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertEquals(3, indexer.deferredWaiting(), "none lost while the storage is down");
      assertEquals(0, indexer.backfilled());

      store.down = false;
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertEquals(0, indexer.deferredWaiting());
      assertEquals(3, indexer.backfilled());
      assertNotNull(store.stored.get("ent_0").vector());
    }
  }

  @Test
  void anAnswerRemovedWhileItIsEmbedded_staysRemoved() {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    java.util.concurrent.atomic.AtomicReference<Indexer> ref =
        new java.util.concurrent.atomic.AtomicReference<>();
    Embedder removing = new Counting() {
      @Override
      public float[] embed(String text) {
        Entry e = store.stored.get("ent_gone");
        if (e != null) {
          ref.get().remove(e); // an admin's delete, between the read and the store
        }
        return super.embed(text);
      }
    };
    try (Indexer indexer = indexer(store, removing)) {
      ref.set(indexer);
      indexer.shed();
      indexer.submit(withoutVector("ent_gone", "gone", 1_000L), () -> { }, true);
      indexer.submit(withoutVector("ent_kept", "kept", 1_000L), () -> { }, true);
      indexer.awaitIndexed();
      passCalm();
      indexer.later(indexer::backfill);
      indexer.awaitIndexed();
      assertNull(store.stored.get("ent_gone"), "not brought back by its vector");
      assertNotNull(store.stored.get("ent_kept").vector());
      assertEquals(1, indexer.backfilled());
    }
  }
}
