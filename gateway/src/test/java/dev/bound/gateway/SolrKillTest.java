package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.solrcluster.launch.SolrCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Bound instance on a one-node SolrCloud whose process is killed (SIGKILL: ZooKeeper and
 * the node at once, no goodbye on any connection) while Bound serves, then started again from
 * what it left on disk.
 */
class SolrKillTest {
  static final Path dir = Path.of("target", "solr-kill-test-" + ProcessHandle.current().pid());
  static SolrCluster cluster;
  static SimulatedUpstream upstream;
  static Harness bound;

  @BeforeAll
  static void start() throws Exception {
    cluster = SolrCluster.start(1, dir.resolve("solr"));
    upstream = Harness.fastUpstream();
    bound = SharedSolrTest.oneNode(dir.resolve("bound"), cluster, upstream, "kill");
  }

  @AfterAll
  static void stop() throws Exception {
    SharedSolrTest.closeAll(java.util.Arrays.asList(bound, upstream, cluster),
        List.of(dir.resolve("bound"), dir.resolve("other"), dir.resolve("solr/cluster")));
  }

  @Test
  void solrKilled_requestsGoUpstream_andTheCacheWorksAgainWhenSolrIsBack() throws Exception {
    String before = "Which gas do plants take in?";
    assertEquals("MISS", Harness.tier(SharedSolrTest.ask(bound, before)));
    bound.gateway.awaitIndexed();
    assertEquals("HIT-EXACT", Harness.tier(SharedSolrTest.ask(bound, before)));

    cluster.kill();
    String during = "Which planet is known as the red planet?";
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = SharedSolrTest.ask(bound, "Killed question " + i + "?");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("MISS", Harness.tier(r));
      assertEquals(Reason.STORAGE_UNAVAILABLE.code(), SharedSolrTest.reason(r));
    }
    HttpResponse<String> fresh = SharedSolrTest.ask(bound, during);
    assertEquals(200, fresh.statusCode(), fresh.body());
    assertEquals(Reason.STORAGE_UNAVAILABLE.code(), SharedSolrTest.reason(fresh));
    assertEquals(503, bound.getOutsideApi("/readyz").statusCode());

    cluster = cluster.restart();
    cluster.awaitHealthy("kill");
    SharedSolrTest.within(Duration.ofSeconds(60), () -> SharedSolrTest.readyz(bound) == 200);
    // What Solr held before the kill is there, and what was learnt meanwhile reaches it.
    SharedSolrTest.within(Duration.ofSeconds(60), () -> inSolr("red planet")
        && inSolr("plants take in") && bound.gateway.cache().backlog() == 0);
    long calls = upstream.calls();
    assertEquals("HIT-EXACT", Harness.tier(SharedSolrTest.ask(bound, during)));
    String after = "What is the boiling point of water at sea level?";
    HttpResponse<String> miss = SharedSolrTest.ask(bound, after);
    assertEquals("MISS", Harness.tier(miss));
    assertEquals("no_candidate", SharedSolrTest.reason(miss), "an ordinary miss, with storage");
    bound.gateway.awaitIndexed();
    SharedSolrTest.within(Duration.ofSeconds(10), () -> inSolr("boiling point"));
    assertEquals("HIT-EXACT", Harness.tier(SharedSolrTest.ask(bound, after)));
    assertEquals(calls + 1, upstream.calls());
  }

  @Test
  void collectionDeletedWhileServing_requestsGoUpstream_untilBoundCreatesItAgain()
      throws Exception {
    try (Harness other = SharedSolrTest.oneNode(dir.resolve("other"), cluster, upstream, "gone")) {
      assertEquals("MISS", Harness.tier(SharedSolrTest.ask(other, "A first question?")));
      HttpResponse<String> deleted = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.urls().get(0)
              + "/admin/collections?action=DELETE&name=gone")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, deleted.statusCode(), deleted.body());
      HttpResponse<String> r = SharedSolrTest.ask(other, "Asked after the delete?");
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("MISS", Harness.tier(r));
      assertEquals(Reason.STORAGE_UNAVAILABLE.code(), SharedSolrTest.reason(r));
      // Before, /readyz said 503 "no longer exists" until Bound was started again.
      SharedSolrTest.within(Duration.ofSeconds(90),
          () -> ready(other) == 200);
      // The answer journaled during the outage is stored in the new collection.
      SharedSolrTest.within(Duration.ofSeconds(30), () -> inSolr(other, "after the delete"));
      long calls = upstream.calls();
      HttpResponse<String> again = SharedSolrTest.ask(other, "Asked after the delete?");
      assertEquals("HIT-EXACT", Harness.tier(again), again.body());
      assertEquals(calls, upstream.calls());
    }
  }

  private static int ready(Harness h) {
    try {
      return h.getOutsideApi("/readyz").statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static boolean inSolr(String text) {
    return inSolr(bound, text);
  }

  private static boolean inSolr(Harness h, String text) {
    try {
      return !h.gateway.cache().store().browse(text, null, null, 0, 1, 1000).isEmpty();
    } catch (RuntimeException e) {
      return false; // still coming back
    }
  }
}
