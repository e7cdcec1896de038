package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lookup's graph search stops once it cannot find an entry of its scope above the lookup's
 * floor ({@code AnswerStore.FloorCollectorManager}), and its result then stands where Lucene
 * would have compared every vector of the scope. It must still find what lies above the floor.
 */
class AnswerStoreFloorSearchTest {
  private static final int DIM = 32;

  /**
   * Three segments of entries in two scopes, "big" (nine in ten) and "small" (one in ten: too
   * large a share for the scan of tiny scopes, so the graph is searched), random vectors, which
   * lie far from each other in 32 dimensions.
   */
  private static List<float[]> fill(AnswerStore s, SplittableRandom r, List<String> scopes) {
    List<float[]> vectors = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      List<Entry> entries = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        float[] v = AnswerStoreExactSearchTest.gaussian(r, DIM);
        String scope = i % 10 == 0 ? "small" : "big";
        int id = vectors.size();
        vectors.add(v);
        scopes.add(scope);
        entries.add(new Entry("e" + id, scope, "k" + id, "p" + id, v, "m", "{}", 1L));
      }
      s.addAll(entries);
    }
    return vectors;
  }

  private static float[] near(float[] v, SplittableRandom r, float noise) {
    float[] q = v.clone();
    for (int d = 0; d < DIM; d++) {
      q[d] += noise * (float) r.nextGaussian();
    }
    return q;
  }

  @Test
  void nothingAboveTheFloor_theGraphsResultStands_withoutComparingEveryVector(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(5);
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      fill(s, r, new ArrayList<>());
      assertTrue(s.segments() > 1, "the entries must span several segments");
      s.exactPerSegment(0);
      // Patience this short ends the walk before it gathers k entries of the scope, which Lucene
      // would answer by comparing every vector of it.
      s.graphPatience(20);
      for (String scope : List.of("big", "small")) {
        for (int q = 0; q < 20; q++) {
          float[] query = AnswerStoreExactSearchTest.gaussian(r, DIM);
          // The scenario: nothing of the scope lies near a random query in 32 dimensions.
          List<Candidate> all = s.nearest(scope, query, 5);
          assertFalse(all.isEmpty(), scope + " query " + q);
          assertTrue(all.get(0).similarity() < 0.9, scope + " query " + q);
          assertEquals(List.of(), s.nearest(scope, query, 5, 0.9), scope + " query " + q);
        }
      }
      // Each such search must have ended in the graph, where Lucene would have answered the short
      // walk by comparing every vector of the scope.
      assertTrue(s.floorEnded() > 0, "some segment's search must have been ended by the floor");

      long before = s.floorEnded();
      s.graphPatience(0); // the floor ignored by the search: Lucene's own behaviour
      s.nearest("small", AnswerStoreExactSearchTest.gaussian(r, DIM), 5, 0.9);
      assertEquals(before, s.floorEnded());
    }
  }

  @Test
  void entriesAboveTheFloor_areFound_inEveryScope(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(9);
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", DIM, 0))) {
      List<String> scopes = new ArrayList<>();
      List<float[]> vectors = fill(s, r, scopes);
      s.exactPerSegment(0);
      s.graphPatience(200);
      for (int q = 0; q < 60; q++) {
        int origin = r.nextInt(vectors.size());
        float[] query = near(vectors.get(origin), r, 0.15f);
        List<Candidate> found = s.nearest(scopes.get(origin), query, 5, 0.74);
        assertFalse(found.isEmpty(), "query " + q + " found nothing");
        assertEquals("e" + origin, found.get(0).entry().id(), "query " + q);
        assertTrue(found.stream().allMatch(c -> c.similarity() >= 0.74));
      }
    }
  }
}
