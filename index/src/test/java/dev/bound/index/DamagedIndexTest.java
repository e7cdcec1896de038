package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.embeddings.EmbeddingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index whose files were damaged between runs stopped the start with Lucene's own words
 * ("Format version is not supported ... only supports indexes created with release 9.0 and
 * later", "codec footer mismatch"), which said nothing of what to do.
 */
class DamagedIndexTest {
  private static final StoreOptions OPTIONS = new StoreOptions("test-embedder", 4, 1 << 20);

  @Test
  void open_garbledCommit_saysToMoveTheIndexAside(@TempDir Path dir) throws Exception {
    Path index = dir.resolve("index");
    try (AnswerStore s = AnswerStore.open(index, OPTIONS)) {
      s.add(AnswerStoreTest.entry("e1", "s", "k", null));
    }
    garble(latest(index, "segments_"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AnswerStore.open(index, OPTIONS));
    String m = e.getMessage();
    assertTrue(m.startsWith("The answer index at " + index.toAbsolutePath().normalize()
        + " cannot be read: it is damaged, or another version of Bound wrote it ("), m);
    assertTrue(m.endsWith("). Move it aside (for example to index.damaged) and start again: the "
        + "cache starts empty, and the rest of the data directory (documents, journal, ledger) is "
        + "kept"), m);
  }

  @Test
  void open_truncatedSegmentFile_saysToMoveTheIndexAside(@TempDir Path dir) throws Exception {
    Path index = dir.resolve("index");
    try (AnswerStore s = AnswerStore.open(index, OPTIONS)) {
      s.add(AnswerStoreTest.entry("e1", "s", "k", null));
    }
    Path segment; // the largest file of the one segment: its compound file or its stored fields
    try (Stream<Path> files = Files.list(index)) {
      segment = files.filter(f -> f.getFileName().toString().startsWith("_"))
          .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
    }
    byte[] b = Files.readAllBytes(segment);
    Files.write(segment, java.util.Arrays.copyOf(b, b.length / 2));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AnswerStore.open(index, OPTIONS));
    assertTrue(e.getMessage().contains("cannot be read: it is damaged"), e.getMessage());
    assertTrue(e.getMessage().contains("Move it aside"), e.getMessage());
  }

  @Test
  void open_garbledEmbeddingsStore_saysToMoveItAside(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("embeddings");
    EmbeddingStore.open(store, 0).close();
    garble(latest(store, "segments_"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> EmbeddingStore.open(store, 0));
    assertTrue(e.getMessage().startsWith("The embeddings store at "
        + store.toAbsolutePath().normalize() + " cannot be read: it is damaged"), e.getMessage());
    assertTrue(e.getMessage().contains("Move it aside (for example to embeddings.damaged)"),
        e.getMessage());
  }

  private static void garble(Path f) throws IOException {
    byte[] b = new byte[(int) Files.size(f)];
    new Random(7).nextBytes(b);
    Files.write(f, b);
    assertEquals(b.length, Files.size(f));
  }

  private static Path latest(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix))
          .max(java.util.Comparator.naturalOrder()).orElseThrow();
    }
  }
}
