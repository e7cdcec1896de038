package dev.bound.gateway;

import static dev.bound.gateway.SharedSolrTest.askQuietly;
import static dev.bound.gateway.SharedSolrTest.readyz;
import static dev.bound.gateway.SharedSolrTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.index.SharedLog;
import dev.bound.index.SharedRecord;
import dev.bound.solrcluster.launch.SolrCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bound documents, model versions and reads by entry id shared by two instances through a real
 * two-node SolrCloud in a child JVM (storage.backend=solr), over HTTP; and an instance started
 * while no Solr node answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedSolrDocumentsTest {
  private static final String ADMIN = "admin-token-0123456789";
  /** Under target/, not a temporary folder, so the Solr log outlives a failed run. */
  static final Path dir = Path.of("target", "shared-docs-test-" + ProcessHandle.current().pid());
  static final AtomicReference<String> version = new AtomicReference<>("sim-v1");
  static SolrCluster cluster;
  static FakeUpstream upstream;
  static Map<String, String> shared;
  static Harness a;
  static Harness b;
  private static final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = SolrCluster.start(2, dir.resolve("solr"));
    upstream = FakeUpstream.versioned(version::get, ctx -> { });
    shared = SharedSolrTest.config(cluster, "shared", ADMIN);
    a = new Harness(dir.resolve("a"), upstream.url(), shared);
    b = new Harness(dir.resolve("b"), upstream.url(), shared);
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    SharedSolrTest.closeAll(java.util.Arrays.asList(a, b, upstream, cluster), List.of(
        dir.resolve("a"), dir.resolve("b"), dir.resolve("c"), dir.resolve("m"), dir.resolve("va"),
        dir.resolve("vb"),
        dir.resolve("solr/cluster")));
  }

  static HttpResponse<String> admin(Harness h, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + h.gateway.port() + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + ADMIN);
    r.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  static HttpResponse<String> ask(Harness h, String q) throws Exception {
    return h.post("/chat/completions", Harness.ask(q));
  }

  /** The bound document and version that answered, such as {@code doc_x@2}, or "". */
  static String served(Harness h, String q) {
    try {
      HttpResponse<String> r = ask(h, q);
      return r.headers().firstValue("X-Bound-Document").orElse("");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String create(Harness h, String question, String answer) throws Exception {
    return ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"" + question
        + "\"],\"answer\":\"" + answer + "\",\"author\":\"ada\"}")).get("id").asText();
  }

  /** Creates a document on A and waits until B serves it. */
  static String createOnAServedOnB(String question, String answer) throws Exception {
    String id = create(a, question, answer);
    within(Duration.ofSeconds(1), () -> served(b, question).equals(id + "@1"));
    return id;
  }

  static final String Q1 = "How do I rotate the signing key?";
  static String doc;

  @Test
  @Order(1)
  void documentCreatedOnA_isServedOnB() throws Exception {
    doc = create(a, Q1, "Run bound keys rotate, then restart.");
    Duration t = within(Duration.ofSeconds(1), () -> served(b, Q1).equals(doc + "@1"));
    System.out.println("document created on A served on B after " + t.toMillis() + " ms");
    HttpResponse<String> r = ask(b, Q1);
    assertEquals("HIT-BOUND", Harness.tier(r));
    assertTrue(r.body().contains("Run bound keys rotate"), r.body());
    // B verifies with A's key, which came through the collection with the version.
    assertTrue(b.getOutsideApi("/.well-known/bound-keys").body().contains(
        ok(admin(a, "GET", "/admin/documents/" + doc, null)).get("kid").asText()));
  }

  @Test
  @Order(2)
  void editOnA_servesTheNewVersionOnB() throws Exception {
    ok(admin(a, "PUT", "/admin/documents/" + doc, "{\"answer\":\"Use the admin API.\","
        + "\"author\":\"grace\",\"expected_version\":1}"));
    Duration t = within(Duration.ofSeconds(1), () -> served(b, Q1).equals(doc + "@2"));
    System.out.println("edit on A served on B after " + t.toMillis() + " ms");
    assertTrue(ask(b, Q1).body().contains("Use the admin API."));
    JsonNode versions = ok(admin(b, "GET", "/admin/documents/" + doc + "/versions", null));
    assertEquals(2, versions.get("versions").size());
    assertEquals("SUPERSEDED", ok(admin(b, "GET", "/admin/documents/" + doc + "/versions/1",
        null)).get("status").asText());
    // B edits the version it has; A, whose edit is older, is refused rather than fork it.
    ok(admin(b, "PUT", "/admin/documents/" + doc, "{\"answer\":\"Use the admin API, then "
        + "restart.\",\"author\":\"bob\",\"expected_version\":2}"));
    within(Duration.ofSeconds(1), () -> served(a, Q1).equals(doc + "@3"));
  }

  @Test
  @Order(3)
  void editOnBWhileAIsDown_isTakenInByAOnItsRestart() throws Exception {
    String q = "Which port does the dashboard use?";
    String id = createOnAServedOnB(q, "Port 8080.");
    a.gateway.close();
    a = null;
    HttpResponse<String> first = admin(b, "PUT", "/admin/documents/" + id,
        "{\"answer\":\"Port 9090.\",\"author\":\"bob\",\"expected_version\":1}");
    ok(first);
    a = new Harness(dir.resolve("a"), upstream.url(), shared);
    assertEquals(id + "@2", served(a, q), "A took in B's edit while it was down");
    assertEquals(2, ok(admin(a, "GET", "/admin/documents/" + id + "/versions", null))
        .get("versions").size(), "and wrote each version once");
  }

  @Test
  @Order(4)
  void revokeOnA_stopsServingOnBWithinOneSecond() throws Exception {
    assertEquals(doc + "@3", served(b, Q1));
    ok(admin(a, "POST", "/admin/documents/" + doc + "/revoke", "{\"author\":\"ada\"}"));
    Duration t = within(Duration.ofSeconds(1), () -> served(b, Q1).isEmpty());
    System.out.println("revocation on A stopped serving on B after " + t.toMillis() + " ms");
    assertNotEquals("HIT-BOUND", Harness.tier(ask(b, Q1)));
    assertEquals("REVOKED", ok(admin(b, "GET", "/admin/documents/" + doc, null))
        .get("status").asText());
  }

  @Test
  @Order(5)
  void tamperedVersionInTheCollection_isRefusedNeverServed() throws Exception {
    String q = "Who approves bound documents?";
    String id = createOnAServedOnB(q, "The admins do.");
    // Someone with write access to Solr adds a version 2 with a changed answer and the old
    // signature.
    SharedLog log = (SharedLog) a.gateway.cache().store();
    SharedRecord v1 = log.since(Long.MIN_VALUE, 10_000).stream()
        .filter(r -> r.id().equals("doc/" + id + "/v1")).findFirst().orElseThrow();
    String forged = v1.body().replace("The admins do.", "Anyone may.")
        .replace("\"version\":1", "\"version\":2");
    assertNotEquals(v1.body(), forged);
    log.put(SharedRecord.of("doc/" + id + "/v2", v1.kind(), forged), true);
    Thread.sleep(1000); // five polls of the feed
    assertEquals(id + "@1", served(b, q));
    assertFalse(ask(b, q).body().contains("Anyone may."));
    assertEquals(1, ok(admin(b, "GET", "/admin/documents/" + id + "/versions", null))
        .get("versions").size());
    // The record holds version 2's place: an edit on B, which never took it in, would write
    // version 2 too, and the collection refuses a second version 2, as it does when two
    // instances edit the same version at once.
    HttpResponse<String> conflict = admin(b, "PUT", "/admin/documents/" + id,
        "{\"answer\":\"The owners do.\",\"author\":\"bob\",\"expected_version\":1}");
    assertEquals(409, conflict.statusCode(), conflict.body());
    assertEquals(id + "@1", served(b, q));
  }

  @Test
  @Order(6)
  void restartOfB_losesAndRepeatsNothing() throws Exception {
    JsonNode before = ok(admin(b, "GET", "/admin/documents", null));
    b.gateway.close();
    b = null;
    String q = "Where are the decision logs written?";
    String id = create(a, q, "To standard output.");
    b = new Harness(dir.resolve("b"), upstream.url(), shared);
    // A start with Solr up reads the feed before it serves, so nothing written meanwhile waits.
    assertEquals(id + "@1", served(b, q));
    JsonNode after = ok(admin(b, "GET", "/admin/documents", null));
    assertEquals(before.get("documents").size() + 1, after.get("documents").size());
    Map<String, Integer> versions = new HashMap<>();
    for (JsonNode d : after.get("documents")) {
      versions.put(d.get("id").asText(), d.get("version").asInt());
    }
    for (JsonNode d : before.get("documents")) {
      assertEquals(d.get("version").asInt(), versions.get(d.get("id").asText()));
      int n = ok(admin(b, "GET", "/admin/documents/" + d.get("id").asText() + "/versions",
          null)).get("versions").size();
      assertEquals(d.get("version").asInt(), n, "each version once");
    }
  }

  /** Asks A (a miss it stores), then B, whose exact tier must find A's answer. */
  static HttpResponse<String> learntOnAHitOnB(String q) throws Exception {
    assertEquals("MISS", Harness.tier(ask(a, q)));
    a.gateway.awaitIndexed();
    HttpResponse<String> hit = ask(b, q);
    assertEquals("HIT-EXACT", Harness.tier(hit));
    return hit;
  }

  @Test
  @Order(7)
  void entryStored_isReadAndDeletedByIdAtOnceOnEitherInstance() throws Exception {
    String q = "What does the exact tier key on?";
    HttpResponse<String> hit = learntOnAHitOnB(q);
    String id = hit.headers().firstValue("X-Bound-Entry").orElseThrow();
    // Real-time gets through the entry's pointer: no wait for a soft commit.
    assertEquals(200, admin(b, "GET", "/admin/entries/" + id, null).statusCode());
    assertEquals(204, admin(a, "DELETE", "/admin/entries/" + id, null).statusCode());
    assertEquals(404, admin(b, "GET", "/admin/entries/" + id, null).statusCode());
    // B's hot tier held it; the eviction reaches it with B's next read of the feed.
    within(Duration.ofSeconds(1), () -> !Harness.tier(askQuietly(b, q)).equals("HIT-EXACT"));
  }

  @Test
  @Order(9)
  void modelVersionChangeOnA_stopsOldAnswersOnBWithinOneSecond() throws Exception {
    String q = "What is the capital of Australia?";
    learntOnAHitOnB(q);
    version.set("sim-v2");
    try {
      assertEquals("MISS", Harness.tier(ask(a, "A question that reaches the upstream?")));
      // B has never seen sim-v2 from its upstream; A's change reaches it through the feed.
      Duration t = within(Duration.ofSeconds(1),
          () -> !Harness.tier(askQuietly(b, q)).equals("HIT-EXACT"));
      System.out.println("model version change on A stopped old answers on B after "
          + t.toMillis() + " ms");
      HttpResponse<String> r = ask(b, q);
      assertTrue(r.body().contains("sim-v2"), r.body());
    } finally {
      version.set("sim-v1");
    }
  }

  @Test
  @Order(8)
  void badRatingOnA_reachesBsEvidence_andHitsAreCountedOnBoth() throws Exception {
    String[] pair = SharedData.positives().get(0);
    String stored = learntOnAHitOnB(pair[0]).headers().firstValue("X-Bound-Entry").orElseThrow();
    // The semantic tier sees it after the soft commit, which each replica makes on its own: a
    // search may reach one that has not yet. The asks before that store nothing (no-store).
    within(Duration.ofSeconds(5), () -> SharedSolrTest.nearest(a, pair[1]).contains(stored));
    java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    within(Duration.ofSeconds(5), () -> {
      try {
        seen.set(a.post("/chat/completions", Harness.ask(pair[1]), "Cache-Control", "no-store"));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return "HIT-SEMANTIC".equals(Harness.tier(seen.get()));
    });
    HttpResponse<String> hit = seen.get();
    assertEquals("HIT-SEMANTIC", Harness.tier(hit), SharedSolrTest.reason(hit));
    String entry = hit.headers().firstValue("X-Bound-Entry").orElseThrow();
    Matching onB = b.gateway.cache().matching();
    long badBefore = onB.estimate().overall().feedbackBad();
    assertEquals(0, onB.evidence(entry).observations());

    HttpResponse<String> rated = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + a.gateway.port() + "/v1/feedback")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\""
            + Json.MAPPER.readTree(hit.body()).get("id").asText() + "\",\"rating\":\"bad\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, rated.statusCode(), rated.body());
    // A writes its new evidence every 10 s; here at once. B reads the feed every 200 ms.
    a.gateway.shareNow();
    Duration t = within(Duration.ofSeconds(2), () -> onB.evidence(entry).observations() == 1);
    System.out.println("bad rating on A reached B's evidence " + t.toMillis() + " ms after "
        + "A wrote it");
    assertEquals(badBefore + 1, onB.estimate().overall().feedbackBad());

    // B's exact hit and A's semantic hit of the same entry, added up on both. Each instance
    // writes its counts every 30 s when they changed; here at once.
    a.gateway.awaitIdle();
    b.gateway.awaitIdle();
    a.gateway.shareNow();
    b.gateway.shareNow();
    Duration counted = within(Duration.ofSeconds(2),
        () -> hitsOf(a, stored) == 2 && hitsOf(b, stored) == 2);
    System.out.println("hit counts added up on both " + counted.toMillis() + " ms after "
        + "they were written");
  }

  private static long hitsOf(Harness h, String entry) {
    try {
      return ok(admin(h, "GET", "/admin/entries/" + entry, null)).path("hits").asLong(-1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(10)
  void variantPoolFilledOnA_isServedByB() throws Exception {
    Map<String, String> variants = new HashMap<>(shared);
    variants.put("storage.solr.collection", "variants");
    variants.put("cache.variants.pool-size", "3");
    String poem = "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Write a short poem about the sea.\"}]}"; // default temperature
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness va = new Harness(dir.resolve("va"), up.url(), variants);
        Harness vb = new Harness(dir.resolve("vb"), up.url(), variants)) {
      Set<String> fromUpstream = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = va.post("/chat/completions", poem);
        assertEquals("MISS", Harness.tier(r));
        fromUpstream.add(Json.MAPPER.readTree(r.body()).at("/choices/0/message/content")
            .asText());
        va.gateway.awaitIndexed();
      }
      assertEquals(3, fromUpstream.size());
      // B finds a pool by vector search, which sees the variants after the soft commit; each
      // replica makes its own, so the search must see all three on whichever it reaches.
      SharedSolrTest.steadily(Duration.ofSeconds(5), Duration.ofSeconds(1), () -> new HashSet<>(
          SharedSolrTest.nearest(vb, "Write a short poem about the sea.")).size() == 3);
      long calls = up.calls();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = vb.post("/chat/completions", poem);
        assertEquals("HIT-VARIANT", Harness.tier(r), SharedSolrTest.reason(r) + ", pool "
            + r.headers().firstValue("X-Bound-Pool").orElse("unread"));
        assertEquals("3/3", r.headers().firstValue("X-Bound-Pool").orElseThrow());
        assertTrue(fromUpstream.contains(Json.MAPPER.readTree(r.body())
            .at("/choices/0/message/content").asText()));
      }
      assertEquals(calls, up.calls(), "B answered from A's pool alone");
    }
  }

  @Test
  @Order(11)
  void documentsMadeBeforeSharing_reachTheCollectionOnTheFirstSharedStart() throws Exception {
    String q = "Was this written before Solr?";
    String id;
    try (Harness alone = new Harness(dir.resolve("m"), upstream.url(),
        Map.of("admin.token", ADMIN))) {
      id = create(alone, q, "Yes, on the embedded store.");
    }
    try (Harness m = new Harness(dir.resolve("m"), upstream.url(), shared)) {
      Duration t = within(Duration.ofSeconds(1), () -> served(b, q).equals(id + "@1"));
      System.out.println("document kept only on M served on B " + t.toMillis()
          + " ms after M's start");
      assertEquals(id + "@1", served(m, q));
    }
  }

  @Test
  @Order(12)
  void startWhileSolrIsDown_servesUpstreamOnlyThenPreparesTheCollection() throws Exception {
    // A and B are done; closed first, their change feeds no longer call the nodes being stopped
    // (a stop waits for the requests a node is serving; one run timed out there).
    a.close();
    b.close();
    a = null;
    b = null;
    cluster.stopAll();
    Map<String, String> late = new HashMap<>(shared);
    late.put("storage.solr.collection", "late");
    List<AutoCloseable> open = new ArrayList<>();
    try {
      Harness c = new Harness(dir.resolve("c"), upstream.url(), late);
      open.add(c);
      String q = "Is Solr up yet?";
      HttpResponse<String> r = ask(c, q);
      assertEquals(200, r.statusCode());
      assertEquals("MISS", Harness.tier(r));
      assertEquals(Reason.STORAGE_UNAVAILABLE.code(),
          r.headers().firstValue("X-Bound-Reason").orElse(""));
      assertEquals(503, c.getOutsideApi("/readyz").statusCode());
      HttpResponse<String> refused = admin(c, "POST", "/admin/documents", "{\"questions\":"
          + "[\"x?\"],\"answer\":\"y\",\"author\":\"ada\"}");
      assertEquals(503, refused.statusCode());
      assertTrue(refused.body().contains("\"code\":\"storage_unavailable\""), refused.body());

      cluster.startAll();
      within(Duration.ofSeconds(60), () -> readyz(c) == 200);
      // The collection was created, and what C learnt meanwhile reached it.
      within(Duration.ofSeconds(10), () -> "HIT-EXACT".equals(Harness.tier(askQuietly(c, q))));
      String id = create(c, "Is the late collection shared?", "Yes.");
      assertEquals(id + "@1", served(c, "Is the late collection shared?"));
    } finally {
      for (AutoCloseable x : open) {
        x.close();
      }
    }
  }
}
