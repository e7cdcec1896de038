package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.config.BoundConfig;
import dev.bound.index.journal.AnswerJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prompt looked up again is not embedded again, unless cache.prompt-vectors is 0. */
class PromptVectorsTest {
  @TempDir Path dir;

  private int embeddingsOfThreeLookups(String promptVectors) {
    BoundConfig cfg = BoundConfig.resolve(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false", "cache.prompt-vectors", promptVectors), Map.of(), null);
    IndexerOverloadTest.Counting model = new IndexerOverloadTest.Counting();
    Scope scope = new Scope("scope", "tenant");
    Matching matching = new Matching(cfg.cache(), null, null, null, new Random(1), null);
    try (AnswerCache cache = new AnswerCache(model, new IndexerStorageDownTest.Flaky(),
            AnswerJournal.open(dir.resolve(promptVectors), Duration.ZERO), matching,
            Clock.systemUTC())) { // closes the matching too
      for (String prompt : new String[] {"How do I boil an egg?", "How do I boil an egg?",
          "How do I poach an egg?"}) {
        assertArrayEquals(new float[] {1, 0, 0}, cache.probe(scope, prompt).vector());
      }
    }
    return model.embedded.get();
  }

  @Test
  void aPromptLookedUpAgain_isNotEmbeddedAgain() {
    assertEquals(2, embeddingsOfThreeLookups("8MiB"));
  }

  @Test
  void withNoRoom_everyLookupEmbeds() {
    assertEquals(3, embeddingsOfThreeLookups("0"));
  }
}
