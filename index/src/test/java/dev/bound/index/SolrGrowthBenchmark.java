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
 *
 * <p>System properties: {@code bound.growth.backends} (default {@code embedded,solrcloud}),
 * {@code bound.growth.shards} (1), {@code bound.growth.replicas} (2) and
 * {@code bound.growth.solr-heap} (2g, the heap of the JVM both Solr nodes run in).
 */
public final class SolrGrowthBenchmark {
  private static final int DIM = 384;
  private static final int LOOKUPS = 300;

  private SolrGrowthBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "10000,30000,100000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    List<String> backends = List.of(System.getProperty("bound.growth.backends",
        "embedded,solrcloud").split(","));
    int shards = Integer.getInteger("bound.growth.shards", 1);
    int replicas = Integer.getInteger("bound.growth.replicas", 2);
    String heap = System.getProperty("bound.growth.solr-heap", "2g");
    Path dir = Files.createTempDirectory("bound-growth");
    StoreOptions opts = new StoreOptions("bench-384", DIM, 0);
    System.out.printf("SolrCloud: %d shard(s) of %d replica(s), nodes' heap %s; backends %s%n",
        shards, replicas, heap, backends);
    // The full JIT and a larger heap, unlike the tests' quick-start cluster.
    try (SolrCluster cluster = SolrCluster.start(2, dir.resolve("solr"),
            List.of("-Xmx" + heap, "-XX:+UseG1GC", "--add-modules", "jdk.incubator.vector"));
        SolrAnswerStore solr = SolrAnswerStore.open(new SolrOptions(cluster.urls(), "growth", "",
            "", shards, replicas, Duration.ofSeconds(1), Duration.ofSeconds(60)), opts);
        AnswerStore embedded = AnswerStore.open(dir.resolve("embedded"), opts)) {
      List<AnswerBackend> stores = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (backends.contains("embedded")) {
        stores.add(embedded);
        names.add("embedded");
      }
      if (backends.contains("solrcloud")) {
        stores.add(solr);
        names.add("solrcloud");
      }
      System.out.println("| backend | entries | adds/s | exact p50 ms | exact p99 ms "
          + "| knn p50 ms | knn p99 ms | disk MiB |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      Random random = new Random(42);
      int have = 0;
      for (int size : sizes) {
        // Made a batch at a time and handed to every store in turn, so a million entries
        // never sit in this JVM's heap at once.
        long[] nanos = new long[stores.size()];
        for (int from = have; from < size; from += 500) {
          List<Entry> batch = new ArrayList<>();
          for (int i = from; i < Math.min(size, from + 500); i++) {
            batch.add(entry(i, random));
          }
          for (int s = 0; s < stores.size(); s++) {
            long t0 = System.nanoTime();
            stores.get(s).addAll(batch);
            nanos[s] += System.nanoTime() - t0;
          }
        }
        for (int s = 0; s < stores.size(); s++) {
          long t0 = System.nanoTime();
          stores.get(s).commit();
          nanos[s] += System.nanoTime() - t0;
        }
        int added = size - have;
        have = size;
        while (backends.contains("solrcloud") && solr.size() < size) {
          Thread.sleep(100); // the soft commit makes the last batch searchable
        }
        for (int s = 0; s < stores.size(); s++) {
          String name = names.get(s);
          row(name, size, added / (nanos[s] / 1e9), stores.get(s), new Random(7), size,
              bytes(dir.resolve(name.equals("embedded") ? "embedded" : "solr")));
        }
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
