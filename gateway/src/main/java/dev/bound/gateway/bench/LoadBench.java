package dev.bound.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Bound's load generator, {@code ./bound bench}: drives a running Bound (or any OpenAI-compatible
 * URL) with a mix of exact repeats, paraphrases and novel prompts from a fixed number of
 * keep-alive connections, and reports each outcome tier (the {@code X-Bound-Cache} header) with
 * its count, throughput and latency percentiles, and per workload why its misses missed (the
 * {@code X-Bound-Reason} header). It stops by itself at a request count or a
 * duration, whichever comes first.
 *
 * <p>Before measuring it seeds what the mix needs, unmeasured: the prompts it will repeat, and
 * the {@code origin} of each paraphrase pair it will ask in other words. Seeds and novel prompts
 * are sent with {@code X-Bound-Threshold: 1}, so each one is really stored (a near-duplicate seed
 * would otherwise be answered by a semantic hit and never stored) and each novel prompt takes the
 * whole miss path: exact lookup, embedding, vector search, then the upstream.
 */
public final class LoadBench {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();
  private static final String[] WORDS = ("apple river orbit garden violin copper lantern meadow "
      + "harbor pixel quantum saddle tundra velvet walnut yonder zephyr basalt cactus dolphin "
      + "ember falcon glacier hazel island jasmine kernel lagoon marble nectar oasis pepper quartz "
      + "raven summit timber umbrella valley willow xenon yarrow zenith anchor beacon cinder "
      + "delta echo fjord granite horizon ivory jungle kettle lemon mosaic nimbus opal prairie")
      .split(" ");

  /** A paraphrase pair: {@code origin} is asked first, to seed; {@code similar} is measured. */
  public record Pair(String origin, String similar) {}

  /** Shares of the three kinds of request; any non-negative weights, at least one positive. */
  public record Mix(double exact, double paraphrase, double novel) {
    public Mix {
      if (!(exact >= 0 && paraphrase >= 0 && novel >= 0) || exact + paraphrase + novel <= 0) {
        throw new IllegalArgumentException("--mix needs non-negative weights, at least one "
            + "positive, such as exact=50,paraphrase=30,novel=20");
      }
    }

    /** Parses {@code exact=50,paraphrase=30,novel=20}; a kind left out has weight 0. */
    public static Mix parse(String s) {
      Map<String, Double> w = new HashMap<>();
      for (String part : s.split(",")) {
        String[] kv = part.split("=", 2);
        String k = kv[0].strip().toLowerCase(Locale.ROOT);
        if (kv.length != 2 || !List.of("exact", "paraphrase", "novel").contains(k)) {
          throw new IllegalArgumentException("--mix takes kind=weight pairs of exact, paraphrase "
              + "and novel, such as exact=50,paraphrase=30,novel=20; not '" + part + "'");
        }
        try {
          w.put(k, Double.parseDouble(kv[1].strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--mix weight of " + k + " is not a number: " + kv[1]);
        }
      }
      return new Mix(w.getOrDefault("exact", 0.0), w.getOrDefault("paraphrase", 0.0),
          w.getOrDefault("novel", 0.0));
    }

    double total() {
      return exact + paraphrase + novel;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "exact %.0f%% / paraphrase %.0f%% / novel %.0f%%",
          100 * exact / total(), 100 * paraphrase / total(), 100 * novel / total());
    }
  }

