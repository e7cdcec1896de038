package dev.bound.solrcluster;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Properties;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.cloud.ZkTestServer;
import org.apache.solr.common.util.Utils;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.solr.security.Sha256AuthenticationProvider;
import org.eclipse.jetty.server.Server;

/**
 * Starts a real SolrCloud (embedded ZooKeeper and {@code args[0]} Solr nodes) for Bound's tests and
 * prints one line {@code READY urls=<url>,<url> zk=<host:port>}. It then reads commands from
 * standard input, one a line, answering each with a line that starts with {@code OK} or {@code
 * ERR}: {@code stop N} and {@code start N} stop and restart node N on the same port, {@code
 * stop-all} and {@code start-all} all of them, {@code healthy C} waits until every replica of
 * collection C is active. The cluster stops when standard input closes (the
 * test JVM died) or on a signal, so a crashed test never leaves Solr running.
 *
 * <p>With the system property {@code bound.solr.basic-auth=USER:PASSWORD} the cluster requires
 * HTTP basic authentication for every request (Solr's {@code BasicAuthPlugin}, unknown users
 * blocked) and lets that user do everything. With {@code bound.solr.restart-ports=P,P} it starts
 * the cluster a killed run left in the folder again, its nodes on those ports.
 */
public final class SolrClusterMain {
  private SolrClusterMain() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Path base = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("bound-solr");
    MiniSolrCloudCluster.Builder builder = new MiniSolrCloudCluster.Builder(nodes, base)
        .withJettyConfig(b -> b.setContext("/solr"));
    String auth = System.getProperty("bound.solr.basic-auth");
    if (auth != null) {
      builder.withSecurityJson(securityJson(auth.substring(0, auth.indexOf(':')),
          auth.substring(auth.indexOf(':') + 1)));
    }
    // Restarting a killed cluster: its ZooKeeper data and nodes' cores, on the nodes' old ports.
    String restart = System.getProperty("bound.solr.restart-ports");
    MiniSolrCloudCluster cluster = restart == null ? builder.build() : restarted(base, restart);
    Thread hook = new Thread(() -> shutdown(cluster), "solr-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // The cluster forgets a stopped node; keep every node so a stopped one can be restarted.
    List<JettySolrRunner> all = List.copyOf(cluster.getJettySolrRunners());
    List<String> urls = new ArrayList<>();
    for (JettySolrRunner j : all) {
      urls.add(j.getBaseUrl().toString());
    }
    System.out.println("READY urls=" + String.join(",", urls)
        + " zk=" + cluster.getZkServer().getZkAddress());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      try {
        System.out.println(command(cluster, all, line.trim()));
      } catch (Exception e) {
        System.out.println("ERR " + e);
      }
      System.out.flush();
    }
    // Standard input closed: the test JVM is done or gone.
    System.exit(0);
  }

  /**
   * The cluster a killed run left in {@code base}, started again: ZooKeeper on its old data (so
   * the collections are there), and node {@code i} from its old folder ({@code node<i+1>}, as
   * the first run named them) on the {@code i}-th of {@code ports}.
   */
  private static MiniSolrCloudCluster restarted(Path base, String ports) throws Exception {
    ZkTestServer zk = new ZkTestServer(base.resolve("zookeeper/server1/data"));
    zk.run(false);
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster(0, base,
        MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML, JettyConfig.builder().setContext("/solr")
            .build(), zk, false);
    String[] each = ports.split(",");
    for (int i = 0; i < each.length; i++) {
      Properties props = new Properties();
      props.setProperty("zkHost", zk.getZkAddress());
      JettySolrRunner j = new JettySolrRunner(base.resolve("node" + (i + 1)).toString(), props,
          JettyConfig.builder().setContext("/solr").setPort(Integer.parseInt(each[i])).build());
      cluster.startJettySolrRunner(j);
    }
    cluster.waitForAllNodes(120);
    return cluster;
  }

  /** Basic authentication for one user with every permission; JSON as Solr's security.json. */
  static String securityJson(String user, String password) {
    String hash = Sha256AuthenticationProvider.getSaltedHashedValue(password);
    return Utils.toJSONString(Map.of(
        "authentication", Map.of("class", "solr.BasicAuthPlugin", "blockUnknown", true,
            "credentials", Map.of(user, hash)),
        "authorization", Map.of("class", "solr.RuleBasedAuthorizationPlugin",
            "permissions", List.of(Map.of("name", "all", "role", "admin")),
            "user-role", Map.of(user, "admin"))));
  }

  private static String command(MiniSolrCloudCluster cluster, List<JettySolrRunner> all,
      String line) throws Exception {
    String[] words = line.split("\\s+");
    switch (words[0]) {
      case "stop" -> {
        stop(cluster, all.get(Integer.parseInt(words[1])));
        return "OK stopped " + words[1];
      }
      case "start" -> {
        JettySolrRunner j = all.get(Integer.parseInt(words[1]));
        cluster.startJettySolrRunner(j, true);
        cluster.waitForNode(j, 60);
        return "OK started " + words[1];
      }
      case "stop-all" -> {
        for (JettySolrRunner j : List.copyOf(cluster.getJettySolrRunners())) {
          stop(cluster, j);
        }
        return "OK stopped all";
      }
      case "start-all" -> {
        for (JettySolrRunner j : all) {
          if (!j.isRunning()) {
            cluster.startJettySolrRunner(j, true);
          }
        }
        cluster.waitForAllNodes(60);
        return "OK started all";
      }
      case "healthy" -> {
        cluster.waitForActiveCollection(words[1], 120, TimeUnit.SECONDS);
        return "OK healthy " + words[1];
      }
      default -> {
        return "ERR unknown command: " + line;
      }
    }
  }

  /** Stops one node at once, without draining its requests (see {@link #noGrace}). */
  private static void stop(MiniSolrCloudCluster cluster, JettySolrRunner j) throws Exception {
    noGrace(j);
    cluster.stopJettySolrRunner(j);
    cluster.waitForJettyToStop(j);
  }

  /**
   * Takes away the 15 s that JettySolrRunner gives its Jetty to drain requests in flight. The
   * tests stop nodes under load, where a request waiting on a replica already stopped never
   * drains: the graceful stop then gave up with a TimeoutException and left the node half
   * stopped (twice in full runs). A test that stops a node wants it down, as a crash would.
   * If a later Solr names the field otherwise, the stop stays graceful.
   */
  private static void noGrace(JettySolrRunner j) {
    try {
      Field f = JettySolrRunner.class.getDeclaredField("server");
      f.setAccessible(true);
      ((Server) f.get(j)).setStopTimeout(0);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("cannot shorten the stop of " + j.getBaseUrl() + ": " + e);
    }
  }

  private static void shutdown(MiniSolrCloudCluster cluster) {
    cluster.getJettySolrRunners().forEach(SolrClusterMain::noGrace);
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("solr cluster shutdown failed: " + e);
    }
  }
}
