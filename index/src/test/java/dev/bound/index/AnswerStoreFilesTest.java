package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store searched through 8-bit vectors reads its 32-bit vectors with positional reads instead of
 * mapping them, and every other file, and every file of a store searched through 32-bit vectors,
 * mapped; the entries read back are the same either way.
 */
class AnswerStoreFilesTest {
  private static final int DIM = 16;
  private static final StoreOptions OPTIONS = new StoreOptions("m", DIM, 0);

  @TempDir Path dir;

  /** Whether Lucene reads {@code name} of {@code d} from a memory mapping. */
  private static boolean mapped(Directory d, String name) throws IOException {
    try (IndexOutput out = d.createOutput(name, IOContext.DEFAULT)) {
      out.writeLong(42);
    }
    try (IndexInput in = d.openInput(name, IOContext.DEFAULT)) {
      assertEquals(42, in.readLong());
      // Lucene's mapped inputs are MemorySegmentIndexInput; the positional one NIOFSIndexInput.
      return in.getClass().getName().contains("MemorySegment");
    }
  }

  @Test
  void int8Store_readsOnlyTheRawVectorsWithoutMapping() throws IOException {
    try (Directory d = AnswerStore.files(dir, StoreCodec.Vectors.INT8)) {
      assertFalse(mapped(d, "_0_Lucene99HnswVectorsFormat_0." + AnswerStore.RAW_VECTORS));
      for (String other : List.of("veq", "vex", "vemf", "fdt", "tim", "cfs", "dvd")) {
        assertTrue(mapped(d, "_0." + other), other);
      }
      // One folder, listed once: each view lists only the files of its own extensions.
      String[] all = d.listAll();
      assertEquals(8, all.length, String.join(", ", all));
    }
  }

  @Test
  void float32Store_mapsEveryFile() throws IOException {
    try (Directory d = AnswerStore.files(dir, StoreCodec.Vectors.FLOAT32)) {
      for (String ext : List.of(AnswerStore.RAW_VECTORS, "veq", "fdt")) {
        assertTrue(mapped(d, "_0." + ext), ext);
      }
    }
  }

  @Test
  void int8Store_readsBackItsVectors_afterAMergeAndAReopen() throws IOException {
    List<float[]> added = mergedStore(11);
    try (AnswerStore s = AnswerStore.open(dir, OPTIONS, StoreCodec.Vectors.INT8)) {
      check(s, added);
    }
  }

  /**
   * A thread whose interrupt flag is set reads entries from an 8-bit store like any other, keeps
   * its flag, and leaves the 32-bit vectors readable for the next: the JDK closes a file channel
   * an interrupted thread reads from, which would fail every later read of the segment.
   */
  @Test
  void anInterruptedThread_readsVectors_andLeavesThemReadable() throws IOException {
    List<float[]> added = mergedStore(13);
    // Reopened, the merged segment's vectors are read from their file on disk.
    try (AnswerStore s = AnswerStore.open(dir, OPTIONS, StoreCodec.Vectors.INT8)) {
      Thread.currentThread().interrupt();
      try {
        assertArrayEquals(added.get(3), s.exact("a", "k3").orElseThrow().vector());
        assertArrayEquals(added.get(4), s.nearest("a", added.get(4), 1).get(0).entry().vector());
        assertTrue(Thread.currentThread().isInterrupted(), "the caller's flag is kept");
      } finally {
        Thread.interrupted();
      }
      check(s, added);
    }
  }

  /**
   * Writes an 8-bit store of three segments of unit vectors in scope "a", merges them into one,
   * checks every vector reads back, and closes it; returns the vectors, entry i's at index i.
   */
  private List<float[]> mergedStore(long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    List<float[]> added = new ArrayList<>();
    try (AnswerStore s = AnswerStore.open(dir, OPTIONS, StoreCodec.Vectors.INT8)) {
      for (int batch = 0; batch < 3; batch++) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          float[] v = AnswerStoreTest.unit(AnswerStoreExactSearchTest.gaussian(r, DIM));
          added.add(v);
          int n = added.size() - 1;
          entries.add(new Entry("e" + n, "a", "k" + n, "p " + n, v, "m", "{}", 1L));
        }
        s.addAll(entries);
      }
      s.compact(1);
      check(s, added);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.anyMatch(f -> f.toString().endsWith("." + AnswerStore.RAW_VECTORS)),
          "the merged segment keeps its 32-bit vectors in a file of their own");
    }
    return added;
  }

  private static void check(AnswerStore s, List<float[]> added) {
    for (int i = 0; i < added.size(); i++) {
      float[] v = added.get(i);
      List<Candidate> near = s.nearest("a", v, 1);
      assertEquals("e" + i, near.get(0).entry().id());
      assertArrayEquals(v, near.get(0).entry().vector());
    }
  }
}
