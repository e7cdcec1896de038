package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search walks its segments on other threads only while a core is free ({@link SegmentSearch}),
 * and finds what it finds walking them one after another.
 */
class SegmentSearchTest {
  private static final int DIM = 32;

  @Test
  void segmentsWalkedSideBySide_findWhatOneAfterAnotherFinds(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(11);
    List<float[]> vectors = new ArrayList<>();
    List<String> scopes = new ArrayList<>();
    try (AnswerStore s = open(dir, 1)) {
      fill(s, r, vectors, scopes, id -> id % 4 == 0 ? "small" : "big");
    }
    int[] origins = new int[40];
    float[][] queries = new float[origins.length][];
    for (int q = 0; q < origins.length; q++) {
      origins[q] = r.nextInt(vectors.size());
      queries[q] = vectors.get(origins[q]).clone();
      for (int d = 0; d < DIM; d++) {
        queries[q][d] += 0.15f * (float) r.nextGaussian();
      }
    }
    List<String> alone = bestOf(dir, 1, scopes, origins, queries);
    List<String> sideBySide = bestOf(dir, 3, scopes, origins, queries);
    assertEquals(alone, sideBySide);
    for (int q = 0; q < origins.length; q++) {
      assertEquals("e" + origins[q], sideBySide.get(q), "query " + q);
    }
  }

  @Test
  void aCallersInterruptFlag_neitherEndsTheSearchNorIsLost(@TempDir Path dir) {
    SplittableRandom r = new SplittableRandom(13);
    try (AnswerStore s = open(dir, 3)) {
      List<float[]> vectors = new ArrayList<>();
      fill(s, r, vectors, new ArrayList<>(), id -> "all");
      s.exactPerSegment(0);
      for (int q = 0; q < 40; q++) {
        int origin = r.nextInt(vectors.size());
        Thread.currentThread().interrupt();
        try {
          List<Candidate> found = s.nearest("all", vectors.get(origin), 3, 0.74);
          assertEquals("e" + origin, found.get(0).entry().id(), "query " + q);
        } finally {
          assertTrue(Thread.interrupted(), "the flag must still be set after the search");
        }
      }
      assertTrue(s.segmentsHandedOver() > 0, "no segment was walked on the pool");
    }
  }

  /**
   * Four committed batches of 1,000 entries with random vectors, so four segments, each entry in
   * the scope {@code scopeOf} gives its number; their vectors and scopes are appended in order.
   */
  private static void fill(AnswerStore s, SplittableRandom r, List<float[]> vectors,
      List<String> scopes, IntFunction<String> scopeOf) {
    for (int batch = 0; batch < 4; batch++) {
      List<Entry> entries = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int id = vectors.size();
        float[] v = AnswerStoreExactSearchTest.gaussian(r, DIM);
        String scope = scopeOf.apply(id);
        vectors.add(v);
        scopes.add(scope);
        entries.add(new Entry("e" + id, scope, "k" + id, "p" + id, v, "m", "{}", 1L));
      }
      s.addAll(entries);
      s.commit();
    }
  }

  /** The best candidate of each query, from the store opened with {@code cores}. */
  private static List<String> bestOf(Path dir, int cores, List<String> scopes, int[] origins,
      float[][] queries) {
    try (AnswerStore s = open(dir, cores)) {
      assertTrue(s.segments() > 1, "the entries must span several segments: " + s.segments());
      s.exactPerSegment(0); // through the graphs, which Lucene walks segment by segment
      List<String> best = new ArrayList<>();
      for (int q = 0; q < origins.length; q++) {
        List<Candidate> found = s.nearest(scopes.get(origins[q]), queries[q], 5, 0.74);
        assertFalse(found.isEmpty(), "query " + q + " found nothing with " + cores + " cores");
        best.add(found.get(0).entry().id());
      }
      if (cores == 1) {
        assertEquals(0, s.segmentsHandedOver());
      } else {
        assertTrue(s.segmentsHandedOver() > 0, "no segment was walked on the pool");
      }
      return best;
    }
  }

  private static AnswerStore open(Path dir, int cores) {
    return AnswerStore.open(dir, new StoreOptions("m", DIM, 0), new StoreCodec(
        StoreCodec.DEFAULT_VECTORS), cores);
  }

  @Test
  void aSegmentGoesToThePool_onlyWhileFewerSearchesThanCoresRun() throws Exception {
    try (SegmentSearch search = new SegmentSearch(2)) {
      // One search running on two cores: the other core takes a segment.
      String thread = search.search(() -> {
        CompletableFuture<String> ran = new CompletableFuture<>();
        search.execute(() -> ran.complete(Thread.currentThread().getName()));
        return io(() -> ran.get(10, TimeUnit.SECONDS));
      });
      assertTrue(thread.startsWith("bound-segment-search-"), thread);
      assertEquals(1, search.handedOver());

      // Two running: each holds a core, so a segment stays with the search that has it.
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
        try {
          search.search(() -> {
            inside.countDown();
            return io(() -> release.await(10, TimeUnit.SECONDS));
          });
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertTrue(inside.await(10, TimeUnit.SECONDS));
      try {
        search.search(() -> assertThrows(RejectedExecutionException.class,
            () -> search.execute(() -> { })));
      } finally {
        release.countDown();
      }
      other.get(10, TimeUnit.SECONDS);
      assertEquals(1, search.handedOver());
    }
  }

  /** Runs {@code call}, its checked exceptions given as the IOException a search may throw. */
  private static <T> T io(Callable<T> call) throws IOException {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  @Test
  void oneCore_orAClosedPool_leavesEverySegmentToTheSearch() {
    try (SegmentSearch one = new SegmentSearch(1)) {
      assertThrows(RejectedExecutionException.class, () -> one.execute(() -> { }));
    }
    SegmentSearch closed = new SegmentSearch(4);
    closed.close();
    // Lucene runs a refused segment on the calling thread, so a search racing a close still ends.
    assertThrows(RejectedExecutionException.class, () -> closed.execute(() -> { }));
    assertEquals(0, closed.handedOver());
  }
}
