package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quantized vector format: exact similarities, and stores written by the float format. */
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

  @TempDir
  Path tmp;
}
