package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small scope is searched by comparing the query with each of its vectors instead of through
 * the graphs: it must find exactly the nearest entries, across segments, skipping replaced and
 * removed entries, entries without a vector and other scopes.
 */
class AnswerStoreExactSearchTest {
  private static final int DIM = 32;

  private static float[] random(SplittableRandom r) {
    return gaussian(r, DIM);
  }

  /** A vector of {@code dim} independent standard normal components (not of unit length). */
  static float[] gaussian(SplittableRandom r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /**
   * Where the exhaustive search compares original vectors (always, in a store of 32-bit vectors;
   * an 8-bit store's merged segments compare their 8-bit copy, see the last test), it finds the
   * nearest live entries of the scope exactly, in order.
   */
  @Test
  void nearest_smallScope_findsExactlyTheNearestLiveEntriesOfItsScope(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(7);
    Map<String, float[]> live = new HashMap<>(); // what scope "a" holds now, by exact key
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0),
        StoreCodec.Vectors.FLOAT32)) {
      for (int batch = 0; batch < 4; batch++) { // one segment per batch
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          // Keys repeat across batches, so later batches replace earlier entries.
          String key = "k" + r.nextInt(120);
          float[] v = i % 10 == 0 ? null : random(r);
          entries.add(new Entry("a" + batch + "_" + i, "a", key, key, v, "m", "{}", 1L));
          entries.add(new Entry("b" + batch + "_" + i, "b", key, key, random(r), "m", "{}", 1L));
          if (v == null) {
            live.remove(key);
          } else {
            live.put(key, v);
          }
        }
        s.addAll(entries);
      }
      String gone = live.keySet().iterator().next();
      s.remove(s.exact("a", gone).orElseThrow());
      live.remove(gone);
      // Lucene may merge the four segments in the background to reclaim the replaced entries,
      // and on a busy machine it sometimes finished before the check below; a last batch of
      // another scope, which replaces nothing, leaves at least one more segment either way.
      List<Entry> other = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        other.add(new Entry("c" + i, "c", "c" + i, "c" + i, random(r), "m", "{}", 1L));
      }
      s.addAll(other);
      assertTrue(s.segments() > 1, "the entries must span several segments");

      s.exactPerSegment(Integer.MAX_VALUE);
      for (int q = 0; q < 30; q++) {
        float[] query = random(r);
        List<Candidate> found = s.nearest("a", query, 5);
        List<Map.Entry<String, float[]>> expected = new ArrayList<>(live.entrySet());
        expected.sort(Comparator.comparingDouble(
            (Map.Entry<String, float[]> e) -> -StoreCodecTest.cosine(query, e.getValue())));
        assertEquals(5, found.size());
        for (int i = 0; i < 5; i++) {
          Candidate c = found.get(i);
          assertEquals("a", c.entry().scope());
          assertEquals(expected.get(i).getKey(), c.entry().exactKey(), "rank " + i);
          assertEquals(StoreCodecTest.cosine(query, expected.get(i).getValue()), c.similarity(),
              1e-5);
        }
      }
    }
  }

  @Test
  void nearest_exhaustiveAndGraphSearch_agreeOnAnEasyQuery(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(11);
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      List<float[]> stored = new ArrayList<>();
      for (int batch = 0; batch < 3; batch++) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          float[] v = random(r);
          stored.add(v);
          entries.add(new Entry("e" + stored.size(), "a", "k" + stored.size(),
              "p", v, "m", "{}", 1L));
        }
        s.addAll(entries);
      }
      for (int q = 0; q < stored.size(); q += 7) {
        float[] query = stored.get(q).clone();
        query[0] += 0.01f;
        s.exactPerSegment(Integer.MAX_VALUE);
        Candidate exhaustive = s.nearest("a", query, 1).get(0);
        s.exactPerSegment(0);
        Candidate graph = s.nearest("a", query, 1).get(0);
        assertEquals("e" + (q + 1), exhaustive.entry().id());
        assertEquals(graph.entry().id(), exhaustive.entry().id());
        assertEquals(graph.similarity(), exhaustive.similarity(), 1e-6);
      }
    }
  }

  /**
   * A floor may let the store skip reading candidates that the index scores well below it, but
   * it must never change the answer: the result is the unfloored one with the floor applied, in
   * the graph search (8-bit scores) and the exhaustive one, for queries whose candidates lie on
   * both sides of each floor.
   */
  @Test
  void nearest_withAFloor_isTheFullResultFilteredByIt(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(23);
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      List<float[]> stored = new ArrayList<>();
      for (int batch = 0; batch < 3; batch++) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          float[] v = random(r);
          if (i % 4 != 0 && !stored.isEmpty()) { // near an earlier vector, as paraphrases lie
            float[] near = stored.get(r.nextInt(stored.size()));
            for (int d = 0; d < DIM; d++) {
              v[d] = near[d] + 0.6f * v[d];
            }
          }
          stored.add(v);
          entries.add(new Entry("e" + stored.size(), "a", "k" + stored.size(), "p", v, "m", "{}",
              1L));
        }
        s.addAll(entries);
      }
      int searches = 0;
      int narrowed = 0;
      for (int exact : new int[] {0, Integer.MAX_VALUE}) {
        s.exactPerSegment(exact);
        for (int q = 0; q < 150; q++) {
          float[] query = stored.get(r.nextInt(stored.size())).clone();
          float noise = 0.2f + 0.8f * (q % 5) / 4f;
          for (int d = 0; d < DIM; d++) {
            query[d] += noise * (float) r.nextGaussian();
          }
          List<Candidate> all = s.nearest("a", query, 5);
          for (double floor : new double[] {0.5, 0.74, 0.9}) {
            List<Candidate> expected = all.stream().filter(c -> c.similarity() >= floor)
                .toList();
            List<Candidate> floored = s.nearest("a", query, 5, floor);
            assertEquals(expected, floored, "floor " + floor + ", query " + q);
            searches++;
            narrowed += expected.size() < all.size() && !expected.isEmpty() ? 1 : 0;
          }
        }
      }
      // The queries must have put candidates on both sides of the floors, or nothing was tested.
      assertTrue(narrowed > searches / 10, narrowed + " of " + searches + " searches narrowed");
    }
  }

  /**
   * A scope that is a small share of a segment is scanned there by Lucene's exact search instead
   * of walked through the graph: it must find what comparing every vector finds, and the scan
   * must actually have run (and not run when turned off).
   */
  @Test
  void nearest_scannedScope_findsWhatComparingEveryVectorFinds(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(31);
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      List<float[]> inA = new ArrayList<>();
      for (int batch = 0; batch < 3; batch++) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          float[] v = random(r);
          String scope = i % 20 == 0 ? "a" : "b"; // "a" is 5 % of each segment
          if (scope.equals("a")) {
            inA.add(v);
          }
          entries.add(new Entry(scope + batch + "_" + i, scope, "k" + batch + "_" + i, "p", v,
              "m", "{}", 1L));
        }
        s.addAll(entries);
      }
      s.exactPerSegment(0); // the store's own exhaustive search stays out of the way
      s.scanShare(0);
      s.nearest("a", random(r), 3);
      assertEquals(0, s.scans(), "scanning is off");
      s.scanShare(0.1);
      for (int q = 0; q < inA.size(); q += 3) {
        float[] query = inA.get(q).clone();
        query[0] += 0.05f;
        List<Candidate> scanned = s.nearest("a", query, 3);
        s.exactPerSegment(Integer.MAX_VALUE);
        List<Candidate> compared = s.nearest("a", query, 3);
        s.exactPerSegment(0);
        assertEquals(compared.get(0).entry().id(), scanned.get(0).entry().id(), "query " + q);
        assertEquals(compared.get(0).similarity(), scanned.get(0).similarity(), 1e-6);
        assertTrue(scanned.stream().allMatch(c -> c.entry().scope().equals("a")));
      }
      assertTrue(s.scans() >= 3L * (inA.size() / 3), s.scans() + " segments scanned");
    }
  }

  /**
   * A store searched through 8-bit vectors reads its 32-bit vectors with positional reads
   * ({@link AnswerStore#files}), so in a segment with files of its own the exhaustive search of a
   * small scope compares the 8-bit copy: it must find the nearest entries but for the order of
   * near ties, each with its exact cosine. Small compound segments keep comparing originals.
   */
  @Test
  void nearest_smallScopeInAMergedSegment_comparesThe8BitCopy(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(43);
    Map<String, float[]> inA = new HashMap<>();
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      for (int batch = 0; batch < 3; batch++) { // a compound segment per batch
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          float[] v = AnswerStoreTest.unit(random(r));
          String scope = i % 6 == 0 ? "a" : "b";
          String id = scope + batch + "_" + i;
          if (scope.equals("a")) {
            inA.put(id, v);
          }
          entries.add(new Entry(id, scope, "k" + id, "p", v, "m", "{}", 1L));
        }
        s.addAll(entries);
      }
      s.exactPerSegment(Integer.MAX_VALUE);
      s.nearest("a", random(r), 5);
      assertEquals(0, s.quantizedExact(), "compound segments compare their mapped originals");
      s.compact(1); // one segment as large as the index: not compound
      for (int q = 0; q < 40; q++) {
        float[] query = random(r);
        List<Candidate> found = s.nearest("a", query, 5);
        List<Double> best = inA.values().stream().map(v -> StoreCodecTest.cosine(query, v))
            .sorted(Comparator.reverseOrder()).toList();
        assertEquals(5, found.size());
        for (int i = 0; i < 5; i++) {
          Candidate c = found.get(i);
          assertEquals(StoreCodecTest.cosine(query, inA.get(c.entry().id())), c.similarity(),
              1e-5, "the exact cosine of " + c.entry().id());
          assertEquals(best.get(i), c.similarity(), 0.02, "query " + q + ", rank " + i);
        }
      }
      assertEquals(40, s.quantizedExact(), "one merged segment compared per search");
    }
  }
}
