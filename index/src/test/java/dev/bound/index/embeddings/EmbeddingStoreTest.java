package dev.bound.index.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.ChildJvm;
import dev.bound.index.WriteHold;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingStoreTest {
  @TempDir Path dir;

  /** A well-formed key, distinct for each {@code n}. */
  static String key(int n) {
    return String.format("%064x", n);
  }

  static byte[] value(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void getAll_returnsOnlyStoredKeys() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      s.putAll(Map.of(key(1), value("one"), key(2), value("two")));
      Map<String, byte[]> got = s.getAll(List.of(key(1), key(3), key(2)));
      assertEquals(2, got.size());
      assertEquals("one", text(got.get(key(1))));
      assertEquals("two", text(got.get(key(2))));
      assertFalse(got.containsKey(key(3)));
      assertEquals(Map.of(), s.getAll(List.of()));
    }
  }

  @Test
  void getAll_withoutHotTier_readsTheIndex() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 0)) {
      Map<String, byte[]> batch = new LinkedHashMap<>();
      for (int i = 0; i < 500; i++) {
        batch.put(key(i), value("v" + i));
      }
      s.putAll(batch);
      List<String> asked = new ArrayList<>();
      for (int i = 0; i < 600; i += 3) {
        asked.add(key(i));
      }
      Map<String, byte[]> got = s.getAll(asked);
      assertEquals(167, got.size());
      got.forEach((k, v) -> assertEquals("v" + Integer.parseInt(k, 16), text(v)));
      assertEquals(500, s.size());
    }
  }

  @Test
  void smallHotTier_evicts_andTheIndexStillAnswers() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 4 * (EmbeddingStore.ENTRY_OVERHEAD + 1000))) {
      for (int i = 0; i < 50; i++) {
        s.putAll(Map.of(key(i), new byte[1000]));
      }
      List<String> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(key(i));
      }
      assertEquals(50, s.getAll(all).size());
    }
  }

  @Test
  void putAll_sameKey_replacesTheValue() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 0)) {
      s.putAll(Map.of(key(7), value("old")));
      s.putAll(Map.of(key(7), value("new")));
      assertEquals("new", text(s.getAll(List.of(key(7))).get(key(7))));
      assertEquals(1, s.size());
    }
  }

  @Test
  void values_areCopies() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      byte[] v = value("abc");
      s.putAll(Map.of(key(1), v));
      v[0] = 'x';
      s.getAll(List.of(key(1))).get(key(1))[1] = 'y';
      assertArrayEquals(value("abc"), s.getAll(List.of(key(1))).get(key(1)));
    }
  }

  @Test
  void malformedKey_refused_andNothingWritten() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      Map<String, byte[]> batch = new LinkedHashMap<>();
      batch.put(key(1), value("ok"));
      batch.put("ABC", value("bad"));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> s.putAll(batch));
      assertEquals("key must be 64 lower-case hex digits (a SHA-256) but was ABC", e.getMessage());
      assertEquals(0, s.size());
      assertThrows(IllegalArgumentException.class,
          () -> s.getAll(List.of(key(0xabc).toUpperCase())));
    }
  }

  @Test
  void close_thenReopen_findsEverything() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      s.putAll(Map.of(key(1), value("one"), key(2), value("two")));
    }
    try (EmbeddingStore s = EmbeddingStore.open(dir, 0)) {
      assertEquals(2, s.size());
      assertEquals("two", text(s.getAll(List.of(key(2))).get(key(2))));
    }
  }

  @Test
  void commit_saysWhetherThereWasAnything() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      assertFalse(s.commit());
      s.putAll(Map.of(key(1), value("one")));
      assertTrue(s.commit());
      assertFalse(s.commit());
    }
  }

  @Test
  void killedProcess_keepsWhatWasCommitted() throws Exception {
    ChildJvm.Result child = ChildJvm.run(KilledEmbeddingWriterMain.class, dir.toString());
    assertEquals(KilledEmbeddingWriterMain.EXIT_CODE, child.exitCode(), child.output());
    assertTrue(child.output().contains("HALTING"), child.output());
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      Map<String, byte[]> got = s.getAll(List.of(key(1), key(2)));
      assertEquals(List.of(key(1)), List.copyOf(got.keySet()));
      assertEquals("committed", text(got.get(key(1))));
    }
  }

  @Test
  void clear_removesEverything_forGood() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      s.putAll(Map.of(key(1), value("one")));
      s.clear();
      assertEquals(0, s.size());
      assertEquals(Map.of(), s.getAll(List.of(key(1))));
    }
    try (EmbeddingStore s = EmbeddingStore.open(dir, 1 << 20)) {
      assertEquals(0, s.size());
    }
  }

  @Test
  void open_twice_refusesTheSecond() {
    try (EmbeddingStore s = EmbeddingStore.open(dir, 0)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> EmbeddingStore.open(dir, 0));
      assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
    }
  }

  @Test
  void closed_refusesUse() {
    EmbeddingStore s = EmbeddingStore.open(dir, 0);
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.getAll(List.of(key(1))));
    assertThrows(IllegalStateException.class, () -> s.putAll(Map.of(key(1), value("x"))));
  }

  /**
   * A put that met the writer a failure closed while reopen was swapping it failed, and the
   * embedding was asked of the upstream again, though the new writer took it a moment later.
   * Here reopen is held inside its first write while the put comes.
   */
  @Test
  void putAll_duringTheSwapAfterAFailure_waitsForTheNewWriter() throws Exception {
    WriteHold hold = new WriteHold();
    try (EmbeddingStore s = EmbeddingStore.open(dir, 0, hold::wrap)) {
      s.putAll(Map.of(key(1), value("kept")));
      s.commit();
      Files.delete(dir.resolve("write.lock"));
      assertThrows(UncheckedIOException.class, () -> s.putAll(Map.of(key(2), value("refused"))));
      assertTrue(s.writeFailure().isPresent());

      hold.arm();
      ExecutorService threads = Executors.newFixedThreadPool(2);
      Future<Boolean> reopened = threads.submit(s::reopen);
      assertTrue(hold.awaitWriting(), "reopen writes its first file");
      AtomicReference<Thread> putter = new AtomicReference<>();
      Future<?> put = threads.submit(() -> {
        putter.set(Thread.currentThread());
        s.putAll(Map.of(key(3), value("late")));
      });
      // The put waits for the swap to end, or it has failed already.
      while (!put.isDone()
          && (putter.get() == null || putter.get().getState() != Thread.State.BLOCKED)) {
        Thread.onSpinWait();
      }
      hold.release();
      assertTrue(reopened.get(10, TimeUnit.SECONDS));
      put.get(10, TimeUnit.SECONDS);
      threads.shutdown();
      assertEquals("late", text(s.getAll(List.of(key(3))).get(key(3))), "read from the index");
      assertTrue(s.commit());
    }
    try (EmbeddingStore s = EmbeddingStore.open(dir, 0)) {
      assertEquals(List.of(key(1), key(3)),
          List.copyOf(new TreeMap<>(s.getAll(List.of(key(1), key(2), key(3))))
              .keySet()));
    }
  }

  @Test
  void concurrent_putsAndReads_loseNothing() throws Exception {
    int writers = 4;
    int perWriter = 300;
    ExecutorService pool = Executors.newFixedThreadPool(writers * 2);
    try (EmbeddingStore s = EmbeddingStore.open(dir, 16 * 1024)) {
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int base = w * perWriter;
        work.add(pool.submit(() -> {
          for (int i = base; i < base + perWriter; i++) {
            s.putAll(Map.of(key(i), value("v" + i)));
          }
        }));
        work.add(pool.submit(() -> {
          for (int i = base; i < base + perWriter; i++) {
            byte[] v = s.getAll(List.of(key(i))).get(key(i));
            if (v != null && !text(v).equals("v" + i)) {
              throw new AssertionError("wrong value for " + i);
            }
          }
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      Map<String, byte[]> all = new HashMap<>();
      for (int i = 0; i < writers * perWriter; i++) {
        all.putAll(s.getAll(List.of(key(i))));
      }
      assertEquals(writers * perWriter, all.size());
      assertEquals(writers * perWriter, s.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
