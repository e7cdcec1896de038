package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vector of unit length, as embedding models give, is kept once, in the vector index, and read
 * back from there; any other vector is also stored as given. Either way an entry comes back with
 * exactly the vector it was added with: from every read path, across segments, after a merge and
 * after a reopen, and entries without a vector stay without.
 */
class AnswerStoreVectorStorageTest {
  private static final int DIM = 16;

  @TempDir Path dir;

  private static float[] gaussian(SplittableRandom r) {
    return AnswerStoreExactSearchTest.gaussian(r, DIM);
  }

  @Test
  void everyReadPath_returnsTheVectorAsAdded_storedOnlyWhenNotOfUnitLength() throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    Map<String, float[]> added = new HashMap<>();
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      for (int batch = 0; batch < 3; batch++) { // a segment per batch
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          String id = "e" + batch + "_" + i;
          float[] v = switch (i % 3) {
            case 0 -> AnswerStoreTest.unit(gaussian(r)); // normalised: kept once
            case 1 -> gaussian(r); // not normalised: stored as given as well
            default -> null; // shed: no vector at all
          };
          added.put(id, v);
          entries.add(new Entry(id, "a", "k" + id, "p " + id, v, "m", "{}", 1L));
        }
        s.addAll(entries);
      }
      assertTrue(s.segments() > 1, "the entries must span several segments");
      checkAll(s, added);
      s.compact(1);
      checkAll(s, added);
    }
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      checkAll(s, added);
    }
    // On disk, only the vectors not of unit length were stored a second time.
    try (FSDirectory fs = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(fs)) {
      int stored = 0;
      for (LeafReaderContext leaf : reader.leaves()) {
        StoredFields fields = leaf.reader().storedFields();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          String id = fields.document(doc).get(AnswerStore.F_ID);
          boolean copy = fields.document(doc).getBinaryValue(AnswerStore.F_VECTOR_STORED) != null;
          int kind = Integer.parseInt(id.substring(id.indexOf('_') + 1)) % 3;
          assertEquals(kind == 1, copy, id);
          stored += copy ? 1 : 0;
        }
      }
      assertEquals(30, stored);
    }
  }

  private static void checkAll(AnswerStore s, Map<String, float[]> added) {
    for (Map.Entry<String, float[]> a : added.entrySet()) {
      String id = a.getKey();
      float[] v = a.getValue();
      Entry byId = s.get(id).orElseThrow();
      Entry byKey = s.exact("a", "k" + id).orElseThrow();
      if (v == null) {
        assertNull(byId.vector(), id);
        assertNull(byKey.vector(), id);
        continue;
      }
      assertArrayEquals(v, byId.vector(), id);
      assertArrayEquals(v, byKey.vector(), id);
      Candidate self = s.nearest("a", v, 1).get(0);
      assertEquals(id, self.entry().id());
      assertArrayEquals(v, self.entry().vector(), id);
      assertEquals(1f, self.similarity(), 1e-5f);
    }
    List<Entry> browsed = s.browse(null, null, null, 0, 1_000, 1_000);
    assertEquals(added.size(), browsed.size());
    for (Entry e : browsed) {
      float[] v = added.get(e.id());
      if (v == null) {
        assertNull(e.vector(), e.id());
      } else {
        assertNotNull(e.vector(), e.id());
        assertArrayEquals(v, e.vector(), e.id());
      }
    }
  }
}
