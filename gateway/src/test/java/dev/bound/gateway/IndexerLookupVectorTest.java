package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.Entry;
import dev.bound.index.journal.AnswerJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer stored while the lookup beside its request is still embedding the prompt is handed
 * over at once, with the lookup's vector to come: the indexer's thread takes that vector when it
 * comes rather than embed the prompt a second time, and embeds it itself only when the lookup
 * fails or is late.
 */
class IndexerLookupVectorTest {
  @TempDir Path dir;

  private static Entry withoutVector(String id) {
    return new Entry(id, "scope", "key " + id, "prompt " + id, null, "model",
        "{\"answer\":\"" + id + "\"}", 1_000L);
  }

  @Test
  void theLookupsVector_isStoredWithTheAnswer_whenItComes_andThePromptIsNotEmbeddedAgain()
      throws Exception {
    IndexerStorageDownTest.Flaky store = new IndexerStorageDownTest.Flaky();
    IndexerOverloadTest.Counting model = new IndexerOverloadTest.Counting();
    try (Indexer indexer = new Indexer(store,
        AnswerJournal.open(dir.resolve("journal"), Duration.ofSeconds(1)), model)) {
      CompletableFuture<float[]> soon = new CompletableFuture<>();
      indexer.submit(withoutVector("ent_soon"), () -> { }, false, soon);
      // The indexer's thread waits for the lookup, not for a model of its own.
      Thread.sleep(200);
      assertFalse(store.stored.containsKey("ent_soon"), "stored before its vector came");
      soon.complete(new float[] {0, 1, 0});
      indexer.awaitIndexed();
      assertArrayEquals(new float[] {0, 1, 0}, store.stored.get("ent_soon").vector());
      assertEquals(0, model.embedded.get(), "the prompt was embedded again");

      // A lookup that failed, or ran past its time (which ends the future with null): the
      // indexer embeds the prompt itself, and the answer is stored all the same.
      indexer.submit(withoutVector("ent_failed"), () -> { }, false,
          CompletableFuture.failedFuture(new IllegalStateException("the lookup failed")));
      indexer.submit(withoutVector("ent_late"), () -> { }, false,
          new CompletableFuture<float[]>().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS));
      indexer.awaitIndexed();
      assertArrayEquals(new float[] {1, 0, 0}, store.stored.get("ent_failed").vector());
      assertArrayEquals(new float[] {1, 0, 0}, store.stored.get("ent_late").vector());
      assertEquals(2, model.embedded.get());
      assertEquals(3, store.stored.size(), store.stored.keySet().toString());
    }
  }
}
