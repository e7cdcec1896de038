package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.solrcluster.launch.SolrCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SolrCloud store against a one-node cluster that requires HTTP basic authentication
 * ({@code storage.solr.user} and its password): the right credentials work, wrong or missing
 * ones are refused at the start as a configuration mistake, not taken for an outage.
 */
class SolrBasicAuthTest {
  private static final StoreOptions OPTIONS = new StoreOptions("test-embedder", 4, 0);
  private static final String USER = "bound";
  private static final String PASSWORD = "a-long-test-password";
  @TempDir static Path dir;
  static SolrCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = SolrCluster.startWithBasicAuth(1, dir, USER, PASSWORD);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SolrOptions options(String user, String password) {
    return new SolrOptions(cluster.urls(), "secured", user, password, 1, 1,
        Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  @Test
  void rightCredentials_createTheCollectionAndStoreAndFind() throws Exception {
    try (SolrAnswerStore s = SolrAnswerStore.open(options(USER, PASSWORD), OPTIONS)) {
      assertTrue(s.prepared());
      float[] v = AnswerStoreTest.unit(1, 0, 0, 0);
      s.addAll(java.util.List.of(AnswerStoreTest.entry("ent_1", "scope-a", "what is bound", v)));
      s.commit();
      assertEquals("ent_1", s.exact("scope-a", "what is bound").orElseThrow().id());
      SolrAnswerStoreTest.eventually(() -> s.nearest("scope-a", v, 1).size() == 1);
    }
  }

  @Test
  void passwordChangedWhileServing_isAnOutage_notAFailureOfTheRequest() throws Exception {
    try (SolrAnswerStore s = SolrAnswerStore.open(options(USER, PASSWORD), OPTIONS)) {
      s.add(AnswerStoreTest.entry("ent_p", "scope-p", "k", AnswerStoreTest.unit(0, 1, 0, 0)));
      setPassword(PASSWORD, "a-changed-password");
      try {
        RuntimeException e = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (e == null && System.nanoTime() < deadline) {
          try {
            s.exact("scope-p", "k");
            Thread.sleep(100); // the new password reaches the node through ZooKeeper
          } catch (RuntimeException thrown) {
            e = thrown;
          }
        }
        assertTrue(e instanceof StorageUnavailableException, String.valueOf(e));
        assertEquals("Solr refused Bound's credentials (HTTP 401) when asked to look up an "
            + "exact key; check storage.solr.user and BOUND_STORAGE_SOLR_PASSWORD",
            e.getMessage());
      } finally {
        setPassword("a-changed-password", PASSWORD);
      }
    }
  }

  /** Changes the user's password through Solr's authentication API. */
  private static void setPassword(String now, String next) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                cluster.urls().get(0) + "/admin/authentication"))
            .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                (USER + ":" + now).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"set-user\":{\"" + USER + "\":\"" + next + "\"}}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void wrongPassword_isRefusedAtStart_asAConfigurationMistake() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SolrAnswerStore.open(options(USER, "not-the-password"), OPTIONS).close());
    assertEquals(refusedAtStart(), e.getMessage());
  }

  @Test
  void noCredentials_areRefusedAtStart_asAConfigurationMistake() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SolrAnswerStore.open(options("", ""), OPTIONS).close());
    assertEquals(refusedAtStart(), e.getMessage());
  }

  /**
   * A Bound started while Solr was down gets in line to prepare the collection; when Solr comes
   * up refusing its credentials, the calls say so rather than that no node has answered.
   */
  @Test
  void wrongPassword_whenSolrComesUpAfterTheStart_isReportedAsRefused() throws Exception {
    cluster.stopAll();
    try (SolrAnswerStore s = SolrAnswerStore.open(options(USER, "not-the-password"), OPTIONS)) {
      assertTrue(!s.prepared());
      cluster.startAll();
      String message = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!message.startsWith("Solr refused") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        message = assertThrows(StorageUnavailableException.class, () -> s.exact("s", "k"))
            .getMessage();
      }
      assertEquals(refusedAtStart(), message);
    } finally {
      cluster.startAll();
    }
  }

  private static String refusedAtStart() {
    return "Solr refused Bound's credentials at " + cluster.urls().get(0)
        + " (HTTP 401); check storage.solr.user and BOUND_STORAGE_SOLR_PASSWORD";
  }
}
