package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerStoreTest {

  private static final StoreOptions OPTIONS = new StoreOptions("test-embedder", 4, 1 << 20);
  private static final float EPS = 1e-5f;

  @TempDir Path dir;

  static float[] unit(float... xs) {
    double n = 0;
    for (float x : xs) {
      n += x * x;
    }
    float[] out = new float[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = (float) (xs[i] / Math.sqrt(n));
    }
    return out;
  }

  static Entry entry(String id, String scope, String key, float[] vector) {
    String response = "{\"answer\":\"" + id + "\"}";
    return new Entry(id, scope, key, "prompt for " + key, vector, "gpt-test", response, 1_000L);
  }

  private static List<String> ids(List<Candidate> cs) {
    return cs.stream().map(c -> c.entry().id()).toList();
  }

  // ---- compaction ------------------------------------------------------------------------------

  @Test
  void compact_mergesToOneSegment_keepsEveryEntry_acrossReopen() {
    float[][] vectors = {unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0), unit(0, 0, 0, 1),
        unit(1, 1, 0, 0), unit(0, 1, 1, 0)};
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      for (int i = 0; i < vectors.length; i++) {
        store.add(entry("e" + i, "s", "k" + i, vectors[i])); // each add flushes a segment
      }
      assertTrue(store.segments() > 1, "segments before: " + store.segments());
      assertThrows(IllegalArgumentException.class, () -> store.compact(0));
      store.compact(1);
      assertEquals(1, store.segments());
      assertEquals(vectors.length, store.size());
    }
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(1, store.segments());
      for (int i = 0; i < vectors.length; i++) {
        assertEquals("e" + i, store.exact("s", "k" + i).orElseThrow().id());
        Candidate best = store.nearest("s", vectors[i], 1).get(0);
        assertEquals("e" + i, best.entry().id());
        assertEquals(1f, best.similarity(), EPS);
      }
    }
  }

  @Test
  void close_duringCompaction_abandonsTheMerge_andLosesNothing() throws Exception {
    StoreOptions wide = new StoreOptions("test-embedder", 64, 1 << 20);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    int batches = 40;
    int perBatch = 250;
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread compactor;
    AnswerStore store = AnswerStore.open(dir, wide);
    try {
      for (int b = 0; b < batches; b++) {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < perBatch; i++) {
          float[] v = new float[64];
          for (int d = 0; d < v.length; d++) {
            v[d] = (float) rnd.nextGaussian();
          }
          batch.add(entry("e" + b + "-" + i, "s", "k" + b + "-" + i, unit(v)));
        }
        store.addAll(batch); // one segment per batch
      }
      store.commit();
      compactor = new Thread(() -> {
        try {
          store.compact(1);
          outcome.set(new AssertionError("the merge finished before close"));
        } catch (Throwable t) {
          outcome.set(t);
        }
      });
      compactor.start();
      while (!store.compacting() && compactor.isAlive()) {
        Thread.onSpinWait();
      }
    } finally {
      store.close(); // must not wait for the merge
    }
    compactor.join(60_000);
    assertTrue(outcome.get() instanceof IllegalStateException, String.valueOf(outcome.get()));
    try (AnswerStore again = AnswerStore.open(dir, wide)) {
      assertEquals(batches * perBatch, again.size());
      assertTrue(again.exact("s", "k0-0").isPresent() && again.exact("s", "k39-249").isPresent());
    }
    try (FSDirectory d = FSDirectory.open(dir);
        CheckIndex check = new CheckIndex(d)) {
      assertTrue(check.checkIndex().clean);
    }
  }

  // ---- automatic compaction --------------------------------------------------------------------

  private static final float[][] SIX = {unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0),
      unit(0, 0, 0, 1), unit(1, 1, 0, 0), unit(0, 1, 1, 0)};

  private static StoreOptions bounded(int maxSegments, Duration idle) {
    return new StoreOptions("test-embedder", 4, 1 << 20, maxSegments, idle);
  }

  @Test
  void compactor_mergesAQuietIndexToItsBound_keepsEveryEntry() {
    AtomicLong now = new AtomicLong();
    try (AnswerStore store = AnswerStore.open(dir, bounded(1, Duration.ofSeconds(10)),
        StoreCodec.DEFAULT_VECTORS, now::get)) {
      for (int i = 0; i < SIX.length; i++) {
        store.add(entry("e" + i, "s", "k" + i, SIX[i])); // each add flushes a segment
      }
      int before = store.segments();
      assertTrue(before > 1, "segments before: " + before);
      now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
      assertFalse(store.compactor().runOnce(), "compacted before the index was quiet");
      assertEquals(before, store.segments());
      now.addAndGet(1);
      assertTrue(store.compactor().runOnce());
      assertEquals(1, store.segments());
      assertFalse(store.compactor().runOnce(), "compacted an index already within its bound");
      for (int i = 0; i < SIX.length; i++) {
        assertEquals("e" + i, store.nearest("s", SIX[i], 1).get(0).entry().id());
      }
    }
  }

  @Test
  void compactor_waitsForAFullQuietPeriodAfterEachWrite() {
    AtomicLong now = new AtomicLong();
    try (AnswerStore store = AnswerStore.open(dir, bounded(2, Duration.ofSeconds(10)),
        StoreCodec.DEFAULT_VECTORS, now::get)) {
      for (int i = 0; i < SIX.length - 1; i++) {
        store.add(entry("e" + i, "s", "k" + i, SIX[i]));
      }
      now.addAndGet(Duration.ofSeconds(30).toNanos());
      store.add(entry("e5", "s", "k5", SIX[5]));
      store.remove(store.get("e0").orElseThrow());
      assertFalse(store.compactor().runOnce(), "compacted right after a write");
      now.addAndGet(Duration.ofSeconds(10).toNanos());
      assertTrue(store.compactor().runOnce());
      assertTrue(store.segments() <= 2, "segments after: " + store.segments());
      assertEquals(SIX.length - 1, store.size());
    }
  }

  @Test
  void compactor_waitsTenTimesAsLongAsItsLastCompactionTook() {
    // Every read of this clock moves it on by a second, so the compaction below takes one.
    long second = Duration.ofSeconds(1).toNanos();
    AtomicLong now = new AtomicLong();
    try (AnswerStore store = AnswerStore.open(dir, bounded(1, Duration.ofSeconds(1)),
        StoreCodec.DEFAULT_VECTORS, () -> now.addAndGet(second))) {
      store.add(entry("e0", "s", "k0", SIX[0]));
      store.add(entry("e1", "s", "k1", SIX[1]));
      assertTrue(store.compactor().runOnce()); // started at t, finished at t + 1 s
      long started = now.get() - second;
      store.add(entry("e2", "s", "k2", SIX[2]));
      now.set(started + 9 * second - 2 * second); // the next read is 8 s after the start
      assertFalse(store.compactor().runOnce(), "compacted within ten times its last duration");
      now.set(started + 10 * second - second); // the next read is 10 s after the start
      assertTrue(store.compactor().runOnce());
      assertEquals(1, store.segments());
    }
  }

  @Test
  void compactor_isOff_whenMaxSegmentsIsZero() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(null, store.compactor());
    }
  }

  @Test
  void compactor_runsOnItsOwnTimer_andTheIndexReopensCompacted() throws InterruptedException {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      for (int i = 0; i < SIX.length; i++) {
        store.add(entry("e" + i, "s", "k" + i, SIX[i]));
      }
      assertTrue(store.segments() > 1, "segments before: " + store.segments());
    }
    // Reopened with a bound, the index compacts itself once it has been quiet for the period.
    try (AnswerStore store = AnswerStore.open(dir, bounded(1, Duration.ofMillis(200)))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (store.segments() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(1, store.segments());
    }
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(1, store.segments());
      assertEquals(SIX.length, store.size());
    }
  }

  @Test
  void storeOptions_rejectsABoundOutOfRange() {
    IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
        () -> bounded(-1, Duration.ZERO));
    assertEquals("maxSegments must be between 0 and 1000 but was -1", low.getMessage());
    IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
        () -> bounded(1001, Duration.ZERO));
    assertEquals("maxSegments must be between 0 and 1000 but was 1001", high.getMessage());
    IllegalArgumentException idle = assertThrows(IllegalArgumentException.class,
        () -> bounded(1, Duration.ofMillis(-1)));
    assertEquals("compactAfterIdle must not be negative but was PT-0.001S", idle.getMessage());
  }

  // ---- exact tier ------------------------------------------------------------------------------

  @Test
  void exact_hitAndMiss() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      Entry e = entry("e1", "scopeA", "hello", unit(1, 0, 0, 0));
      store.add(e);
      assertEquals(Optional.of(e), store.exact("scopeA", "hello"));
      assertEquals(Optional.empty(), store.exact("scopeA", "hello!"));
      assertEquals(Optional.of(e), store.get("e1"));
      assertEquals(Optional.empty(), store.get("nope"));
      assertEquals(1, store.size());
    }
  }

  @Test
  void exact_isScopeIsolated() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("e1", "scopeA", "hello", null));
      assertTrue(store.exact("scopeA", "hello").isPresent());
      assertEquals(Optional.empty(), store.exact("scopeB", "hello"));
      // Concatenations that collide as plain strings must not collide as (scope, key) pairs.
      store.add(entry("e2", "ab", "c", null));
      assertEquals(Optional.empty(), store.exact("a", "bc"));
      assertEquals("e2", store.exact("ab", "c").orElseThrow().id());
    }
  }

  @Test
  void exact_hotTierDisabled_stillAnswersFromLucene() {
    StoreOptions noHot = new StoreOptions("test-embedder", 4, 0);
    try (AnswerStore store = AnswerStore.open(dir, noHot)) {
      Entry e = entry("e1", "s", "k", unit(0, 1, 0, 0));
      store.add(e);
      assertEquals(Optional.of(e), store.exact("s", "k"));
      assertEquals(Optional.of(e), store.exact("s", "k"));
      assertEquals(Optional.empty(), store.exact("other", "k"));
    }
  }

  @Test
  void exact_afterReopen() {
    Entry withVector = entry("e1", "s", "k1", unit(1, 2, 3, 4));
    Entry exactOnly = entry("e2", "s", "k2", null);
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.addAll(List.of(withVector, exactOnly));
    }
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(2, store.size());
      Entry back = store.exact("s", "k1").orElseThrow();
      assertEquals(withVector, back); // every field, including the stored vector, survives
      assertArrayEquals(withVector.vector(), back.vector());
      assertEquals(1_000L, back.createdMillis());
      assertEquals(Optional.of(exactOnly), store.exact("s", "k2"));
      assertEquals(Optional.of(exactOnly), store.get("e2"));
    }
  }

  // ---- semantic tier ---------------------------------------------------------------------------

  @Test
  void nearest_returnsClosestFirstWithCosine() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.addAll(
          List.of(
              entry("same", "s", "k1", unit(1, 0, 0, 0)),
              entry("diag", "s", "k2", unit(1, 1, 0, 0)),
              entry("orth", "s", "k3", unit(0, 1, 0, 0)),
              entry("opp", "s", "k4", unit(-1, 0, 0, 0)),
              entry("mix", "s", "k5", unit(1, 2, 2, 0))));

      List<Candidate> all = store.nearest("s", unit(1, 0, 0, 0), 10);
      assertEquals(List.of("same", "diag", "mix", "orth", "opp"), ids(all));
      assertEquals(1f, all.get(0).similarity(), EPS);
      assertEquals((float) (1 / Math.sqrt(2)), all.get(1).similarity(), EPS);
      assertEquals(1f / 3f, all.get(2).similarity(), EPS);
      assertEquals(0f, all.get(3).similarity(), EPS);
      assertEquals(-1f, all.get(4).similarity(), EPS);

      assertEquals(5, store.nearest("s", unit(1, 0, 0, 0), Integer.MAX_VALUE).size());
      List<Candidate> top2 = store.nearest("s", unit(1, 0, 0, 0), 2);
      assertEquals(List.of("same", "diag"), ids(top2));

      // cosine of (1,2,2,0)/3 with (0,0,1,0)/1 is 2/3; with (1,1,0,0)/sqrt2 it is 0
      List<Candidate> byZ = store.nearest("s", new float[] {0, 0, 1, 0}, 2);
      assertEquals("mix", byZ.get(0).entry().id());
      assertEquals(2f / 3f, byZ.get(0).similarity(), EPS);
    }
  }

  @Test
  void nearest_unnormalisedQuery_stillGivesCosine() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("diag", "s", "k", unit(1, 1, 0, 0)));
      Candidate c = store.nearest("s", new float[] {5, 0, 0, 0}, 1).get(0);
      assertEquals((float) (1 / Math.sqrt(2)), c.similarity(), EPS);
    }
  }

  @Test
  void nearest_isScopeIsolated_evenWhenOtherScopeIsCloser() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("far-but-mine", "mine", "k", unit(0, 1, 0, 0)));
      store.add(entry("exact-but-theirs", "theirs", "k", unit(1, 0, 0, 0)));
      List<Candidate> got = store.nearest("mine", unit(1, 0, 0, 0), 5);
      assertEquals(List.of("far-but-mine"), ids(got));
      assertEquals(0f, got.get(0).similarity(), EPS);
      assertEquals(List.of(), store.nearest("nobody", unit(1, 0, 0, 0), 5));
    }
  }

  @Test
  void nearest_skipsEntriesWithoutVector_butExactFindsThem() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("novec", "s", "k1", null));
      assertEquals(List.of(), store.nearest("s", unit(1, 0, 0, 0), 5));
      store.add(entry("vec", "s", "k2", unit(0, 0, 0, 1)));
      assertEquals(List.of("vec"), ids(store.nearest("s", unit(1, 0, 0, 0), 5)));
      assertEquals("novec", store.exact("s", "k1").orElseThrow().id());
    }
  }

  @Test
  void nearest_afterReopen() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("a", "s", "k1", unit(1, 0, 0, 0)));
      store.add(entry("b", "s", "k2", unit(0, 1, 0, 0)));
    }
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      List<Candidate> got = store.nearest("s", unit(0, 1, 0, 0), 2);
      assertEquals(List.of("b", "a"), ids(got));
      assertEquals(1f, got.get(0).similarity(), EPS);
    }
  }

  @Test
  void nearest_wrongDimensionOrBadArguments_throw() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      var e =
          assertThrows(
              IllegalArgumentException.class, () -> store.nearest("s", new float[] {1, 0, 0}, 1));
      assertEquals("vector has dimension 3 but the store uses 4", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> store.nearest("s", unit(1, 0, 0, 0), 0));
      assertThrows(
          IllegalArgumentException.class, () -> store.nearest("s", new float[] {0, 0, 0, 0}, 1));
      assertThrows(
          IllegalArgumentException.class,
          () -> store.nearest("s", new float[] {Float.NaN, 0, 0, 0}, 1));
    }
  }

  @Test
  void add_wrongDimension_throwsAndWritesNothingOfTheBatch() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      Entry good = entry("good", "s", "k1", unit(1, 0, 0, 0));
      Entry bad = entry("bad", "s", "k2", unit(1, 0, 0));
      var e = assertThrows(IllegalArgumentException.class, () -> store.addAll(List.of(good, bad)));
      assertEquals("entry bad has a vector of dimension 3 but the store uses 4", e.getMessage());
      assertEquals(0, store.size());
      assertEquals(Optional.empty(), store.exact("s", "k1"));
    }
  }

  @Test
  void nearest_dimensionAboveLuceneDefaultLimit_works() {
    int dim = 1536; // Lucene's stock HNSW format caps vectors at 1024 dimensions
    StoreOptions wide = new StoreOptions("wide-embedder", dim, 1 << 20);
    float[] a = new float[dim];
    float[] b = new float[dim];
    a[0] = 1;
    b[dim - 1] = 1;
    try (AnswerStore store = AnswerStore.open(dir, wide)) {
      store.add(entry("a", "s", "k1", a));
      store.add(entry("b", "s", "k2", b));
    }
    try (AnswerStore store = AnswerStore.open(dir, wide)) {
      List<Candidate> got = store.nearest("s", b, 2);
      assertEquals(List.of("b", "a"), ids(got));
      assertEquals(1f, got.get(0).similarity(), EPS);
      assertEquals(0f, got.get(1).similarity(), EPS);
    }
  }

  // ---- replacement -----------------------------------------------------------------------------

  @Test
  void add_sameExactKey_replacesOlder() {
    Entry older = entry("old", "s", "k", unit(1, 0, 0, 0));
    Entry newer =
        new Entry("new", "s", "k", "prompt", unit(0, 1, 0, 0), "gpt-test", "{\"v\":2}", 2_000L);
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(older);
      assertEquals(Optional.of(older), store.exact("s", "k"));
      store.add(newer);
      assertEquals(1, store.size());
      assertEquals(Optional.of(newer), store.exact("s", "k"));
      assertEquals(Optional.empty(), store.get("old"));
      assertEquals(List.of("new"), ids(store.nearest("s", unit(1, 0, 0, 0), 5)));
      // the same key in another scope is a different entry
      store.add(entry("other", "s2", "k", null));
      assertEquals(2, store.size());
    }
    try (AnswerStore store = AnswerStore.open(dir, new StoreOptions("test-embedder", 4, 0))) {
      assertEquals(2, store.size());
      assertEquals(Optional.of(newer), store.exact("s", "k"));
    }
  }

  @Test
  void addAll_duplicateKeysInOneBatch_lastWins() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.addAll(List.of(entry("first", "s", "k", null), entry("second", "s", "k", null)));
      assertEquals(1, store.size());
      assertEquals("second", store.exact("s", "k").orElseThrow().id());
    }
  }

  // ---- opening, locking, durability ------------------------------------------------------------

  @Test
  void open_createsMissingDirectories() {
    Path nested = dir.resolve("a/b/c");
    try (AnswerStore store = AnswerStore.open(nested, OPTIONS)) {
      assertEquals(0, store.size());
    }
    assertTrue(Files.isDirectory(nested));
  }

  @Test
  void open_withDifferentModel_failsAndLeavesDataIntact() throws IOException {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("e1", "s", "k", unit(1, 0, 0, 0)));
    }
    Map<String, String> before = snapshot(dir);

    var e =
        assertThrows(
            IllegalStateException.class,
            () -> AnswerStore.open(dir, new StoreOptions("other-embedder", 4, 1024)));
    String msg = e.getMessage();
    assertTrue(msg.contains("'test-embedder' (dimension 4)"), msg);
    assertTrue(msg.contains("'other-embedder' (dimension 4)"), msg);
    assertTrue(msg.contains("use another data directory"), msg);
    assertEquals(before, snapshot(dir));

    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(1, store.size());
      assertEquals("e1", store.exact("s", "k").orElseThrow().id());
      assertEquals(List.of("e1"), ids(store.nearest("s", unit(1, 0, 0, 0), 1)));
    }
  }

  @Test
  void open_withDifferentDimension_failsAndLeavesDataIntact() throws IOException {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      store.add(entry("e1", "s", "k", unit(1, 0, 0, 0)));
    }
    Map<String, String> before = snapshot(dir);
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> AnswerStore.open(dir, new StoreOptions("test-embedder", 8, 1024)));
    assertTrue(e.getMessage().contains("(dimension 4)"), e.getMessage());
    assertTrue(e.getMessage().contains("(dimension 8)"), e.getMessage());
    assertTrue(e.getMessage().contains("use another data directory"), e.getMessage());
    assertEquals(before, snapshot(dir));
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(Optional.of(entry("e1", "s", "k", unit(1, 0, 0, 0))), store.exact("s", "k"));
    }
  }

  @Test
  void open_emptyStoreRemembersItsModel() {
    AnswerStore.open(dir, OPTIONS).close();
    assertThrows(
        IllegalStateException.class,
        () -> AnswerStore.open(dir, new StoreOptions("other-embedder", 4, 0)));
  }

  @Test
  void open_whileOpenElsewhere_failsClearly() {
    try (AnswerStore first = AnswerStore.open(dir, OPTIONS)) {
      first.add(entry("e1", "s", "k", null));
      var e = assertThrows(IllegalStateException.class, () -> AnswerStore.open(dir, OPTIONS));
      assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
      // the failed open must not disturb the owner
      first.add(entry("e2", "s", "k2", null));
      assertEquals(2, first.size());
    }
    try (AnswerStore again = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(2, again.size());
    }
  }

  @Test
  void close_isIdempotentAndLaterCallsFail() {
    AnswerStore store = AnswerStore.open(dir, OPTIONS);
    store.add(entry("e1", "s", "k", null));
    store.close();
    store.close();
    var e = assertThrows(IllegalStateException.class, () -> store.exact("s", "k"));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> store.add(entry("e2", "s", "k2", null)));
    assertThrows(IllegalStateException.class, store::commit);
  }

  @Test
  void commit_makesEntriesDurable_andKilledProcessLosesOnlyUncommitted() throws Exception {
    ChildJvm.Result child = ChildJvm.run(KilledWriterMain.class, dir.toString());
    String output = child.output();
    assertEquals(KilledWriterMain.EXIT_CODE, child.exitCode(), output);
    assertTrue(output.contains("HALTING"), output);

    // The stale write.lock file of the dead process must not block the reopen.
    try (AnswerStore store = AnswerStore.open(dir, KilledWriterMain.OPTIONS)) {
      assertEquals(1, store.size());
      assertEquals("committed", store.exact("s", "k1").orElseThrow().id());
      assertEquals(Optional.empty(), store.exact("s", "k2"));
      assertEquals(List.of("committed"), ids(store.nearest("s", unit(1, 0, 0, 0), 5)));
      store.add(entry("after", "s", "k3", null));
    }
    try (FSDirectory d = FSDirectory.open(dir);
        CheckIndex check = new CheckIndex(d)) {
      check.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);
      assertTrue(check.checkIndex().clean);
    }
  }

  // ---- concurrency -----------------------------------------------------------------------------

  @Test
  void concurrent_addsAndLookups_loseNothing() throws Exception {
    int writers = 4;
    int perWriter = 500;
    StoreOptions opts = new StoreOptions("test-embedder", 8, 64 * 1024); // small: forces evictions
    List<Entry> all = new ArrayList<>();
    Random rnd = new Random(42);
    for (int i = 0; i < writers * perWriter; i++) {
      float[] v = new float[8];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) rnd.nextGaussian();
      }
      // every 10th entry is exact-only
      all.add(entry("id" + i, "scope" + (i % 7), "key" + i, i % 10 == 0 ? null : unit(v)));
    }
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger lookups = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(writers + 5);
    try (AnswerStore store = AnswerStore.open(dir, opts)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writeTasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int from = w * perWriter;
        writeTasks.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = from; i < from + perWriter; i++) {
                    if (i % 50 == 0) {
                      store.addAll(all.subList(i, Math.min(i + 5, from + perWriter)));
                      i += 4;
                    } else {
                      store.add(all.get(i));
                    }
                  }
                  return null;
                }));
      }
      List<Future<?>> readTasks = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        int seed = r;
        readTasks.add(
            pool.submit(
                () -> {
                  Random local = new Random(seed);
                  start.await();
                  while (writing.get()) {
                    Entry want = all.get(local.nextInt(all.size()));
                    store
                        .exact(want.scope(), want.exactKey())
                        .filter(got -> !got.equals(want))
                        .ifPresent(got -> problems.add("exact returned " + got + " for " + want));
                    if (want.hasVector()) {
                      for (Candidate c : store.nearest(want.scope(), want.vector(), 3)) {
                        Entry got = c.entry();
                        Entry expected = all.get(Integer.parseInt(got.id().substring(2)));
                        if (!got.equals(expected) || !got.scope().equals(want.scope())) {
                          problems.add("nearest returned " + got + " for scope " + want.scope());
                        }
                      }
                    }
                    lookups.incrementAndGet();
                    // Brief pause: on a small CI machine four spinning readers would starve the
                    // writers; lookups still interleave with every refresh.
                    Thread.sleep(0, 200_000);
                  }
                  return null;
                }));
      }
      Future<?> committer =
          pool.submit(
              () -> {
                start.await();
                while (writing.get()) {
                  store.commit();
                  Thread.sleep(50);
                }
                return null;
              });
      start.countDown();
      for (Future<?> f : writeTasks) {
        f.get(2, TimeUnit.MINUTES);
      }
      writing.set(false);
      for (Future<?> f : readTasks) {
        f.get(1, TimeUnit.MINUTES);
      }
      committer.get(1, TimeUnit.MINUTES);

      assertEquals(List.of(), List.copyOf(problems));
      assertTrue(lookups.get() > 0);
      assertEquals(all.size(), store.size());
      for (Entry e : all) {
        assertEquals(Optional.of(e), store.exact(e.scope(), e.exactKey()), e.id());
      }
    } finally {
      pool.shutdownNow();
    }
    try (AnswerStore store = AnswerStore.open(dir, opts)) {
      assertEquals(all.size(), store.size());
      Entry probe = all.get(1234);
      assertEquals(probe, store.nearest(probe.scope(), probe.vector(), 1).get(0).entry());
    }
  }

  @Test
  void concurrent_replacementsOfOneKey_hotTierAgreesWithIndex() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    String fromHotTier;
    AnswerStore store = AnswerStore.open(dir, OPTIONS);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    store.add(entry("t" + thread + "-" + i, "s", "shared", null));
                    store.exact("s", "shared");
                  }
                  return null;
                }));
      }
      for (Future<?> f : tasks) {
        f.get(1, TimeUnit.MINUTES);
      }
      assertEquals(1, store.size());
      fromHotTier = store.exact("s", "shared").orElseThrow().id();
    } finally {
      pool.shutdownNow();
      store.close();
    }
    // Reopened without a hot tier, the answer comes from the index alone.
    try (AnswerStore reopened = AnswerStore.open(dir, new StoreOptions("test-embedder", 4, 0))) {
      assertEquals(fromHotTier, reopened.exact("s", "shared").orElseThrow().id());
    }
  }

  /** File names and sizes under the directory, to prove a failed open changed nothing. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.put(
            root.relativize(f).toString(),
            Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
      }
    }
    return out;
  }

  @Test
  void size_countsLiveEntriesOnly() {
    try (AnswerStore store = AnswerStore.open(dir, OPTIONS)) {
      assertEquals(0, store.size());
      store.add(entry("a", "s", "k1", null));
      store.add(entry("b", "s", "k2", null));
      store.add(entry("c", "s", "k1", null));
      assertEquals(2, store.size());
      assertFalse(store.get("a").isPresent());
    }
  }
}
