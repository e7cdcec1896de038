package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import org.apache.lucene.codecs.perfield.PerFieldPostingsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantized vector format: exact similarities, and stores written by the float format; the
 * key fields' Bloom filter, and stores written without it.
 */
class StoreCodecTest {
  private static final StoreOptions OPTIONS = new StoreOptions("m", 384, 0);

  private static Entry entry(int i, float[] v) {
    return new Entry("e" + i, "s", "p" + i, "p" + i, v, "m", "{}", 1L, "t");
  }

  private static List<float[]> vectors(int n) {
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(AnswerStoreBenchmark.vector(i));
    }
    return out;
  }

  /** Cosine of two vectors of any length; shared with the other store tests. */
  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void nearest_quantized_reportsTheExactCosine_bestFirst() {
    List<float[]> vs = vectors(300);
    float[] query = AnswerStoreBenchmark.randomUnit(new SplittableRandom(5));
    for (int d = 0; d < query.length; d++) {
      query[d] = 0.3f * query[d] + vs.get(17)[d];
    }
    try (AnswerStore store = AnswerStore.open(tmp.resolve("q"), OPTIONS,
        StoreCodec.Vectors.INT8)) {
      List<Entry> all = new ArrayList<>();
      for (int i = 0; i < vs.size(); i++) {
        all.add(entry(i, vs.get(i)));
      }
      store.addAll(all);

      List<Candidate> got = store.nearest("s", query, 4);

      assertEquals("e17", got.get(0).entry().id());
      for (int i = 0; i < got.size(); i++) {
        int n = Integer.parseInt(got.get(i).entry().id().substring(1));
        assertEquals(cosine(query, vs.get(n)), got.get(i).similarity(), 1e-5);
        if (i > 0) {
          assertEquals(true, got.get(i - 1).similarity() >= got.get(i).similarity());
        }
      }
    }
  }

  @Test
  void open_storeWrittenWithFloatVectors_staysSearchableAndTakesQuantizedEntries() {
    List<float[]> vs = vectors(40);
    Path dir = tmp.resolve("f");
    try (AnswerStore old = AnswerStore.open(dir, OPTIONS, StoreCodec.Vectors.FLOAT32)) {
      for (int i = 0; i < 20; i++) {
        old.add(entry(i, vs.get(i)));
      }
    }
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      for (int i = 20; i < 40; i++) {
        store.add(entry(i, vs.get(i)));
      }
      store.commit();

      assertEquals("e3", store.nearest("s", vs.get(3), 1).get(0).entry().id());
      assertEquals("e33", store.nearest("s", vs.get(33), 1).get(0).entry().id());
      assertEquals(1.0, store.nearest("s", vs.get(33), 1).get(0).similarity(), 1e-5);
      assertEquals(40, store.size());
    }
  }

  /** The postings format of {@code field} in each segment of the store at {@code dir}. */
  private static Set<String> formats(Path dir, String field) throws IOException {
    Set<String> out = new TreeSet<>();
    try (FSDirectory d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        out.add(String.valueOf(leaf.reader().getFieldInfos().fieldInfo(field)
            .getAttribute(PerFieldPostingsFormat.PER_FIELD_FORMAT_KEY)));
      }
    }
    return out;
  }

  @Test
  void keyFields_getABloomFilter_andAStoreWrittenWithoutOneStaysReadable() throws IOException {
    List<float[]> vs = vectors(40);
    Path dir = tmp.resolve("b");
    try (AnswerStore old = AnswerStore.open(dir, OPTIONS,
        new StoreCodec(StoreCodec.Vectors.INT8, false))) {
      for (int i = 0; i < 20; i++) {
        old.add(entry(i, vs.get(i)));
      }
    }
    Set<String> before = formats(dir, AnswerStore.F_EXACT);
    assertFalse(before.contains("BloomFilter"), "written without the filter: " + before);

    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      // Before anything is added, only the segments written without the filter are there.
      assertEquals("e3", store.exact("s", "p3").orElseThrow().id());
      assertEquals("p19", store.get("e19").orElseThrow().prompt());
      for (int i = 20; i < 40; i++) {
        store.add(entry(i, vs.get(i)));
      }
      store.commit();

      for (int i : new int[] {3, 19, 20, 33}) {
        assertEquals("e" + i, store.exact("s", "p" + i).orElseThrow().id());
        assertEquals("p" + i, store.get("e" + i).orElseThrow().prompt());
      }
      assertTrue(store.exact("s", "never asked").isEmpty());
      assertTrue(store.exact("other scope", "p3").isEmpty());
      assertTrue(store.get("e40").isEmpty());
      assertEquals(40, store.size());
    }
    assertTrue(formats(dir, AnswerStore.F_EXACT).contains("BloomFilter"));
    assertTrue(formats(dir, AnswerStore.F_ID).contains("BloomFilter"));
    Set<String> scope = formats(dir, AnswerStore.F_SCOPE_KEY);
    assertFalse(scope.contains("BloomFilter") || scope.contains("null"),
        "a field searched by more than one document keeps the plain format: " + scope);
  }

  /** Rewrites the layout version the store at {@code dir} records, as another build would have. */
  private static void recordSchema(Path dir, String version) throws IOException {
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig()
            .setCodec(new StoreCodec()).setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      Map<String, String> data = new HashMap<>(SegmentInfos.readLatestCommit(d).getUserData());
      data.put(AnswerStore.META_SCHEMA, version);
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
  }

  @Test
  void layoutVersion1_opensAndIsRecordedAs2_whileAnUnknownVersionIsRefused() throws IOException {
    Path dir = tmp.resolve("v");
    List<float[]> vs = vectors(2);
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry(0, vs.get(0)));
    }
    recordSchema(dir, "1");
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals("e0", store.exact("s", "p0").orElseThrow().id());
      store.add(entry(1, vs.get(1)));
      store.commit();
    }
    try (FSDirectory d = FSDirectory.open(dir)) {
      assertEquals("2", SegmentInfos.readLatestCommit(d).getUserData().get(AnswerStore.META_SCHEMA));
    }
    recordSchema(dir, "3");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> AnswerStore.open(dir, OPTIONS));
    assertTrue(e.getMessage().contains("layout version 3"), e.getMessage());
  }

  @TempDir
  Path tmp;
}
