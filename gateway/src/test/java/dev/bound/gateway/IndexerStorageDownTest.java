package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.BoundConfig;
import dev.bound.index.AnswerBackend;
import dev.bound.index.Candidate;
import dev.bound.index.Entry;
import dev.bound.index.StorageUnavailableException;
import dev.bound.index.journal.AnswerJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the indexer does with answers while the storage cannot be reached, without a Solr. */
class IndexerStorageDownTest {
  @TempDir Path dir;

  /** A store that refuses everything while {@code down} is set. */
  static class Flaky implements AnswerBackend {
    volatile boolean down;
    final Map<String, Entry> stored = new ConcurrentHashMap<>();

    private void check() {
      if (down) {
        throw new StorageUnavailableException("no Solr node answers", null);
      }
    }

    @Override
    public Optional<Entry> exact(String scope, String exactKey) {
      check();
      return stored.values().stream()
          .filter(e -> e.scope().equals(scope) && e.exactKey().equals(exactKey)).findFirst();
    }

    @Override
    public List<Candidate> nearest(String scope, float[] vector, int k) {
      check();
      return List.of();
    }

    @Override
    public void addAll(List<Entry> entries) {
      check();
      entries.forEach(e -> stored.put(e.id(), e));
    }

    @Override
    public void remove(Entry e) {
      check();
      stored.remove(e.id());
    }

    @Override
    public Optional<Entry> get(String id) {
      check();
      return Optional.ofNullable(stored.get(id));
    }

    @Override
    public List<Entry> browse(String text, String model, String tenant, long sinceMillis,
        int limit, int scanLimit) {
      check();
      return List.copyOf(stored.values());
    }

    @Override
    public long size() {
      check();
      return stored.size();
    }

    @Override
    public int segments() {
      return -1;
    }

    @Override
    public void compact(int maxSegments) {
      check();
    }

    @Override
    public void commit() {
      check();
    }

    @Override
    public void close() {}
  }

  static Entry entry(String id) {
    return new Entry(id, "scope", "key " + id, "prompt " + id, new float[] {1, 0, 0},
        "model", "{\"answer\":\"" + id + "\"}", 1_000L);
  }

  static void eventually(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not true within 15 s");
      Thread.sleep(20);
    }
  }

  @Test
  void submit_whileStorageDown_waitsAndIsStoredWhenItReturns() throws Exception {
    Flaky store = new Flaky();
    store.down = true;
    AtomicBoolean indexed = new AtomicBoolean();
    try (Indexer indexer = new Indexer(store, AnswerJournal.open(dir, Duration.ZERO), null)) {
      indexer.submit(entry("ent_1"), () -> indexed.set(true));
      indexer.awaitIndexed();
      assertEquals(1, indexer.backlog());
      assertFalse(indexed.get(), "still waiting: the cache keeps serving it from memory");
      assertTrue(store.stored.isEmpty());

      store.down = false; // the indexer retries every second by itself
      eventually(() -> indexer.backlog() == 0);
      assertTrue(indexed.get());
      assertEquals("ent_1", store.stored.get("ent_1").id());
    }
  }

  @Test
  void storageDownForSeveralRetries_isLoggedOnceAndOnceWhenBack() throws Exception {
    Flaky store = new Flaky();
    store.down = true;
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream caught = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(caught, true, java.nio.charset.StandardCharsets.UTF_8));
    try (Indexer indexer = new Indexer(store, AnswerJournal.open(dir, Duration.ZERO), null)) {
      indexer.submit(entry("ent_4"), () -> { });
      indexer.awaitIndexed();
      Thread.sleep(2_500); // two retries at least, a second apart
      store.down = false;
      eventually(() -> indexer.backlog() == 0);
    } finally {
      System.setErr(stderr);
    }
    String printed = caught.toString(java.nio.charset.StandardCharsets.UTF_8);
    stderr.print(printed);
    assertEquals(1, printed.lines()
        .filter(l -> l.contains("The indexer cannot use its storage")).count(), printed);
    assertEquals(1, printed.lines()
        .filter(l -> l.contains("The indexer can use its storage again")).count(), printed);
    assertFalse(printed.contains("answers wait in the journal"), printed);
  }

  @Test
  void close_whileStorageDown_keepsTheAnswerInTheJournal() throws Exception {
    Flaky store = new Flaky();
    store.down = true;
    try (Indexer indexer = new Indexer(store, AnswerJournal.open(dir, Duration.ZERO), null)) {
      indexer.submit(entry("ent_2"), () -> { });
      indexer.awaitIndexed();
    }
    try (AnswerJournal reopened = AnswerJournal.open(dir, Duration.ZERO)) {
      assertEquals(List.of("ent_2"), reopened.recovered().stream().map(Entry::id).toList());
    }
  }

  @Test
  void start_whileStorageDownWithAJournal_startsAndStoresTheAnswersWhenItReturns()
      throws Exception {
    Flaky store = new Flaky();
    store.down = true;
    try (Indexer indexer = new Indexer(store, AnswerJournal.open(dir, Duration.ZERO), null)) {
      indexer.submit(entry("ent_3"), () -> { });
      indexer.awaitIndexed();
    }
    // The next start finds ent_3 in the journal while the storage is still down.
    try (Indexer indexer = new Indexer(store, AnswerJournal.open(dir, Duration.ZERO), null)) {
      indexer.awaitIndexed();
      assertEquals(1, indexer.backlog());
      assertTrue(store.stored.isEmpty());
      store.down = false;
      eventually(() -> indexer.backlog() == 0);
      assertEquals("ent_3", store.stored.get("ent_3").id());
    }
    try (AnswerJournal reopened = AnswerJournal.open(dir, Duration.ZERO)) {
      assertTrue(reopened.recovered().isEmpty(), "stored, so no longer in the journal");
    }
  }

  @Test
  void answersRecoveredWhileStorageDown_areServedFromMemoryUntilItReturns() throws Exception {
    BoundConfig cfg = BoundConfig.resolve(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false", "cache.prompt-vectors", "0"), Map.of(), null);
    Scope scope = new Scope("scope", "tenant");
    Flaky store = new Flaky();
    store.down = true;
    try (AnswerCache cache = cache(cfg, store)) {
      cache.storeLater(cache.probe(scope, "Which gas do plants take in?"), "model",
          "{\"answer\":\"carbon dioxide\"}");
      cache.awaitIndexed();
    }
    // The next start finds it in the journal while the storage is still down.
    try (AnswerCache cache = cache(cfg, store)) {
      AnswerCache.Probe p = cache.probe(scope, "Which gas do plants take in?");
      assertEquals("{\"answer\":\"carbon dioxide\"}",
          cache.exact(p).orElseThrow().entry().response());
      store.down = false;
      eventually(() -> cache.backlog() == 0);
      assertEquals(1, store.stored.size());
      assertEquals("{\"answer\":\"carbon dioxide\"}",
          cache.exact(cache.probe(scope, "Which gas do plants take in?")).orElseThrow().entry()
              .response());
    }
  }

  private AnswerCache cache(BoundConfig cfg, Flaky store) {
    return new AnswerCache(new IndexerOverloadTest.Counting(), store,
        AnswerJournal.open(dir.resolve("journal"), Duration.ZERO),
        new Matching(cfg.cache(), null, null, null, new java.util.Random(1), null),
        java.time.Clock.systemUTC());
  }
}