  /**
   * What to run.
   *
   * @param url the base URL, as given to an OpenAI client (ending in {@code /v1})
   * @param path the endpoint under it that is driven
   * @param requests the most measured requests to send
   * @param duration the longest the measured phase may run
   * @param warmup unrecorded requests of the same mix sent before measuring
   * @param exactPool distinct prompts seeded, then repeated by the exact share
   * @param tierHeader the response header that names the outcome tier
   * @param headers extra request headers, as name and value pairs
   */
  public record Options(URI url, String path, long requests, Duration duration, int concurrency,
      Mix mix, boolean stream, List<Pair> pairs, int exactPool, int warmup, String model,
      String namespace, Duration timeout, long seed, String tierHeader, List<String> headers,
      Double temperature) {
    public Options {
      if (requests < 1 || concurrency < 1 || exactPool < 1 || warmup < 0) {
        throw new IllegalArgumentException("--requests, --concurrency and --exact-pool must be at "
            + "least 1 and --warmup at least 0");
      }
      if (duration.isNegative() || duration.isZero() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("--duration and --timeout must be positive");
      }
      if (mix.paraphrase() > 0 && pairs.isEmpty()) {
        throw new IllegalArgumentException("a paraphrase share needs pairs: give --pairs FILE (a "
            + "JSON array of {\"origin\", \"similar\"}) or set paraphrase=0 in --mix");
      }
      if (headers.size() % 2 != 0) {
        throw new IllegalArgumentException("headers come in name and value pairs");
      }
      pairs = List.copyOf(pairs);
      headers = List.copyOf(headers);
    }

    /** Defaults for driving {@code url}: 1,000 requests or 60 s, 8 connections, no paraphrases. */
    public static Options of(URI url) {
      return new Options(url, "/chat/completions", 1000, Duration.ofSeconds(60), 8,
          new Mix(1, 0, 0), false, List.of(), 100, 0, "bench",
          "bench-" + UUID.randomUUID().toString().substring(0, 8), Duration.ofSeconds(60), 1,
          "X-Bound-Cache", List.of(), 0.0);
    }

    public Options withLoad(long requests, Duration duration, int concurrency) {
      return new Options(url, path, requests, duration, concurrency, mix, stream, pairs,
          exactPool, warmup, model, namespace, timeout, seed, tierHeader, headers, temperature);
    }

    public Options withMix(Mix mix, List<Pair> pairs, int exactPool) {
      return new Options(url, path, requests, duration, concurrency, mix, stream, pairs,
          exactPool, warmup, model, namespace, timeout, seed, tierHeader, headers, temperature);
    }

    public Options withTarget(URI url, String tierHeader, String namespace, int warmup) {
      return new Options(url, path, requests, duration, concurrency, mix, stream, pairs,
          exactPool, warmup, model, namespace, timeout, seed, tierHeader, headers, temperature);
    }

    public Options withStream(boolean stream) {
      return new Options(url, path, requests, duration, concurrency, mix, stream, pairs,
          exactPool, warmup, model, namespace, timeout, seed, tierHeader, headers, temperature);
    }
  }

  private enum Kind { EXACT, PARAPHRASE, NOVEL }

  private final Options o;
  private final List<Pair> pairsUsed;
  private final List<byte[]> exactBodies = new ArrayList<>();
  private final List<byte[]> similarBodies = new ArrayList<>();
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong novelCounter = new AtomicLong();
  private final AtomicLong paraphraseCounter = new AtomicLong();
  /** Whether measured requests ask Bound not to store their answers; seeding always stores. */
  private volatile boolean noStore;
  private Report seeding;

  private LoadBench(Options o) {
    this.o = o;
    double share = o.mix().paraphrase() / o.mix().total();
    int need = share == 0 ? 0 : (int) Math.min(o.pairs().size(),
        Math.max(1, Math.ceil(share * (o.requests() + o.warmup()))));
    this.pairsUsed = o.pairs().subList(0, need);
    for (Pair p : pairsUsed) {
      similarBodies.add(body(p.similar()));
    }
    if (o.mix().exact() > 0) {
      for (int i = 0; i < o.exactPool(); i++) {
        exactBodies.add(body(exactPrompt(i)));
      }
    }
  }

  /** Seeds, warms up, then measures; returns the measured phase (and the seeding) as a report. */
  public static Report run(Options options) throws InterruptedException {
    LoadBench b = prepare(options);
    Report r = b.measure(options.requests(), options.duration(), options.concurrency(),
        options.warmup());
    r.seeding = b.seeding;
    return r;
  }

  /**
   * Seeds what the options' mix will repeat (with at least 16 connections, since seeds are
   * misses) and, when it asks paraphrases, waits until Bound has indexed their origins.
   */
  public static LoadBench prepare(Options options) throws InterruptedException {
    LoadBench b = new LoadBench(options);
    List<byte[]> seeds = new ArrayList<>(b.exactBodies);
    for (Pair p : b.pairsUsed) {
      seeds.add(b.body(p.origin()));
    }
    if (!seeds.isEmpty()) {
      b.seeding = b.drive(seeds.size(), Duration.ofDays(1), Math.max(16, options.concurrency()),
          (i, rnd) -> new Req(Kind.EXACT, seeds.get((int) i), true, false));
      if (!b.pairsUsed.isEmpty()) {
        b.awaitSemanticIndex();
      }
    }
    return b;
  }

  /** The seeding phase, or null if the mix needed none. */
  public Report seeding() {
    return seeding;
  }

  /** Sends {@code warmup} unrecorded requests of the mix, then measures up to the bounds. */
  public Report measure(long requests, Duration max, int concurrency, int warmup)
      throws InterruptedException {
    if (warmup > 0) {
      drive(warmup, max, concurrency, this::next);
    }
    return drive(requests, max, concurrency, this::next);
  }

