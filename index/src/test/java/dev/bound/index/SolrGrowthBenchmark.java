package dev.bound.index;

import dev.bound.solrcluster.launch.SolrCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * How the answer store's costs grow with its size, the embedded Lucene index and a two-node
 * SolrCloud (one shard, two replicas, both nodes in one 2 GiB JVM on this machine) side by side: adds per second, the exact
 * lookup and the k=5 vector search (p50 and p99 over 300 lookups each), and bytes on disk, at
 * each size in {@code args} (default 10000,30000,100000). Random 384-dimension unit vectors, one
 * scope, a 60-character prompt and a 600-character answer per entry. Not a test; run it with
 *
 * <pre>
 * mvn -B -o -q -pl index -am test-compile
 * mvn -B -o -q -pl index dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp index/target/test-classes:index/target/classes:$(cat /tmp/cp.txt) \
 *     dev.bound.index.SolrGrowthBenchmark 10000,30000,100000
 * </pre>
 */
public final class SolrGrowthBenchmark {
  private static final int DIM = 384;
  private static final int LOOKUPS = 300;

  private SolrGrowthBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "10000,30000,100000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    Path dir = Files.createTempDirectory("bound-growth");
    StoreOptions opts = new StoreOptions("bench-384", DIM, 0);
    // The full JIT and a larger heap, unlike the tests' quick-start cluster.
    try (SolrCluster cluster = SolrCluster.start(2, dir.resolve("solr"),
            List.of("-Xmx2g", "-XX:+UseG1GC", "--add-modules", "jdk.incubator.vector"));
        SolrAnswerStore solr = SolrAnswerStore.open(new SolrOptions(cluster.urls(), "growth", "",
            "", 1, 2, Duration.ofSeconds(1), Duration.ofSeconds(60)), opts);
        AnswerStore embedded = AnswerStore.open(dir.resolve("embedded"), opts)) {
      System.out.println("| backend | entries | adds/s | exact p50 ms | exact p99 ms "
          + "| knn p50 ms | knn p99 ms | disk MiB |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      Random random = new Random(42);
      int have = 0;
      for (int size : sizes) {
        List<Entry> batch = new ArrayList<>();
        for (int i = have; i < size; i++) {
          batch.add(entry(i, random));
        }
        have = size;
        double solrRate = fill(solr, batch);
        double embeddedRate = fill(embedded, batch);
        while (solr.size() < size) {
          Thread.sleep(100); // the soft commit makes the last batch searchable
        }
        row("embedded", size, embeddedRate, embedded, new Random(7), size,
            bytes(dir.resolve("embedded")));
        row("solrcloud", size, solrRate, solr, new Random(7), size, bytes(dir.resolve("solr")));
      }
    }
  }

  private static Entry entry(int i, Random random) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextGaussian();
    }
    String prompt = String.format("Question number %08d about something worth asking once?", i);
    return new Entry("ent_" + i, "scope", prompt, prompt, v, "bench-model",
        "{\"answer\":\"" + "x".repeat(580) + "\"}", 1_000L + i);
  }

  private static double fill(AnswerBackend store, List<Entry> entries) {
    long t0 = System.nanoTime();
    for (int from = 0; from < entries.size(); from += 500) {
      store.addAll(entries.subList(from, Math.min(entries.size(), from + 500)));
    }
    store.commit();
    return entries.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static void row(String name, int size, double rate, AnswerBackend store, Random random,
      int entries, long disk) {
    long[] exact = new long[LOOKUPS];
    long[] knn = new long[LOOKUPS];
    for (int i = 0; i < LOOKUPS; i++) {
      int n = random.nextInt(entries);
      String key = String.format("Question number %08d about something worth asking once?", n);
      long t0 = System.nanoTime();
      if (store.exact("scope", key).isEmpty()) {
        throw new IllegalStateException(name + " lost entry " + n);
      }
      exact[i] = System.nanoTime() - t0;
      float[] q = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        q[d] = (float) random.nextGaussian();
      }
      t0 = System.nanoTime();
      if (store.nearest("scope", q, 5).size() != 5) {
        throw new IllegalStateException(name + " found fewer than 5 neighbours");
      }
      knn[i] = System.nanoTime() - t0;
    }
    System.out.printf("| %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.0f |%n", name, size, rate,
        pct(exact, 50), pct(exact, 99), pct(knn, 50), pct(knn, 99), disk / 1048576.0);
  }

  private static double pct(long[] nanos, int p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * p / 100)] / 1e6;
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
