package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.solrcluster.launch.SolrCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SolrCloud answer store against a real two-node cluster in a child JVM. */
class SolrAnswerStoreTest {
  private static final StoreOptions OPTIONS = new StoreOptions("test-embedder", 4, 0);
  @TempDir static Path dir;
  static SolrCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrCluster.start(2, dir);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static SolrOptions options(String collection) {
    return new SolrOptions(cluster.urls(), collection, "", "", 1, 2, Duration.ofMillis(200),
        Duration.ofSeconds(10));
  }

  /** Polls a condition the soft commit makes true; fails after ten seconds. */
  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not true within 10 s");
      Thread.sleep(50);
    }
  }

  @Test
  void exactAndNearest_sharedBetweenTwoClients() throws Exception {
    try (SolrAnswerStore a = SolrAnswerStore.open(options("shared"), OPTIONS);
        SolrAnswerStore b = SolrAnswerStore.open(options("shared"), OPTIONS)) {
      float[] v = AnswerStoreTest.unit(1, 0, 0, 0);
      Entry e = AnswerStoreTest.entry("ent_1", "scope-a", "what is bound", v);
      a.add(e);
      // Real-time get: the other client's exact tier sees it before any soft commit.
      Entry got = b.exact("scope-a", "what is bound").orElseThrow();
      assertEquals(e.id(), got.id());
      assertEquals(e.response(), got.response());
      assertArrayEquals(v, got.vector());
      assertTrue(b.exact("scope-b", "what is bound").isEmpty());
      eventually(() -> !b.nearest("scope-a", AnswerStoreTest.unit(1, 0.1f, 0, 0), 5).isEmpty());
      Candidate c = b.nearest("scope-a", AnswerStoreTest.unit(1, 0.1f, 0, 0), 5).get(0);
      assertEquals("ent_1", c.entry().id());
      assertEquals(AnswerStore.cosine(AnswerStoreTest.unit(1, 0.1f, 0, 0), v), c.similarity(),
          1e-6);
      assertTrue(b.nearest("scope-b", v, 5).isEmpty());
      assertEquals("ent_1", b.get("ent_1").orElseThrow().id());
      assertEquals(1, b.size());
      assertEquals(List.of("ent_1"),
          b.browse("WHAT IS", null, null, 0, 10, 100).stream().map(Entry::id).toList());
      assertTrue(b.browse(null, "other-model", null, 0, 10, 100).isEmpty());

      b.remove(got);
      eventually(() -> a.exact("scope-a", "what is bound").isEmpty()
          && a.nearest("scope-a", v, 5).isEmpty());
      assertEquals(0, a.size());
    }
  }

  @Test
  void add_replacesTheSameKey_andRemoveKeepsTheNewer() throws Exception {
    try (SolrAnswerStore s = SolrAnswerStore.open(options("replace"), OPTIONS)) {
      Entry old = AnswerStoreTest.entry("ent_old", "s", "k", AnswerStoreTest.unit(0, 1, 0, 0));
      Entry neu = AnswerStoreTest.entry("ent_new", "s", "k", AnswerStoreTest.unit(0, 1, 0, 0));
      s.addAll(List.of(old));
      s.add(neu);
      s.remove(old);
      s.commit();
      assertEquals("ent_new", s.exact("s", "k").orElseThrow().id());
      eventually(() -> s.size() == 1);
    }
  }

  @Test
  void open_refusesACollectionOfAnotherModel() throws Exception {
    try (SolrAnswerStore s = SolrAnswerStore.open(options("model-a"), OPTIONS)) {
      s.add(AnswerStoreTest.entry("ent_a", "s", "k", AnswerStoreTest.unit(0, 0, 1, 0)));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SolrAnswerStore.open(options("model-a"), new StoreOptions("other-model", 4, 0)));
    assertTrue(e.getMessage().contains("was built with embedding model 'test-embedder' "
        + "(dimension 4), but the configured embedding model is 'other-model' (dimension 4)"),
        e.getMessage());
  }

  @Test
  void calls_withNoSolrReachable_throwStorageUnavailable() {
    SolrOptions nowhere = new SolrOptions(List.of("http://127.0.0.1:1/solr"), "x", "", "", 1, 1,
        Duration.ofMillis(200), Duration.ofMillis(500));
    // The start goes on (Bound then serves from the upstream alone); every call fails fast.
    try (SolrAnswerStore s = SolrAnswerStore.open(nowhere, OPTIONS)) {
      assertFalse(s.prepared());
      assertThrows(StorageUnavailableException.class, () -> s.exact("s", "k"));
      assertThrows(StorageUnavailableException.class, () -> s.get("ent_1"));
      assertThrows(StorageUnavailableException.class, s::size);
      assertThrows(StorageUnavailableException.class,
          () -> s.put(SharedRecord.of("x/1", "test", "{}"), true));
    }
  }

  @Test
  void calls_afterTheCollectionWasDeleted_throwStorageUnavailable_untilItIsCreatedAgain()
      throws Exception {
    try (SolrAnswerStore s = SolrAnswerStore.open(options("deleted"), OPTIONS)) {
      s.add(AnswerStoreTest.entry("ent_d", "s", "k", AnswerStoreTest.unit(0, 1, 0, 0)));
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(cluster.urls().get(0)
                  + "/admin/collections?action=DELETE&name=deleted")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      // An outage to the callers (they answer from the upstream), not a bad request of theirs.
      StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
          () -> s.exact("s", "k"));
      assertTrue(e.getMessage().contains("deleted"), e.getMessage());
      assertThrows(StorageUnavailableException.class, () -> s.get("ent_d"));
      // Before, it stayed gone until Bound started again.
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!s.prepared()) {
        assertTrue(System.nanoTime() < deadline, "the collection was not created again");
        Thread.sleep(100);
      }
      assertTrue(s.get("ent_d").isEmpty(), "a new, empty collection");
      Entry after = AnswerStoreTest.entry("ent_e", "s", "k2", AnswerStoreTest.unit(0, 1, 0, 0));
      s.add(after);
      assertEquals("ent_e", s.get("ent_e").orElseThrow().id());
    }
  }

  @Test
  void get_byEntryId_seesAnAddAtOnceOnAnotherClient() throws Exception {
    try (SolrAnswerStore a = SolrAnswerStore.open(options("by-id"), OPTIONS);
        SolrAnswerStore b = SolrAnswerStore.open(options("by-id"), OPTIONS)) {
      Entry old = AnswerStoreTest.entry("ent,1", "s", "k", AnswerStoreTest.unit(0, 1, 0, 0));
      a.add(old);
      // Real-time gets, no soft commit in between: the entry's pointer, then its answer.
      assertEquals("ent,1", b.get("ent,1").orElseThrow().id());
      Entry neu = AnswerStoreTest.entry("ent_2", "s", "k", AnswerStoreTest.unit(0, 1, 0, 0));
      a.add(neu);
      assertTrue(b.get("ent,1").isEmpty(), "replaced by a newer answer to the same prompt");
      assertEquals("ent_2", b.get("ent_2").orElseThrow().id());
      b.remove(neu);
      assertTrue(a.get("ent_2").isEmpty());
      assertTrue(a.exact("s", "k").isEmpty());
    }
  }

  @Test
  void open_refusesACollectionOfTheEarlierLayout() throws Exception {
    try (SolrAnswerStore s = SolrAnswerStore.open(options("layout-1"), OPTIONS)) {
      assertTrue(s.prepared());
    }
    // What the first Solr layout wrote in its meta document.
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(cluster.urls().get(0) + "/layout-1/update?commit=true"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":\"_bound_meta\",\"kind\":"
            + "\"meta\",\"meta_model\":\"test-embedder\",\"meta_dimension\":\"4\","
            + "\"meta_schema\":\"1\"}]")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SolrAnswerStore.open(options("layout-1"), OPTIONS));
    assertEquals("The Solr collection layout-1 has layout 1 but this build reads layout solr-2 "
        + "(answers readable by entry id, shared documents and model versions); Bound does not "
        + "migrate it. Point storage.solr.collection at a new collection, or delete this one; it "
        + "was left untouched.", e.getMessage());
  }

  @Test
  void exact_hotTier_keepsARemovedAnswerUntilTheEvictionIsFollowed() throws Exception {
    StoreOptions hot = new StoreOptions("test-embedder", 4, 1 << 20);
    try (SolrAnswerStore a = SolrAnswerStore.open(options("hot"), hot);
        SolrAnswerStore b = SolrAnswerStore.open(options("hot"), hot)) {
      Entry e = AnswerStoreTest.entry("ent_hot", "s", "k", AnswerStoreTest.unit(0, 0, 0, 1));
      a.add(e);
      assertEquals("ent_hot", b.exact("s", "k").orElseThrow().id()); // now in b's memory
      a.remove(e);
      assertTrue(a.exact("s", "k").isEmpty(), "the remover's own hot tier drops it at once");
      assertEquals("ent_hot", b.exact("s", "k").orElseThrow().id(), "b has not followed yet");
      b.follow(b.since(Long.MIN_VALUE, 100));
      assertTrue(b.exact("s", "k").isEmpty());
    }
  }

  @Test
  void put_onceRefusesOtherContent_andSinceReadsInOrder() throws Exception {
    try (SolrAnswerStore a = SolrAnswerStore.open(options("shared-log"), OPTIONS);
        SolrAnswerStore b = SolrAnswerStore.open(options("shared-log"), OPTIONS)) {
      a.put(SharedRecord.of("doc/d1/v1", "test", "one"), true);
      a.put(SharedRecord.of("doc/d1/v1", "test", "one"), true); // a replay: no-op
      assertThrows(SharedConflictException.class,
          () -> b.put(SharedRecord.of("doc/d1/v1", "test", "other"), true));
      b.put(SharedRecord.of("model/m", "test", "v1"), false);
      b.put(SharedRecord.of("model/m", "test", "v2"), false);
      // Readable as soon as put returned, oldest first; the overwritten record once, as it is now.
      List<SharedRecord> all = a.since(Long.MIN_VALUE, 100);
      assertEquals(List.of("doc/d1/v1", "model/m"), all.stream().map(SharedRecord::id).toList());
      assertEquals("one", all.get(0).body());
      assertEquals("v2", all.get(1).body());
      assertTrue(all.get(0).stamp() < all.get(1).stamp());
      assertEquals(List.of("model/m"),
          a.since(all.get(1).stamp(), 100).stream().map(SharedRecord::id).toList());
    }
  }
}