  /** How often a paraphrase shed as overloaded is asked again when finding the semantic hits. */
  static final int OVERLOADED_RETRIES = 50;

  /**
   * Asks every seeded paraphrase with {@code Cache-Control: no-store} (again while it is shed as
   * overloaded) and keeps only the pairs answered from the semantic tier, so that a later
   * paraphrase-only run measures semantic hits alone; returns how many were kept.
   */
  public int keepSemanticHits() throws InterruptedException {
    List<Integer> kept = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong next = new AtomicLong();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < 16; w++) {
        pool.submit(() -> {
          try (Http1 conn = new Http1(o.url(), (int) o.timeout().toMillis())) {
            long i;
            while ((i = next.getAndIncrement()) < similarBodies.size()) {
              // A paraphrase shed as overloaded says nothing about whether it would hit: this
              // step's own sixteen connections can fill the semantic tier, so ask it again.
              for (int attempt = 0; attempt < OVERLOADED_RETRIES; attempt++) {
                try {
                  Http1.Response r = conn.post(o.path(), similarBodies.get((int) i),
                      new String[] {"X-Bound-Namespace", o.namespace(), "Cache-Control",
                          "no-store"}, System.nanoTime());
                  if (r.status() == 200 && "HIT-SEMANTIC".equals(r.header(o.tierHeader()))) {
                    kept.add((int) i);
                  }
                  if (!"overloaded".equals(r.header("X-Bound-Reason"))) {
                    break;
                  }
                  Thread.sleep(5);
                } catch (IOException e) {
                  conn.closeQuietly();
                  break;
                }
              }
            }
          }
          return null;
        });
      }
    }
    List<byte[]> keep = new ArrayList<>();
    kept.stream().sorted().forEach(i -> keep.add(similarBodies.get(i)));
    similarBodies.clear();
    similarBodies.addAll(keep);
    if (keep.isEmpty()) {
      throw new IllegalStateException("no paraphrase was answered from the semantic tier");
    }
    return keep.size();
  }

  /**
   * Bound indexes vectors on a background thread; paraphrases asked before their origins are
   * indexed would miss. Seeds one more pair and waits until its paraphrase is a semantic hit.
   */
  private void awaitSemanticIndex() throws InterruptedException {
    String origin = "Bound benchmark sentinel " + runId + ": how do I reset my account password?";
    String similar = "Bound benchmark sentinel " + runId + ": how can I reset my account password?";
    Report r = drive(1, Duration.ofDays(1), 1, (i, rnd) -> new Req(Kind.EXACT, body(origin), true,
        false));
    if (r.tiers.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + o.timeout().toNanos();
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline) {
        Report probe = drive(1, Duration.ofDays(1), 1, (i, rnd) -> new Req(Kind.EXACT,
            body(similar), false, true));
        if (probe.tiers.containsKey("NONE")) {
          return; // not a Bound at all
        }
        // Answers of requests the semantic tier shed while seeding are embedded only after a
        // calm second; the sentinel, asked alone, may have been embedded before them. And it can
        // be a semantic hit from Bound's pending answers before the seeds ahead of it are even
        // stored, when a shed seed is not yet on the deferred list; so the backlog is read
        // first (an answer leaves it only once it is stored or listed), then the list.
        if (probe.tiers.containsKey("HIT-SEMANTIC") && gauge(http, "bound_index_backlog") == 0
            && gauge(http, "bound_index_deferred_waiting") == 0) {
          return;
        }
        Thread.sleep(50);
      }
      // Bound embeds shed answers at a tenth of a core, oldest first, so a backlog left by an
      // earlier flood can outlast the wait; measuring anyway is still worth it, but not unsaid.
      long waiting = gauge(http, "bound_index_deferred_waiting");
      System.err.printf(Locale.ROOT, "bound bench: after %d s %s; paraphrases of seeds not yet "
          + "embedded will not be semantic hits%n", o.timeout().toSeconds(), waiting > 0
          ? waiting + " shed answers still wait for their vector at Bound"
          : "the sentinel paraphrase is still not a semantic hit");
    }
  }

  /**
   * One of Bound's gauges, such as {@code bound_index_deferred_waiting}, from its {@code
   * /metrics} beside the API's base URL; 0 when that cannot be read (another gateway, or metrics
   * closed to this client).
   */
  private long gauge(HttpClient http, String name) {
    URI metrics = o.url().resolve("/metrics");
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return 0;
      }
      for (String line : r.body().split("\n")) {
        if (line.startsWith(name + " ")) {
          return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private record Req(Kind kind, byte[] body, boolean forceMiss, boolean noStore) {}

  @FunctionalInterface
  private interface Source {
    Req next(long i, SplittableRandom rnd);
  }

  private Req next(long i, SplittableRandom rnd) {
    double x = rnd.nextDouble() * o.mix().total();
    if (x < o.mix().exact()) {
      return new Req(Kind.EXACT, exactBodies.get(rnd.nextInt(exactBodies.size())), false, false);
    }
    if (x < o.mix().exact() + o.mix().paraphrase()) {
      int k = (int) (paraphraseCounter.getAndIncrement() % similarBodies.size());
      return new Req(Kind.PARAPHRASE, similarBodies.get(k), false, false);
    }
    return new Req(Kind.NOVEL, body(novelPrompt(novelCounter.getAndIncrement(), rnd)), true,
        false);
  }

  private String exactPrompt(int i) {
    return "Benchmark question " + i + " of run " + runId + ": what does the " + WORDS[i
        % WORDS.length] + " have to do with the " + WORDS[(i * 7 + 3) % WORDS.length] + "?";
  }

  private String novelPrompt(long n, SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder("Novel question ").append(n).append(" of run ")
        .append(runId).append(':');
    for (int w = 0; w < 12; w++) {
      sb.append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return sb.append('?').toString();
  }

  /** The body of the answer to the first prompt this run repeats, asked once more. */
  byte[] firstAnswer() throws IOException {
    try (Http1 conn = new Http1(o.url(), (int) o.timeout().toMillis())) {
      Http1.Response r = conn.post(o.path(), exactBodies.get(0),
          new String[] {"X-Bound-Namespace", o.namespace()}, System.nanoTime());
      if (r.status() != 200) {
        throw new IOException("the first repeated prompt was answered with " + r.status());
      }
      return r.body();
    }
  }

  private byte[] body(String prompt) {
    ObjectNode b = JSON.createObjectNode().put("model", o.model());
    if (o.temperature() != null) {
      b.put("temperature", o.temperature());
    }
    if (o.stream()) {
      b.put("stream", true);
    }
    b.putArray("messages").addObject().put("role", "user").put("content", prompt);
    try {
      return COMPACT.writeValueAsBytes(b);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs up to {@code n} requests on {@code concurrency} connections for at most {@code max}. */
  private Report drive(long n, Duration max, int concurrency, Source source)
      throws InterruptedException {
    int workers = (int) Math.min(concurrency, n);
    AtomicLong issued = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Recorder> recorders = new ArrayList<>();
    List<Future<?>> done = new ArrayList<>();
    long[] t0 = new long[1];
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < workers; w++) {
        Recorder rec = new Recorder();
        recorders.add(rec);
        SplittableRandom rnd = new SplittableRandom(o.seed() * 1_000_003L + w);
        done.add(pool.submit(() -> {
          try (Http1 conn = new Http1(o.url(), (int) Math.min(Integer.MAX_VALUE,
              o.timeout().toMillis()))) {
            start.await();
            long deadline = t0[0] + max.toNanos();
            long i;
            while (System.nanoTime() < deadline && (i = issued.getAndIncrement()) < n) {
              one(conn, source.next(i, rnd), rec);
            }
          }
          return null;
        }));
      }
      t0[0] = System.nanoTime();
      start.countDown();
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a load-generator worker failed", e.getCause());
        }
      }
    }
    long elapsed = System.nanoTime() - t0[0];
    Report r = new Report(o, concurrency, elapsed, issued.get() >= n ? "requests" : "duration");
    for (Recorder rec : recorders) {
      r.add(rec);
    }
    return r;
  }

  /**
   * From now on, asks Bound not to store what it answers. A lane that measures hits uses it, so
   * that a request shed to the upstream (reason overloaded) does not store its prompt and turn
   * every later ask of it into an exact hit.
   */
  public void measureWithoutStoring() {
    noStore = true;
  }

  private void one(Http1 conn, Req req, Recorder rec) {
    List<String> h = new ArrayList<>(o.headers());
    if (noStore) {
      h.add("Cache-Control");
      h.add("no-store");
    }
    h.add("X-Bound-Namespace");
    h.add(o.namespace());
    if (req.forceMiss()) {
      h.add("X-Bound-Threshold");
      h.add("1");
    }
    if (req.noStore()) {
      h.add("Cache-Control");
      h.add("no-store");
    }
    long t0 = System.nanoTime();
    String kind = req.kind().name().toLowerCase(Locale.ROOT);
    try {
      Http1.Response r = conn.post(o.path(), req.body(), h.toArray(String[]::new), t0);
      long latency = System.nanoTime() - t0;
      if (r.status() != 200) {
        rec.error("status_" + r.status(), kind);
        return;
      }
      if (o.stream() && !new String(r.body(), StandardCharsets.UTF_8).contains("data: [DONE]")) {
        rec.error("incomplete_stream", kind);
        return;
      }
      String tier = r.header(o.tierHeader());
      rec.ok(tier == null ? "NONE" : tier, kind, latency, r.firstByteNanos());
      String reason = r.header("X-Bound-Reason");
      if ("MISS".equals(tier) && reason != null) {
        rec.missReasons.computeIfAbsent(kind, k -> new HashMap<>()).merge(reason, 1L, Long::sum);
      }
    } catch (ConnectException e) {
      conn.closeQuietly();
      rec.error("connect", kind);
    } catch (SocketTimeoutException e) {
      conn.closeQuietly();
      rec.error("timeout", kind);
    } catch (IOException | RuntimeException e) {
      conn.closeQuietly();
      rec.error("io", kind);
    }
  }

  /** One worker's observations, merged into a {@link Report} at the end. */
  private static final class Recorder {
    final Map<String, LongList> latency = new HashMap<>();
    final Map<String, LongList> firstByte = new HashMap<>();
    final Map<String, Long> errors = new HashMap<>();
    final Map<String, Map<String, Long>> byKind = new HashMap<>();
    /** Per workload, why its misses were misses (Bound's {@code X-Bound-Reason}). */
    final Map<String, Map<String, Long>> missReasons = new HashMap<>();

    void ok(String tier, String kind, long nanos, long firstByteNanos) {
      latency.computeIfAbsent(tier, t -> new LongList()).add(nanos);
      if (firstByteNanos > 0) {
        firstByte.computeIfAbsent(tier, t -> new LongList()).add(firstByteNanos);
      }
      byKind.computeIfAbsent(kind, k -> new HashMap<>()).merge(tier, 1L, Long::sum);
    }

    void error(String what, String kind) {
      errors.merge(what, 1L, Long::sum);
      byKind.computeIfAbsent(kind, k -> new HashMap<>()).merge("error", 1L, Long::sum);
    }
  }

  static final class LongList {
    long[] a = new long[256];
    int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    void addAll(LongList o) {
      for (int i = 0; i < o.n; i++) {
        add(o.a[i]);
      }
    }

    long[] sorted() {
      long[] s = Arrays.copyOf(a, n);
      Arrays.sort(s);
      return s;
    }
  }

  /** Nearest-rank percentile of sorted values, in milliseconds. */
  static double pctMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** The outcome of one phase: counts, throughput and latency per tier, and errors by kind. */
  public static final class Report {
    final Options options;
    final int concurrency;
    final long elapsedNanos;
    final String stoppedBy;
    final Map<String, LongList> tiers = new TreeMap<>();
    final Map<String, LongList> firstByte = new TreeMap<>();
    final Map<String, Long> errors = new TreeMap<>();
    final Map<String, Map<String, Long>> byKind = new TreeMap<>();
    final Map<String, Map<String, Long>> missReasons = new TreeMap<>();
    Report seeding;

    Report(Options options, int concurrency, long elapsedNanos, String stoppedBy) {
      this.options = options;
      this.concurrency = concurrency;
      this.elapsedNanos = elapsedNanos;
      this.stoppedBy = stoppedBy;
    }

    private void add(Recorder r) {
      r.latency.forEach((t, l) -> tiers.computeIfAbsent(t, x -> new LongList()).addAll(l));
      r.firstByte.forEach((t, l) -> firstByte.computeIfAbsent(t, x -> new LongList()).addAll(l));
      r.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
      r.byKind.forEach((k, m) -> m.forEach((t, v) ->
          byKind.computeIfAbsent(k, x -> new TreeMap<>()).merge(t, v, Long::sum)));
      r.missReasons.forEach((k, m) -> m.forEach((t, v) ->
          missReasons.computeIfAbsent(k, x -> new TreeMap<>()).merge(t, v, Long::sum)));
    }

    /** Requests answered (with any tier) plus requests that failed. */
    public long requests() {
      return tiers.values().stream().mapToLong(l -> l.n).sum() + errorCount();
    }

    public long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double seconds() {
      return elapsedNanos / 1e9;
    }

    /** The latencies of one tier in nanoseconds, sorted; empty if the tier never occurred. */
    public long[] latencies(String tier) {
      LongList l = tiers.get(tier);
      return l == null ? new long[0] : l.sorted();
    }

    /** All successful latencies, whatever their tier, sorted. */
    public long[] allLatencies() {
      LongList all = new LongList();
      tiers.values().forEach(all::addAll);
      return all.sorted();
    }

    public ObjectNode toJson() {
      ObjectNode root = JSON.createObjectNode();
      root.put("url", options.url().toString() + options.path());
      root.put("concurrency", concurrency);
      root.put("stream", options.stream());
      ObjectNode mix = root.putObject("mix");
      mix.put("exact", options.mix().exact() / options.mix().total());
      mix.put("paraphrase", options.mix().paraphrase() / options.mix().total());
      mix.put("novel", options.mix().novel() / options.mix().total());
      root.put("namespace", options.namespace());
      phase(root, this);
      if (seeding != null) {
        phase(root.putObject("seeding"), seeding);
      }
      return root;
    }

    private static void phase(ObjectNode node, Report r) {
      node.put("requests", r.requests());
      node.put("errors", r.errorCount());
      node.put("seconds", round(r.seconds()));
      node.put("throughput_rps", round(r.requests() / r.seconds()));
      node.put("stopped_by", r.stoppedBy);
      ObjectNode tiers = node.putObject("tiers");
      r.tiers.forEach((t, l) -> {
        ObjectNode n = tiers.putObject(t);
        n.put("count", l.n);
        n.put("throughput_rps", round(l.n / r.seconds()));
        percentiles(n.putObject("latency_ms"), l.sorted());
        LongList fb = r.firstByte.get(t);
        if (r.options.stream() && fb != null) {
          percentiles(n.putObject("first_byte_ms"), fb.sorted());
        }
      });
      ObjectNode errors = node.putObject("errors_by_kind");
      r.errors.forEach(errors::put);
      ObjectNode kinds = node.putObject("by_workload");
      r.byKind.forEach((k, m) -> {
        ObjectNode n = kinds.putObject(k);
        m.forEach(n::put);
      });
      ObjectNode reasons = node.putObject("miss_reasons_by_workload");
      r.missReasons.forEach((k, m) -> {
        ObjectNode n = reasons.putObject(k);
        m.forEach(n::put);
      });
    }

    private static void percentiles(ObjectNode n, long[] s) {
      n.put("p50", round(pctMs(s, 50)));
      n.put("p90", round(pctMs(s, 90)));
      n.put("p99", round(pctMs(s, 99)));
      n.put("max", round(pctMs(s, 100)));
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }

    /** The report as a plain-text table. */
    public String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "Load: %s%s, %d connections, %s, mix %s%n",
          options.url(), options.path(), concurrency,
          options.stream() ? "streamed" : "not streamed", options.mix()));
      if (seeding != null) {
        sb.append(String.format(Locale.ROOT, "Seeding (not measured): %d requests in %.2f s, "
            + "%s%n", seeding.requests(), seeding.seconds(), counts(seeding)));
      }
      sb.append(String.format(Locale.ROOT, "Measured: %d requests in %.2f s = %.1f req/s, "
          + "stopped by the %s bound, %d errors%n", requests(), seconds(),
          requests() / seconds(), stoppedBy.equals("requests") ? "request" : "time",
          errorCount()));
      sb.append(String.format(Locale.ROOT, "%-14s %8s %9s %9s %9s %9s %9s%n", "tier", "count",
          "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
      tiers.forEach((t, l) -> {
        long[] s = l.sorted();
        sb.append(String.format(Locale.ROOT, "%-14s %8d %9.1f %9.2f %9.2f %9.2f %9.2f%n", t, l.n,
            l.n / seconds(), pctMs(s, 50), pctMs(s, 90), pctMs(s, 99), pctMs(s, 100)));
      });
      if (options.stream()) {
        firstByte.forEach((t, l) -> {
          long[] s = l.sorted();
          sb.append(String.format(Locale.ROOT, "%-14s %8s %9s %9.2f %9.2f %9.2f %9.2f%n",
              "  first byte", "", "", pctMs(s, 50), pctMs(s, 90), pctMs(s, 99), pctMs(s, 100)));
        });
      }
      if (!errors.isEmpty()) {
        sb.append("Errors: ");
        errors.forEach((k, v) -> sb.append(k).append(' ').append(v).append("  "));
        sb.append(System.lineSeparator());
      }
      sb.append("By workload: ");
      byKind.forEach((k, m) -> sb.append(k).append(" -> ").append(m).append("  "));
      sb.append(System.lineSeparator());
      if (!missReasons.isEmpty()) {
        sb.append("Misses by reason: ");
        missReasons.forEach((k, m) -> sb.append(k).append(" -> ").append(m).append("  "));
        sb.append(System.lineSeparator());
      }
      return sb.toString();
    }

    private static String counts(Report r) {
      Map<String, Long> m = new LinkedHashMap<>();
      r.tiers.forEach((t, l) -> m.put(t, (long) l.n));
      r.errors.forEach((k, v) -> m.put("error " + k, v));
      return m.toString();
    }
  }

  // ---- command line ----

  /** Reads a JSON array of {@code {"origin": ..., "similar": ...}} objects. */
  public static List<Pair> readPairs(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readAllBytes(file));
    if (root == null || !root.isArray()) {
      throw new IOException(file + " is not a JSON array of {\"origin\", \"similar\"} objects");
    }
    List<Pair> out = new ArrayList<>();
    for (JsonNode n : root) {
      if (n.path("origin").isTextual() && n.path("similar").isTextual()) {
        out.add(new Pair(n.get("origin").asText(), n.get("similar").asText()));
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + " holds no {\"origin\", \"similar\"} pairs");
    }
    return out;
  }

  /** The paraphrase pairs beside the repository, if the jar runs from a checkout. */
  static Path defaultPairs() {
    String shared = System.getProperty("bound.shared.data");
    if (shared != null) {
      return Path.of(shared, "paraphrase_positives.json");
    }
    try {
      Path jar = Path.of(LoadBench.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      // gateway/target/bound-gateway.jar or gateway/target/classes -> the repository's parent
      Path repo = jar.getParent().getParent().getParent();
      return repo.resolveSibling("shared").resolve("data").resolve("paraphrase_positives.json");
    } catch (Exception e) {
      return Path.of("paraphrase_positives.json");
    }
  }

  /** The {@code bench} subcommand's options. */
  public static CommandSpec command() {
    CommandSpec spec = CommandSpec.create().name("bench").mixinStandardHelpOptions(true);
    spec.usageMessage().description("Load generator: drives a running Bound with a mix of exact "
        + "repeats, paraphrases and novel prompts and reports each outcome tier (X-Bound-Cache) "
        + "with its count, throughput, latency percentiles and errors, and why each workload's "
        + "misses missed (X-Bound-Reason). Seeds what it repeats "
        + "first, unmeasured. Stops at --requests or --duration, whichever comes first.");
    opt(spec, "--url", "URL", String.class, "http://127.0.0.1:8080/v1",
        "Bound's base URL, as given to an OpenAI client (default http://127.0.0.1:8080/v1).");
    opt(spec, "--requests", "N", long.class, "1000", "Most measured requests (default 1000).");
    opt(spec, "--duration", "SECONDS", double.class, "60",
        "Longest measured time in seconds (default 60).");
    opt(spec, "--concurrency", "N", int.class, "8",
        "Connections, each sending its next request when the last is answered (default 8).");
    opt(spec, "--mix", "WEIGHTS", String.class, "exact=50,paraphrase=30,novel=20",
        "Shares of exact repeats, paraphrases and novel prompts "
            + "(default exact=50,paraphrase=30,novel=20).");
    opt(spec, "--pairs", "FILE", String.class, null, "Paraphrase pairs, a JSON array of "
        + "{\"origin\", \"similar\"} (default ../shared/data/paraphrase_positives.json beside "
        + "the repository).");
    opt(spec, "--exact-pool", "N", int.class, "100",
        "Distinct prompts seeded and then repeated by the exact share (default 100).");
    opt(spec, "--warmup", "N", int.class, "0", "Unrecorded requests before measuring (default 0).");
    opt(spec, "--model", "NAME", String.class, "bench", "Model name sent (default bench).");
    opt(spec, "--temperature", "T", String.class, "0", "Temperature sent, from 0 to 2, or "
        + "'default' to send none, as most SDK calls do (default 0).");
    opt(spec, "--namespace", "NAME", String.class, null, "X-Bound-Namespace sent (default a "
        + "fresh bench-XXXXXXXX per run, so runs do not hit each other's entries).");
    opt(spec, "--timeout", "SECONDS", double.class, "60",
        "Per-request timeout in seconds (default 60).");
    opt(spec, "--header", "NAME:VALUE", String.class, null,
        "An extra request header, such as 'Authorization: Bearer sk-...'; repeatable.");
    opt(spec, "--savings-token", "TOKEN", String.class, null, "An admin or dashboard token: "
        + "at the end, read Bound's /api/savings over the run's minutes and print the share of "
        + "novelty requests variant pools served and the energy and carbon pre-generation "
        + "shifted.");
    spec.addOption(OptionSpec.builder("--stream").arity("0").type(boolean.class)
        .description("Ask for streamed answers and read each stream to [DONE].").build());
    spec.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class)
        .description("Print the report as JSON instead of a table.").build());
    return spec;
  }

  private static void opt(CommandSpec spec, String name, String label, Class<?> type,
      String def, String description) {
    OptionSpec.Builder b = OptionSpec.builder(name).paramLabel(label).type(type)
        .description(description);
    if (name.equals("--header")) {
      b.type(List.class).auxiliaryTypes(String.class);
    }
    if (def != null) {
      b.defaultValue(def);
    }
    spec.addOption(b.build());
  }

  /** Runs the {@code bench} subcommand; returns its exit code. */
  public static int main(ParseResult sub, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = options(sub);
    } catch (IllegalArgumentException | IOException e) {
      err.println("bound: " + e.getMessage());
      return 2;
    }
    // Nothing listening: say so, instead of a table of failed requests per second.
    int port = o.url().getPort() > 0 ? o.url().getPort()
        : o.url().getScheme().equals("https") ? 443 : 80;
    try (java.net.Socket probe = new java.net.Socket()) {
      probe.connect(new java.net.InetSocketAddress(o.url().getHost(), port), 5000);
    } catch (IOException e) {
      err.println("bound: nothing answers at " + o.url().getHost() + ":" + port + " ("
          + e.getMessage() + "); start Bound first, e.g. ./bound demo, or give its --url");
      return 1;
    }
    try {
      long started = System.currentTimeMillis();
      Report r = run(o);
      String token = sub.matchedOptionValue("--savings-token", null);
      JsonNode ledger = token == null ? null : SavingsSummary.fetch(o.url(), token, started);
      if (sub.hasMatchedOption("--json")) {
        ObjectNode json = r.toJson();
        if (ledger != null) {
          json.set("ledger", ledger);
        }
        out.print(JSON.writeValueAsString(json) + "\n");
      } else {
        out.print(r.table() + (ledger == null ? "" : SavingsSummary.table(ledger)));
      }
      return r.requests() > 0 && r.errorCount() == r.requests() ? 1 : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("bound: the benchmark failed: " + e);
      return 1;
    }
  }

  static Options options(ParseResult sub) throws IOException {
    URI url;
    try {
      url = URI.create(sub.matchedOptionValue("--url", "http://127.0.0.1:8080/v1"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url is not a URL: " + e.getMessage());
    }
    if (url.getHost() == null || !List.of("http", "https").contains(url.getScheme())) {
      throw new IllegalArgumentException("--url must be an http or https URL such as "
          + "http://127.0.0.1:8080/v1");
    }
    Mix mix = Mix.parse(sub.matchedOptionValue("--mix", "exact=50,paraphrase=30,novel=20"));
    List<Pair> pairs = List.of();
    if (mix.paraphrase() > 0) {
      Path file = sub.hasMatchedOption("--pairs") ? Path.of(sub.<String>matchedOptionValue(
          "--pairs", "")) : defaultPairs();
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("paraphrase pairs file " + file + " does not exist; "
            + "give --pairs FILE or set paraphrase=0 in --mix");
      }
      pairs = readPairs(file);
    }
    List<String> headers = new ArrayList<>();
    for (String h : sub.<List<String>>matchedOptionValue("--header", List.of())) {
      int colon = h.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("--header takes NAME:VALUE, not '" + h + "'");
      }
      headers.add(h.substring(0, colon).strip());
      headers.add(h.substring(colon + 1).strip());
    }
    Options d = Options.of(url);
    double seconds = sub.matchedOptionValue("--duration", 60.0);
    double timeout = sub.matchedOptionValue("--timeout", 60.0);
    if (!(seconds > 0) || !(timeout > 0)) {
      throw new IllegalArgumentException("--duration and --timeout must be positive");
    }
    return new Options(url, d.path(), sub.matchedOptionValue("--requests", 1000L),
        Duration.ofNanos((long) (seconds * 1e9)), sub.matchedOptionValue("--concurrency", 8),
        mix, sub.hasMatchedOption("--stream"), pairs, sub.matchedOptionValue("--exact-pool", 100),
        sub.matchedOptionValue("--warmup", 0), sub.matchedOptionValue("--model", "bench"),
        sub.matchedOptionValue("--namespace", d.namespace()),
        Duration.ofNanos((long) (timeout * 1e9)), 1, d.tierHeader(), headers,
        temperature(sub.matchedOptionValue("--temperature", "0")));
  }

  /** The --temperature option: a number from 0 to 2, or "default" to send none. */
  private static Double temperature(String v) {
    if (v.equals("default")) {
      return null;
    }
    double t;
    try {
      t = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      t = Double.NaN;
    }
    if (!(t >= 0 && t <= 2)) {
      throw new IllegalArgumentException("--temperature must be from 0 to 2, or default");
    }
    return t;
  }
}
