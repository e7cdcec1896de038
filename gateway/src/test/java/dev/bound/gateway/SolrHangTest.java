package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.solrcluster.launch.SolrCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One Bound instance on a one-node SolrCloud whose process is stopped (SIGSTOP) while Bound
 * serves: Solr's port accepts connections and never answers, the worst an outage can look like.
 */
class SolrHangTest {
  static final Path dir = Path.of("target", "solr-hang-test-" + ProcessHandle.current().pid());
  static SolrCluster cluster;
  static SimulatedUpstream upstream;
  static Harness bound;
  private static final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = SolrCluster.start(1, dir.resolve("solr"));
    upstream = Harness.fastUpstream();
    bound = SharedSolrTest.oneNode(dir.resolve("bound"), cluster, upstream, "hang");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.thaw();
    }
    SharedSolrTest.closeAll(java.util.Arrays.asList(bound, upstream, cluster),
        List.of(dir.resolve("bound"), dir.resolve("other"), dir.resolve("solr/cluster")));
  }

  /** A GET outside /v1 that must be answered within {@code limit}, else the test fails. */
  private static HttpResponse<String> get(String path, Duration limit) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + bound.gateway.port() + path)).timeout(limit).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void solrHung_readyzAndMetricsAnswerWithinASecond() throws Exception {
    assertEquals(200, get("/readyz", Duration.ofSeconds(10)).statusCode());
    cluster.freeze();
    try {
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> ready = get("/readyz", Duration.ofSeconds(30));
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("storage unavailable"), ready.body());
        assertTrue(readyMs < 1_500, "/readyz took " + readyMs + " ms");
        t0 = System.nanoTime();
        HttpResponse<String> metrics = get("/metrics", Duration.ofSeconds(30));
        long metricsMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("bound_index_entries NaN"), metrics.body());
        assertTrue(metricsMs < 1_500, "/metrics took " + metricsMs + " ms");
      }
    } finally {
      cluster.thaw();
    }
    SharedSolrTest.within(Duration.ofSeconds(30), () -> SharedSolrTest.readyz(bound) == 200);
  }

  /**
   * Bound says what an outage is in lines of its own; SolrJ's lines (a stack trace for each
   * request body it could not write, a line for each retry) stay out of the log. The instance is
   * closed during the outage too, which interrupts the writers SolrJ left waiting.
   */
  @Test
  void solrDown_logsNoStackTraces_andReadyzSaysWhyInOneLine() throws Exception {
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream caught = new java.io.ByteArrayOutputStream();
    String index;
    Harness other = SharedSolrTest.oneNode(dir.resolve("other"), cluster, upstream, "hang");
    try {
      System.setErr(new java.io.PrintStream(caught, true,
          java.nio.charset.StandardCharsets.UTF_8));
      cluster.stopAll();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = SharedSolrTest.ask(other, "Down question " + i + "?");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Reason.STORAGE_UNAVAILABLE.code(), SharedSolrTest.reason(r));
        Thread.sleep(700); // past the pause after a failure: each one asks Solr again
      }
      HttpResponse<String> ready = other.getOutsideApi("/readyz");
      assertEquals(503, ready.statusCode(), ready.body());
      index = Json.MAPPER.readTree(ready.body()).path("checks").path("index").asText();
      Thread.sleep(2_000); // the indexer's and the change feed's retries meet the outage too
      other.close();
    } finally {
      System.setErr(stderr);
      cluster.startAll();
    }
    String printed = caught.toString(java.nio.charset.StandardCharsets.UTF_8);
    stderr.print(printed);
    assertTrue(index.startsWith("storage unavailable: ") && !index.contains("\n")
        && index.length() <= 300, index);
    java.util.regex.Pattern solrj = java.util.regex.Pattern.compile(" (CloudSolrClient|"
        + "LBSolrClient|HttpJdkSolrClient|BaseHttpClusterStateProvider|HttpClusterStateProvider"
        + "|ZkStateReader|org\\.apache\\.solr\\.\\S+) - ");
    assertTrue(printed.lines().noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")
        || solrj.matcher(l).find()), "SolrJ's own lines in the log:\n" + printed);
    cluster.awaitHealthy("hang");
    SharedSolrTest.within(Duration.ofSeconds(30), () -> SharedSolrTest.readyz(bound) == 200);
  }
}
