package dev.bound.index;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The two tiers of the {@link AnswerStore} at 10k, 100k and 1M entries: the vector search of the
 * semantic tier ({@link AnswerStore#nearest}, filtered to one scope) and the exact tier (a
 * Caffeine hit, and a miss that falls through to the Lucene term lookup, as every request that is
 * not an exact repeat pays). Entries have random unit vectors of dimension 384, realistic prompt
 * and answer sizes, and 200 scopes of Zipf-distributed sizes (the largest holds about a sixth of
 * the entries, most hold a few hundred); queries pick a scope by the same law, and half are a
 * stored vector plus noise (a paraphrase, cosine about 0.9), half are random (a miss).
 *
 * <p>The store is built through {@link AnswerStore#addAll} in batches, as Bound's indexer does
 * (no force-merge), into {@code index/target/jmh-stores/} and reused by later runs; building a
 * million entries takes many minutes. Each trial prints the process's resident memory at its end;
 * when the trial also built the store that figure includes the build, so run twice to measure a
 * reused store. Run from the repository root:
 *
 * <pre>
 * mvn -q -pl index test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp index/target/test-classes:index/target/classes:$(cat index/target/test.classpath) \
 *     org.openjdk.jmh.Main 'AnswerStoreBenchmark.nearest' -p entries=10000,100000,1000000 \
 *     -p vectors=INT8 -p maxSegments=0,1 -p searchBreadth=4,32 \
 *     -jvmArgsAppend "-Xmx1g -XX:+UseG1GC --add-modules=jdk.incubator.vector"
 * </pre>
 *
 * Add {@code -p exactPerSegment=0,500} to compare the graph with the exhaustive search of small
 * scopes, {@code -p searchCores=1,0} to compare segments walked one after another with the
 * default, and {@code -t 2} to search from two threads at once. With segments walked on other
 * threads, the CPU time printed per call is the calling thread's share only. The last line gives Lucene its SIMD scorers; a {@code -jvmArgsAppend} on the command line
 * replaces the one in {@code @Fork}, so it repeats the heap setting. A store with a bound is the
 * store without one compacted, so {@code cp -al} of a built {@code ...-s0} directory to
 * {@code ...-s1} saves building it twice. {@code nearest} also prints the CPU time each search
 * took and how many paraphrase queries found the entry they paraphrase as their best candidate.
 * Random vectors have no structure for a graph to follow, unlike any real model's; {@code -p
 * vectorFile=FILE} builds the entries from real vectors instead (see {@link #vectorFile}), in
 * stores of their own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(1)
public class AnswerStoreBenchmark {
  static final int DIMENSION = 384;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Param({"10000", "100000", "1000000"})
  int entries;

  @Param({"INT8", "FLOAT32"})
  String vectors;

  @Param({"200"})
  int scopes;

  /**
   * The store's segment bound ({@link StoreOptions#maxSegments()}): 0 builds the store as Lucene's
   * merge policy alone leaves it, n lets the store compact itself to n segments once the build
   * has been quiet for a second, and the trial waits for that before it measures.
   */
  @Param({"0", "1"})
  int maxSegments;

  /**
   * Lucene's filtered (ACORN-style) graph search is used for scopes holding at most this percent
   * of the entries; 0, Lucene's and the store's default, never uses it.
   */
  @Param({"0"})
  int filteredSearchThreshold;

  /** Candidates the graph search gathers before the best 4 are kept. */
  @Param({"4"})
  int searchBreadth;

  /**
   * Scopes with at most this many documents per segment on average (and 2,000 in all) are
   * searched exhaustively, not through the graphs ({@code AnswerStore.EXACT_PER_SEGMENT}; 0:
   * never).
   */
  @Param({"500"})
  int exactPerSegment;

  /**
   * Whether the exact key and id fields have a Bloom filter ({@link StoreCodec}), each in a store
   * of its own (stores built before the filter have no suffix and none), to compare the exact
   * tier's lookups.
   */
  @Param({"true"})
  boolean keyFilter;

  /**
   * A file of real vectors to build the entries from instead of random ones (empty: random),
   * as {@code dev.bound.models.QuestionVectors} writes it: two little-endian ints (count,
   * dimension), then the unit vectors as little-endian floats. The first nine tenths are the
   * base: entry i below their count is base vector i, and each later entry mixes two base vectors
   * a and b as a + λ·b plus a little noise (λ uniform in [0, 0.6)), so the entries stay where real
   * prompts lie and cluster as they do. The last tenth is never stored: the miss queries are
   * drawn from it, so a miss is a real question near many stored ones, not a random direction.
   */
  @Param({""})
  String vectorFile;

  /**
   * The cosine below which candidates are not wanted, as the gateway's matcher passes it
   * ({@link AnswerStore#nearest(String, float[], int, double)}); NaN asks for all four.
   */
  @Param({"NaN"})
  double floor;

  /**
   * Distinct queries, asked in turn (a power of two). The pages of stored answers a run leaves
   * mapped grow with how many different entries its searches read, so with the number of
   * distinct queries more than with the run's length.
   */
  @Param({"4096"})
  int queries;

  /**
   * Scopes of at most this share of a segment (and {@code AnswerStore.SCAN_MAX} documents) are
   * scanned there instead of searched through its graph ({@code AnswerStore.SCAN_SHARE} by
   * default; 0: never).
   */
  @Param({"0.01"})
  double scanShare;

  /**
   * With a floor: whether each search is also run without one, to count the searches whose
   * filtered result differs from the floor's (the margin would then be too small). Doubles the
   * work, so times and memory of such a run mean nothing.
   */
  @Param({"false"})
  boolean checkFloor;

  /**
   * How many vectors a segment's graph search compares looking for an entry above the floor
   * before it gives up ({@code AnswerStore.GRAPH_PATIENCE}, 750; 0 gathers the scope's nearest
   * entries however far below the floor they lie, as Lucene alone does).
   */
  @Param({"750"})
  int graphPatience;

  /**
   * Threads a search may walk its segments on, its own among them ({@code SegmentSearch}); 0:
   * as many as the machine has cores, as the store opens by default; 1: one segment after
   * another on the calling thread.
   */
  @Param({"0"})
  int searchCores;

  private long floorChecked;
  private long floorDiffered;

  private float[][] base;
  private int baseCount;

  /** Paraphrase queries measured, and those whose best candidate was the entry they paraphrase. */
  private long paraphrases;
  private long paraphrasesFound;
  private int[] queryOrigin;
  /** Entries in each query's scope, and the measured CPU times by {@link #SIZE_BUCKETS}. */
  private int[] queryScopeSize;
  private final long[][] cpuBySize = new long[SIZE_BUCKETS.length][1 << 14];
  private final int[] cpuBySizeCount = new int[SIZE_BUCKETS.length];
  /** Upper bounds of the scope sizes the CPU times are told apart by. */
  private static final int[] SIZE_BUCKETS = {1_000, 5_000, 20_000, Integer.MAX_VALUE};

  private AnswerStore store;
  private float[][] queryVectors;
  private String[] queryScopes;
  private String[] hotScopes;
  private String[] hotKeys;
  private int next;

  /** Whether the current iteration is measured (not a warm-up); set before each iteration. */
  private boolean measuring;
  private long[] cpuNanos = new long[1 << 16];
  private int cpuSamples;

  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    if (!vectorFile.isEmpty()) {
      base = readVectors(Path.of(vectorFile));
      baseCount = base.length * 9 / 10;
    }
    String name = entries + "-" + vectors + "-" + scopes + "-s" + maxSegments
        + (keyFilter ? "-keyfilter" : "")
        + (vectorFile.isEmpty() ? "" : "-" + Path.of(vectorFile).getFileName())
        + (StoreCodec.GRAPH_NEIGHBOURS == 16 ? "" : "-m" + StoreCodec.GRAPH_NEIGHBOURS);
    Path dir = Path.of("index", "target", "jmh-stores", name);
    if (!Files.isDirectory(dir.getParent().getParent())) {
      dir = Path.of("target", "jmh-stores", name);
    }
    StoreOptions options = new StoreOptions("synthetic-384", DIMENSION, 256L << 20, maxSegments,
        Duration.ofSeconds(1));
    StoreCodec codec = new StoreCodec(StoreCodec.Vectors.valueOf(vectors), keyFilter);
    int cores = searchCores > 0 ? searchCores : Runtime.getRuntime().availableProcessors();
    if (Files.isDirectory(dir)) {
      store = AnswerStore.open(dir, options, codec, cores);
      if (store.size() != entries) {
        store.close();
        deleteTree(dir);
        store = null;
      } else {
        // A store copied from one built without a bound compacts itself now, as it would when
        // a build with the bound went quiet: the build is the same either way.
        awaitQuiet(store);
      }
    }
    if (store == null) {
      long t0 = System.nanoTime();
      try (AnswerStore building = AnswerStore.open(dir, options, codec)) {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
          batch.add(entry(i));
          if (batch.size() == 5000) {
            building.addAll(batch);
            batch.clear();
          }
        }
        building.addAll(batch);
        building.commit();
        System.out.printf("%nbuilt %d entries (%s) in %.1f s, %d segments%n", entries, vectors,
            (System.nanoTime() - t0) / 1e9, building.segments());
        awaitQuiet(building);
      }
      System.gc();
      store = AnswerStore.open(dir, options, codec, cores);
    }
    store.filteredSearchThreshold(filteredSearchThreshold);
    store.searchBreadth(searchBreadth);
    store.exactPerSegment(exactPerSegment);
    store.scanShare(scanShare);
    store.graphPatience(graphPatience);
    System.out.printf("%nmeasuring %d entries in %d segments%n", store.size(), store.segments());
    System.out.printf("mapped pages by file kind before the first search: %s%n", mappedByKind());
    SplittableRandom rnd = new SplittableRandom(42);
    if (Integer.bitCount(queries) != 1) {
      throw new IllegalArgumentException("queries must be a power of two: " + queries);
    }
    queryVectors = new float[queries][];
    queryScopes = new String[queries];
    queryOrigin = new int[queries];
    queryScopeSize = new int[queries];
    int[] scopeSizes = new int[scopes + 1];
    for (int i = 0; i < entries; i++) {
      scopeSizes[scopeNumber(i)]++;
    }
    hotScopes = new String[queries];
    hotKeys = new String[queries];
    for (int q = 0; q < queries; q++) {
      int i = rnd.nextInt(entries);
      int inScopeOf = i; // an entry whose scope the query searches
      if (q % 2 == 0) {
        float[] v = entryVector(i);
        float[] noise = randomUnit(rnd);
        for (int d = 0; d < DIMENSION; d++) {
          v[d] = 0.9f * v[d] + 0.44f * noise[d];
        }
        queryVectors[q] = v;
        queryScopes[q] = scope(i);
        queryOrigin[q] = i;
      } else {
        queryVectors[q] = base == null ? randomUnit(rnd)
            : base[baseCount + rnd.nextInt(base.length - baseCount)].clone();
        inScopeOf = zipfIndex(rnd);
        queryScopes[q] = scope(inScopeOf);
        queryOrigin[q] = -1;
      }
      queryScopeSize[q] = scopeSizes[scopeNumber(inScopeOf)];
      int h = rnd.nextInt(Math.min(entries, 20_000));
      hotScopes[q] = scope(h);
      hotKeys[q] = prompt(h);
      store.exact(hotScopes[q], hotKeys[q]); // now in the hot tier
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    System.out.printf("%nresident memory at the end of the trial: %d MiB (heap used %d MiB, heap"
        + " committed %d MiB; the process's own memory %d MiB, pages of mapped index files %d"
        + " MiB)%n", rssMib(), (Runtime.getRuntime().totalMemory()
        - Runtime.getRuntime().freeMemory()) >> 20, Runtime.getRuntime().totalMemory() >> 20,
        statusMib("RssAnon:"), statusMib("RssFile:"));
    System.out.printf("mapped pages by file kind: %s%n", mappedByKind());
    if (cpuSamples > 0) {
      long[] sorted = Arrays.copyOf(cpuNanos, cpuSamples);
      Arrays.sort(sorted);
      System.out.printf("%nthread CPU time per measured call (%d calls): p50 %.3f ms, p90 %.3f ms,"
          + " p99 %.3f ms, p99.9 %.3f ms%n", cpuSamples, pct(sorted, 0.50), pct(sorted, 0.90),
          pct(sorted, 0.99), pct(sorted, 0.999));
      System.out.printf("paraphrase queries whose best candidate was their origin: %d of %d%n",
          paraphrasesFound, paraphrases);
      System.out.printf("segments walked on another thread than the search's own: %d%n",
          store.segmentsHandedOver());
      for (int b = 0; b < SIZE_BUCKETS.length; b++) {
        long[] byB = Arrays.copyOf(cpuBySize[b], cpuBySizeCount[b]);
        Arrays.sort(byB);
        if (byB.length > 0) {
          System.out.printf("  scopes of %s entries: %d calls, CPU p50 %.3f ms, p99 %.3f ms%n",
              b == 0 ? "up to " + SIZE_BUCKETS[0] : b == SIZE_BUCKETS.length - 1
                  ? "over " + SIZE_BUCKETS[b - 1] : SIZE_BUCKETS[b - 1] + "-" + SIZE_BUCKETS[b],
              byB.length, pct(byB, 0.50), pct(byB, 0.99));
        }
      }
      if (floorChecked > 0) {
        System.out.printf("searches whose result with the floor differed from the floor applied"
            + " afterwards: %d of %d%n", floorDiffered, floorChecked);
      }
    }
    store.close();
  }

  /**
   * Wall-clock percentiles on a shared two-core machine mostly measure who else was running; the
   * CPU time the calling thread spent is printed beside them, as the search's own cost.
   */
  @Benchmark
  public List<Candidate> nearest() {
    int q = next++ & (queries - 1);
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    List<Candidate> found = Double.isNaN(floor)
        ? store.nearest(queryScopes[q], queryVectors[q], 4)
        : store.nearest(queryScopes[q], queryVectors[q], 4, floor);
    if (checkFloor && !Double.isNaN(floor)) {
      floorChecked++;
      List<Candidate> all = store.nearest(queryScopes[q], queryVectors[q], 4).stream()
          .filter(c -> c.similarity() >= floor).toList();
      if (!all.equals(found)) {
        floorDiffered++;
      }
    }
    if (measuring) {
      if (cpuSamples == cpuNanos.length) {
        cpuNanos = Arrays.copyOf(cpuNanos, cpuSamples * 2);
      }
      long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
      cpuNanos[cpuSamples++] = cpu;
      int b = 0;
      while (queryScopeSize[q] > SIZE_BUCKETS[b]) {
        b++;
      }
      if (cpuBySizeCount[b] == cpuBySize[b].length) {
        cpuBySize[b] = Arrays.copyOf(cpuBySize[b], cpuBySizeCount[b] * 2);
      }
      cpuBySize[b][cpuBySizeCount[b]++] = cpu;
      if (queryOrigin[q] >= 0) {
        paraphrases++;
        if (!found.isEmpty() && found.get(0).entry().id().equals("ent_" + queryOrigin[q])) {
          paraphrasesFound++;
        }
      }
    }
    return found;
  }

  private static double pct(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
  }

  /** Waits until a store with a segment bound has compacted itself down to it. */
  private void awaitQuiet(AnswerStore s) {
    long t1 = System.nanoTime();
    int before = s.segments();
    while (maxSegments > 0 && (s.segments() > maxSegments || s.compacting())) {
      sleep(1000);
    }
    System.out.printf("%n%d segments, %d after the store's own compaction (%.1f s)%n", before,
        s.segments(), (System.nanoTime() - t1) / 1e9);
  }

  @Benchmark
  public Object exactHot() {
    int q = next++ & (queries - 1);
    return store.exact(hotScopes[q], hotKeys[q]);
  }

  @Benchmark
  public Object exactMissThroughLucene() {
    int q = next++ & (queries - 1);
    return store.exact(queryScopes[q], "never asked " + q);
  }

  // ---- synthetic data, a pure function of the entry number ----

  /** Zipf(1) over the scopes: scope k (from 1) is chosen in proportion to 1/k. */
  private int zipfScope(SplittableRandom rnd) {
    double h = 0;
    for (int k = 1; k <= scopes; k++) {
      h += 1.0 / k;
    }
    double x = rnd.nextDouble() * h;
    for (int k = 1; k <= scopes; k++) {
      x -= 1.0 / k;
      if (x <= 0) {
        return k;
      }
    }
    return scopes;
  }

  private int zipfIndex(SplittableRandom rnd) {
    // an entry number whose scope follows the same law
    int s = zipfScope(rnd);
    for (int tries = 0; tries < 10_000; tries++) {
      int i = rnd.nextInt(entries);
      if (scopeNumber(i) == s) {
        return i;
      }
    }
    return rnd.nextInt(entries);
  }

  private int scopeNumber(int i) {
    return zipfScope(new SplittableRandom(i * 0x9E3779B97F4A7C15L));
  }

  private String scope(int i) {
    return "{\"endpoint\":\"chat\",\"model\":\"m\",\"scope\":" + scopeNumber(i) + "}";
  }

  private static String prompt(int i) {
    SplittableRandom rnd = new SplittableRandom(i + 7L);
    StringBuilder sb = new StringBuilder("question ").append(i);
    while (sb.length() < 100) {
      sb.append(' ').append(Long.toString(rnd.nextLong() & 0xffffffL, 36));
    }
    return sb.toString();
  }

  /** Entry i's vector: random, or built from the vector file. */
  private float[] entryVector(int i) {
    if (base == null) {
      return vector(i);
    }
    if (i < baseCount) {
      return base[i].clone();
    }
    SplittableRandom rnd = new SplittableRandom(i * 31L + 1);
    float[] a = base[rnd.nextInt(baseCount)];
    float[] b = base[rnd.nextInt(baseCount)];
    float lambda = (float) (0.6 * rnd.nextDouble());
    float[] noise = randomUnit(rnd);
    float[] v = new float[DIMENSION];
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = a[d] + lambda * b[d] + 0.15f * noise[d];
    }
    return Vectors.unit(v, "entry " + i);
  }

  private static float[][] readVectors(Path file) throws IOException {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(Files.readAllBytes(file))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int count = in.getInt();
    int dim = in.getInt();
    if (dim != DIMENSION || count < 10) {
      throw new IllegalArgumentException(file + " holds " + count + " vectors of dimension " + dim
          + ", not at least 10 of " + DIMENSION);
    }
    float[][] out = new float[count][dim];
    for (float[] v : out) {
      in.asFloatBuffer().get(v);
      in.position(in.position() + dim * Float.BYTES);
    }
    return out;
  }

  static float[] vector(int i) {
    return randomUnit(new SplittableRandom(i * 31L + 1));
  }

  static float[] randomUnit(SplittableRandom rnd) {
    float[] v = new float[DIMENSION];
    double sum = 0;
    for (int d = 0; d < DIMENSION; d++) {
      // a cheap near-Gaussian: the sum of four uniforms
      double g = rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 2;
      v[d] = (float) g;
      sum += g * g;
    }
    float inv = (float) (1 / Math.sqrt(sum));
    for (int d = 0; d < DIMENSION; d++) {
      v[d] *= inv;
    }
    return v;
  }

  private Entry entry(int i) {
    String p = prompt(i);
    String response = "{\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"" + "answer ".repeat(80) + i
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":20,"
        + "\"completion_tokens\":90,\"total_tokens\":110}}";
    return new Entry("ent_" + i, scope(i), p, p, entryVector(i), "m", response,
        1_700_000_000_000L + i, "tenant-" + (scopeNumber(i) % 17));
  }

  static long rssMib() {
    return statusMib("VmRSS:");
  }

  /**
   * The resident pages of this process's file mappings in MiB, summed by what the file is: an
   * index file by its extension ({@code fdt} stored fields, {@code vec} the original floats,
   * {@code veq} their 8-bit copy, {@code vex} the graph...), anything else (the JDK, libraries)
   * as {@code other}. Read from {@code /proc/self/smaps} (Linux); empty elsewhere.
   */
  static java.util.SortedMap<String, Long> mappedByKind() {
    java.util.SortedMap<String, Long> kib = new java.util.TreeMap<>();
    try {
      String kind = null;
      for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
        if (line.matches("[0-9a-f]+-[0-9a-f]+ .*")) { // a mapping's first line
          String[] cols = line.trim().split("\\s+", 6);
          String file = cols.length == 6 ? cols[5] : "";
          if (!file.startsWith("/")) {
            kind = null; // anonymous memory, the heap and stacks among it
          } else if (file.contains("/jmh-stores/")) {
            String name = Path.of(file.replace(" (deleted)", "")).getFileName().toString();
            kind = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
          } else {
            kind = "other";
          }
        } else if (kind != null && line.startsWith("Rss:")) {
          kib.merge(kind, Long.parseLong(line.replaceAll("\\D+", "")), Long::sum);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    kib.replaceAll((k, v) -> v >> 10);
    return kib;
  }

  /** A line of {@code /proc/self/status} in MiB (Linux), or -1. */
  static long statusMib(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the store compacted", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
