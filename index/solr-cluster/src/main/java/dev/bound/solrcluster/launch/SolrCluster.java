package dev.bound.solrcluster.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real SolrCloud for tests, run by {@code SolrClusterMain} in a child JVM with its own class
 * path: Solr 9 brings Lucene 9 and Jetty 10, which must never meet Bound's Lucene 10 and Jetty 12.
 * This class refers to no Solr type, so it may sit on Bound's test class path. Closing it (or the
 * test JVM dying, which closes the child's standard input) stops the cluster.
 */
public final class SolrCluster implements AutoCloseable {
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration COMMAND = Duration.ofMinutes(4);

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> replies = new ArrayBlockingQueue<>(64);
  private final List<String> urls;
  private final String zkHost;
  private final Path log;

  private final int nodes;
  private final Path dir;
  private final List<String> jvmOptions;

  private SolrCluster(Process process, Path log, List<String> urls, String zkHost, int nodes,
      Path dir, List<String> jvmOptions) {
    this.nodes = nodes;
    this.dir = dir;
    this.jvmOptions = jvmOptions;
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.log = log;
    this.urls = urls;
    this.zkHost = zkHost;
  }

  /** Starts a cluster of {@code nodes} Solr nodes in {@code dir}; waits until it is up. */
  public static SolrCluster start(int nodes, Path dir) throws IOException, InterruptedException {
    return start(nodes, dir, QUICK);
  }

  /** Quick to start and small, for tests: the C1 compiler only, and a small serial heap. */
  public static final List<String> QUICK =
      List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /**
   * As {@link #start(int, Path)}, but every request needs HTTP basic authentication as
   * {@code user} with {@code password}, who may do everything.
   */
  public static SolrCluster startWithBasicAuth(int nodes, Path dir, String user, String password)
      throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(QUICK);
    options.add("-Dbound.solr.basic-auth=" + user + ":" + password);
    return start(nodes, dir, options);
  }

  /** As {@link #start(int, Path)}, with these JVM options for the cluster (benchmarks). */
  public static SolrCluster start(int nodes, Path dir, List<String> jvmOptions)
      throws IOException, InterruptedException {
    Path log = dir.resolve("solr-cluster.log");
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of(
        // Solr's own start scripts set these; the test framework expects them.
        "-Dsolr.log.dir=" + dir.resolve("logs"), "-Djetty.testMode=true",
        "-Dsolr.disable.allowUrls=true", "-Dsolr.lock.type=single",
        "-Dsolr.directoryFactory=solr.NRTCachingDirectoryFactory",
        "-cp", classPath(),
        "dev.bound.solrcluster.SolrClusterMain", String.valueOf(nodes),
        dir.resolve("cluster").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
    Thread reader = new Thread(() -> pump(p, log, lines), "solr-cluster-output");
    reader.setDaemon(true);
    reader.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    String ready = awaitLine(lines, "READY ", START, p, log);
    List<String> urls = Arrays.asList(word(ready, "urls=").split(","));
    SolrCluster c = new SolrCluster(p, log, List.copyOf(urls), word(ready, "zk="), nodes, dir,
        List.copyOf(jvmOptions));
    Thread replies = new Thread(() -> {
      try {
        for (String l; (l = lines.take()) != null; ) {
          if (l.startsWith("OK") || l.startsWith("ERR")) {
            c.replies.put(l);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "solr-cluster-replies");
    replies.setDaemon(true);
    replies.start();
    return c;
  }

  /** The nodes' base URLs, such as {@code http://127.0.0.1:41234/solr}, node 0 first. */
  public List<String> urls() {
    return urls;
  }

  /** The embedded ZooKeeper's address with the cluster's chroot. */
  public String zkHost() {
    return zkHost;
  }

  /** Stops node {@code n}; its port stays reserved for {@link #startNode}. */
  public void stopNode(int n) throws IOException, InterruptedException {
    command("stop " + n);
  }

  /** Starts node {@code n} again on its old port. */
  public void startNode(int n) throws IOException, InterruptedException {
    command("start " + n);
  }

  /** Stops every Solr node; ZooKeeper stays up. */
  public void stopAll() throws IOException, InterruptedException {
    command("stop-all");
  }

  /** Starts every stopped node again. */
  public void startAll() throws IOException, InterruptedException {
    command("start-all");
  }

  /** Kills the cluster's process (SIGKILL): ZooKeeper and every node die at once, as in a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Starts a {@link #kill killed} cluster again from what it left in its folder, on the same
   * ports, so its collections and what they held are back where they were.
   */
  public SolrCluster restart() throws IOException, InterruptedException {
    List<String> options = new ArrayList<>(jvmOptions);
    List<String> ports = new ArrayList<>();
    for (String u : urls) {
      ports.add(String.valueOf(java.net.URI.create(u).getPort()));
    }
    options.add("-Dbound.solr.restart-ports=" + String.join(",", ports));
    return start(nodes, dir, options);
  }

  /**
   * Stops the cluster's process with SIGSTOP, as a Solr that hangs: its ports still accept
   * connections, nothing answers. {@link #thaw} lets it go on.
   */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a {@link #freeze frozen} cluster go on (SIGCONT). */
  public void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
        .inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits until every replica of {@code collection} is active (after a node came back). */
  public void awaitHealthy(String collection) throws IOException, InterruptedException {
    command("healthy " + collection);
  }

  private synchronized void command(String line) throws IOException, InterruptedException {
    commands.write(line + "\n");
    commands.flush();
    String reply = replies.poll(COMMAND.toSeconds(), TimeUnit.SECONDS);
    if (reply == null || !reply.startsWith("OK")) {
      throw new IllegalStateException("solr cluster: '" + line + "' answered " + reply
          + "; see " + log);
    }
  }

  @Override
  public void close() {
    try {
      commands.close(); // the child stops its cluster when its input ends
    } catch (IOException ignored) {
      // it may be gone already
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The child's class path: this module's classes and the resolved dependencies its build wrote
   * to {@code cluster-classpath.txt} beside them.
   */
  static String classPath() throws IOException {
    Path self;
    try {
      self = Path.of(SolrCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path file = self.getParent().resolve("cluster-classpath.txt");
    if (!Files.exists(file)) {
      throw new IOException(file + " is missing; build the bound-solr-cluster module first");
    }
    return self + java.io.File.pathSeparator + Files.readString(file).strip();
  }

  private static void pump(Process p, Path log, BlockingQueue<String> lines) {
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // appended to: a restarted cluster's log follows the one it replaces, whose last lines
        // say why it went down
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
      out.write("--- cluster process " + p.pid() + " started\n");
      for (String l; (l = in.readLine()) != null; ) {
        out.write(l);
        out.write('\n');
        out.flush();
        if (l.startsWith("READY ") || l.startsWith("OK") || l.startsWith("ERR")) {
          lines.put(l);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the child is gone; whoever waits on a line times out and says so
    }
  }

  private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout,
      Process p, Path log) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null && l.startsWith(prefix)) {
        return l;
      }
      if (l == null && !p.isAlive()) {
        throw new IllegalStateException("the Solr cluster exited with " + p.exitValue()
            + " before it was ready; see " + log);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("the Solr cluster was not ready within " + timeout
        + "; see " + log);
  }

  private static String word(String line, String key) {
    for (String w : line.split(" ")) {
      if (w.startsWith(key)) {
        return w.substring(key.length());
      }
    }
    throw new IllegalStateException("no " + key + " in '" + line + "'");
  }
}
