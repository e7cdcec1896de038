package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.index.Entry;
import dev.bound.solrcluster.launch.SolrCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Bound instances sharing one SolrCloud collection (storage.backend=solr), with a real
 * two-node SolrCloud run in a child JVM, over HTTP in front of the simulated upstream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedSolrTest {
  private static final String ADMIN = "admin-token-0123456789";
  /** Under target/, not a temporary folder, so the Solr log outlives a failed run. */
  static final Path dir = Path.of("target", "shared-solr-test-" + ProcessHandle.current().pid());
  static SolrCluster cluster;
  static SimulatedUpstream upstream;
  static Harness a;
  static Harness b;
  private static final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = SolrCluster.start(2, dir.resolve("solr"));
    upstream = Harness.fastUpstream();
    Map<String, String> shared = config(cluster, "answers", ADMIN);
    a = new Harness(dir.resolve("a"), upstream.url(), shared);
    b = new Harness(dir.resolve("b"), upstream.url(), shared);
  }

  /** An instance on a one-node cluster's {@code collection}, one replica, in {@code data}. */
  static Harness oneNode(Path data, SolrCluster cluster, SimulatedUpstream upstream,
      String collection) {
    return new Harness(data, upstream.url(), Map.of("storage.backend", "solr",
        "storage.solr.urls", String.join(",", cluster.urls()),
        "storage.solr.collection", collection, "storage.solr.replicas", "1"));
  }

  /** An instance's settings for the collection on this cluster, with two replicas. */
  static Map<String, String> config(SolrCluster cluster, String collection, String adminToken) {
    return Map.of("storage.backend", "solr",
        "storage.solr.urls", String.join(",", cluster.urls()),
        "storage.solr.collection", collection, "storage.solr.replicas", "2",
        "admin.token", adminToken);
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    closeAll(java.util.Arrays.asList(a, b, upstream, cluster),
        List.of(dir.resolve("a"), dir.resolve("b"), dir.resolve("solr/cluster")));
  }

  /**
   * Closes each of {@code open} that is not null, then deletes the data folders (about 50 MB a
   * run); the cluster's log, outside them, stays for a look after a failure.
   */
  static void closeAll(List<AutoCloseable> open, List<Path> data) throws java.io.IOException {
    for (AutoCloseable c : open) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the others must still stop
      }
    }
    for (Path p : data) {
      if (java.nio.file.Files.exists(p)) {
        try (var files = java.nio.file.Files.walk(p)) {
          files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
              .forEach(java.io.File::delete);
        }
      }
    }
  }

  /** Polls until the condition holds; fails after {@code limit}. Returns the time it took. */
  static Duration within(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long t0 = System.nanoTime();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - t0 < limit.toNanos(), "not true within " + limit);
      Thread.sleep(20);
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /**
   * Waits until the condition has held on every check for {@code hold}. Each replica makes its
   * soft commit on its own, so one search may see an answer that the next, sent to another
   * replica, does not yet; a hold longer than the soft-commit interval outlasts that window.
   */
  static Duration steadily(Duration limit, Duration hold, BooleanSupplier condition)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long since = -1;
    while (since < 0 || System.nanoTime() - since < hold.toNanos()) {
      assertTrue(System.nanoTime() - t0 < limit.toNanos(), "not steadily true within " + limit);
      if (condition.getAsBoolean()) {
        since = since < 0 ? System.nanoTime() : since;
      } else {
        since = -1;
      }
      Thread.sleep(20);
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** A chat question to this instance; a minute at most, so a stuck request fails the test. */
  static HttpResponse<String> ask(Harness h, String question) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(h.base() + "/chat/completions"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Harness.ask(question))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> askQuietly(Harness h, String question) {
    try {
      return ask(h, question);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String reason(HttpResponse<?> r) {
    return r.headers().firstValue("X-Bound-Reason").orElse("");
  }

  @Test
  @Order(1)
  void answerLearntOnA_isExactAndSemanticHitOnB() throws Exception {
    String[] pair = SharedData.positives().get(0);
    HttpResponse<String> first = ask(a, pair[0]);
    assertEquals("MISS", Harness.tier(first));
    a.gateway.awaitIndexed();
    long calls = upstream.calls();

    // Real-time get: the exact tier on B sees it as soon as Solr acknowledged the add.
    HttpResponse<String> exact = ask(b, pair[0]);
    assertEquals("HIT-EXACT", Harness.tier(exact));
    // The semantic tier sees it after the soft commit (storage.solr.soft-commit, 500 ms), which
    // each of the two replicas makes on its own.
    steadily(Duration.ofSeconds(5), Duration.ofSeconds(1),
        () -> nearestOnB(pair[1]).contains(exact.headers().firstValue("X-Bound-Entry")
            .orElseThrow()));
    HttpResponse<String> semantic = ask(b, pair[1]);
    assertEquals("HIT-SEMANTIC", Harness.tier(semantic));
    assertEquals(calls, upstream.calls());
  }

  @Test
  @Order(2)
  void entryDeletedOnA_stopsServingOnBWithinOneSecond() throws Exception {
    String q = "What is the tallest mountain in the solar system?";
    assertEquals("MISS", Harness.tier(ask(a, q)));
    a.gateway.awaitIndexed();
    HttpResponse<String> hit = ask(b, q);
    assertEquals("HIT-EXACT", Harness.tier(hit));
    String id = hit.headers().firstValue("X-Bound-Entry").orElseThrow();
    // Reads by id are real-time gets: A's admin API reads it at once. B's vector search sees it
    // after the soft commit; wait for that, so the delete is shown to reach the search too.
    assertTrue(a.gateway.cache().store().get(id).isPresent());
    within(Duration.ofSeconds(5), () -> nearestOnB(q).contains(id));

    HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + a.gateway.port() + "/admin/entries/" + id))
        .header("Authorization", "Bearer " + ADMIN).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(204, deleted.statusCode(), deleted.body());

    // Neither tier on B may find it a second after the delete returned on A.
    Duration gone = within(Duration.ofSeconds(1), () -> nearestOnB(q).stream()
        .noneMatch(id::equals) && b.gateway.cache().store().get(id).isEmpty());
    System.out.println("delete on A invisible on B after " + gone.toMillis() + " ms");
    // B served it before, so its hot tier held it: the eviction reaches it through the feed.
    Duration evicted = within(Duration.ofSeconds(1), () -> !Harness.tier(askQuietly(b, q))
        .equals("HIT-EXACT"));
    System.out.println("delete on A out of B's hot tier after " + gone.plus(evicted).toMillis()
        + " ms");
  }

  /** Ids of the stored answers B's vector search returns for this prompt, in every scope. */
  private static List<String> nearestOnB(String prompt) {
    return nearest(b, prompt);
  }

  /** The ids {@code h}'s vector search finds nearest the prompt, in every scope it holds. */
  static List<String> nearest(Harness h, String prompt) {
    float[] v = h.gateway.cache().embedder().embed(prompt);
    List<String> ids = new ArrayList<>();
    for (Entry e : h.gateway.cache().store().browse(null, null, null, 0, 100, 100)) {
      ids.addAll(h.gateway.cache().store().nearest(e.scope(), v, 5).stream()
          .map(c -> c.entry().id()).toList());
    }
    return ids;
  }

  @Test
  @Order(3)
  void oneSolrNodeKilledUnderLoad_noRequestFails() throws Exception {
    String warm = "Name a moon of Jupiter.";
    ask(a, warm);
    a.gateway.awaitIndexed();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger storageDown = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(4);
    List<Future<?>> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      clients.add(load.submit(() -> {
        for (int i = 0; running.get(); i++) {
          Harness h = (i % 2 == 0) ? a : b;
          // Half repeats (exact hits), half new prompts (misses that store an answer).
          String q = i % 2 == 0 ? warm : "Load question " + thread + "-" + i + "?";
          try {
            HttpResponse<String> r = ask(h, q);
            sent.incrementAndGet();
            if (r.statusCode() != 200) {
              failed.incrementAndGet();
            }
            if (reason(r).equals(Reason.STORAGE_UNAVAILABLE.code())) {
              storageDown.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
        return null;
      }));
    }
    Thread.sleep(500);
    cluster.stopNode(1);
    int atKill = sent.get();
    within(Duration.ofSeconds(30), () -> sent.get() > atKill + 100);
    running.set(false);
    for (Future<?> f : clients) {
      f.get();
    }
    load.shutdown();
    cluster.startNode(1);
    cluster.awaitHealthy("answers");
    assertEquals(0, failed.get(), "failed requests out of " + sent.get());
    // The surviving replica serves: a repeat is still a hit from Solr.
    assertEquals("HIT-EXACT", Harness.tier(ask(b, warm)));
    System.out.println("node kill: " + sent.get() + " requests, " + failed.get() + " failed, "
        + storageDown.get() + " answered upstream-only (storage_unavailable)");
  }

  @Test
  @Order(4)
  void allOfSolrDown_upstreamAnswersThenRecovers() throws Exception {
    String before = "Which gas do plants take in?";
    ask(a, before);
    a.gateway.awaitIndexed();
    cluster.stopAll();
    try {
      // What A stored is still in its hot tier, and served from memory.
      assertEquals("HIT-EXACT", Harness.tier(ask(a, before)));
      HttpResponse<String> r = ask(a, "Which gas do plants give off?");
      assertEquals(200, r.statusCode());
      assertEquals("MISS", Harness.tier(r));
      assertEquals(Reason.STORAGE_UNAVAILABLE.code(), reason(r));
      // Solr was just found down, and the hot tier still answers the repeat from memory.
      assertEquals("HIT-EXACT", Harness.tier(ask(a, before)));
      // Learnt while Solr is down: acknowledged, journaled, served from memory on A meanwhile.
      String during = "Which planet is known as the red planet?";
      HttpResponse<String> fresh = ask(b, during);
      assertEquals(200, fresh.statusCode());
      assertEquals(Reason.STORAGE_UNAVAILABLE.code(), reason(fresh));
      assertEquals("HIT-EXACT", Harness.tier(ask(b, during)));
      HttpResponse<String> ready = b.getOutsideApi("/readyz");
      assertEquals(503, ready.statusCode());
      assertTrue(ready.body().contains("storage unavailable"), ready.body());
      HttpResponse<String> admin = b.getOutsideApi("/admin/entries", "Authorization",
          "Bearer " + ADMIN);
      assertEquals(503, admin.statusCode());
      assertTrue(admin.body().contains("\"code\":\"storage_unavailable\""), admin.body());
    } finally {
      cluster.startAll();
      cluster.awaitHealthy("answers");
    }
    // Recovers by itself: the answer B learnt during the outage reaches Solr, and A, which
    // never asked, serves it without calling the upstream.
    within(Duration.ofSeconds(60), () -> inSolr(a, "red planet"));
    long calls = upstream.calls();
    assertEquals("HIT-EXACT", Harness.tier(ask(a,
        "Which planet is known as the red planet?")));
    assertEquals("HIT-EXACT", Harness.tier(ask(b, before)));
    assertEquals(calls, upstream.calls());
    within(Duration.ofSeconds(10), () -> readyz(b) == 200);
  }

  /** Whether the shared store, read through this instance, holds a prompt with this text. */
  private static boolean inSolr(Harness h, String text) {
    try {
      return !h.gateway.cache().store().browse(text, null, null, 0, 1, 1000).isEmpty();
    } catch (RuntimeException e) {
      return false; // still coming back
    }
  }

  static int readyz(Harness h) {
    try {
      return h.getOutsideApi("/readyz").statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
