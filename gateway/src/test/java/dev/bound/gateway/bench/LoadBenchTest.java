package dev.bound.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.Gateway;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The load generator itself, against Bound in front of an unpaced simulated upstream. */
@Timeout(120)
class LoadBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "admin-token-for-the-bench";
  @TempDir
  static Path data;
  static SimulatedUpstream sim;
  static Gateway bound;

  @BeforeAll
  static void start() {
    sim = SimulatedUpstream.start(Duration.ZERO, 0);
    bound = Gateway.start(BoundConfig.resolve(Map.of("server.port", "0", "data.dir",
        data.toString(), "upstream.url", sim.url().toString(), "admin.token", ADMIN), Map.of(),
        null),
        Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterAll
  static void stop() {
    bound.close();
    sim.close();
  }

  private static Set<String> toSet(Iterator<String> names) {
    Set<String> out = new TreeSet<>();
    names.forEachRemaining(out::add);
    return out;
  }

  private static Path pairsFile() {
    return Path.of(System.getProperty("bound.shared.data", "../../shared/data"),
        "paraphrase_positives.json");
  }

  @Test
  void run_countsPerTierAddUpAndEachWorkloadLandsInItsTier() throws Exception {
    List<LoadBench.Pair> pairs = LoadBench.readPairs(pairsFile()).subList(0, 30);
    LoadBench.Options o = LoadBench.Options.of(bound.url()).withLoad(90, Duration.ofMinutes(1), 4)
        .withMix(new LoadBench.Mix(50, 30, 20), pairs, 10);

    LoadBench.Report r = LoadBench.run(o);

    assertEquals(90, r.requests());
    assertEquals(0, r.errorCount());
    assertEquals("requests", r.stoppedBy);
    long sum = 0;
    for (String tier : r.tiers.keySet()) {
      sum += r.latencies(tier).length;
    }
    assertEquals(90, sum);
    JsonNode j = JSON.readTree(JSON.writeValueAsString(r.toJson()));
    long jsonSum = 0;
    for (JsonNode t : j.get("tiers")) {
      jsonSum += t.get("count").asLong();
      assertTrue(t.get("latency_ms").get("p50").asDouble() <= t.get("latency_ms").get("max")
          .asDouble());
    }
    assertEquals(90, jsonSum);
    assertEquals(Map.of("HIT-EXACT", r.byKind.get("exact").get("HIT-EXACT")),
        r.byKind.get("exact"));
    assertEquals(Map.of("MISS", r.byKind.get("novel").get("MISS")), r.byKind.get("novel"));
    // Most of the model-written paraphrases reach the default threshold; on two busy cores the
    // semantic tier sheds some of them (reason overloaded), which the reasons tell apart.
    assertTrue(r.byKind.get("paraphrase").getOrDefault("HIT-SEMANTIC", 0L) > 0,
        r.byKind + " misses by reason " + r.missReasons);
    long misses = r.byKind.get("paraphrase").getOrDefault("MISS", 0L)
        + r.byKind.get("novel").getOrDefault("MISS", 0L);
    assertEquals(misses, r.missReasons.values().stream().flatMap(m -> m.values().stream())
        .mapToLong(Long::longValue).sum(), "each miss says why: " + r.missReasons);
    // the JSON gives the same reasons (which ones depends on the machine's load)
    JsonNode reasons = j.get("miss_reasons_by_workload");
    assertEquals(r.missReasons.keySet(), toSet(reasons.fieldNames()), reasons.toString());
    r.missReasons.forEach((kind, counts) -> counts.forEach((reason, n) ->
        assertEquals(n, reasons.get(kind).get(reason).asLong(), reasons.toString())));
    // Seeding: the 10 repeated prompts and one origin per paraphrase asked, all stored.
    assertTrue(j.get("seeding").get("tiers").get("MISS").get("count").asLong() >= 10);
  }

  /**
   * The sentinel can be a semantic hit from Bound's pending answers while shed seeds are still
   * in the index backlog, not yet on the deferred list; measuring then would find their
   * paraphrases without a candidate. A stand-in Bound reports a backlog for its first scrapes.
   */
  @Test
  void prepare_waitsForTheIndexBacklogBeforeMeasuring() throws Exception {
    AtomicInteger scrapes = new AtomicInteger();
    HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    fake.createContext("/v1/chat/completions", ex -> {
      ex.getRequestBody().readAllBytes();
      boolean seed = ex.getRequestHeaders().containsKey("X-Bound-Threshold");
      ex.getResponseHeaders().add("X-Bound-Cache", seed ? "MISS" : "HIT-SEMANTIC");
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    fake.createContext("/metrics", ex -> {
      int n = scrapes.incrementAndGet();
      byte[] body = ("bound_index_deferred_waiting 0.0\nbound_index_backlog "
          + (n < 5 ? "2.0" : "0.0") + "\n").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    fake.start();
    try {
      LoadBench.Options o = LoadBench.Options.of(URI.create("http://127.0.0.1:"
          + fake.getAddress().getPort() + "/v1")).withLoad(1, Duration.ofMinutes(1), 1)
          .withMix(new LoadBench.Mix(0, 1, 0), List.of(new LoadBench.Pair("origin", "similar")),
              1);

      LoadBench.prepare(o);

      // Four scrapes saw a backlog; the fifth saw none, and the sixth an empty deferred list.
      assertEquals(6, scrapes.get());
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void run_stopsAtItsTimeBound() throws Exception {
    LoadBench.Options o = LoadBench.Options.of(bound.url())
        .withLoad(1_000_000_000L, Duration.ofMillis(300), 2)
        .withMix(new LoadBench.Mix(1, 0, 0), List.of(), 5);

    LoadBench.Report r = LoadBench.run(o);

    assertEquals("duration", r.stoppedBy);
    assertTrue(r.requests() > 0 && r.requests() < 1_000_000_000L);
    assertEquals(r.requests(), r.latencies("HIT-EXACT").length);
  }

  @Test
  void run_countsRefusedConnectionsAsErrors() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LoadBench.Options o = LoadBench.Options.of(URI.create("http://127.0.0.1:" + port + "/v1"))
        .withLoad(7, Duration.ofMinutes(1), 3).withMix(new LoadBench.Mix(0, 0, 1), List.of(), 1);

    LoadBench.Report r = LoadBench.run(o);

    assertEquals(7, r.requests());
    assertEquals(Map.of("connect", 7L), r.errors);
    assertTrue(r.tiers.isEmpty());
  }

  @Test
  void command_printsJsonThatParses() throws Exception {
    CommandLine cli = new CommandLine(LoadBench.command());
    CommandLine.ParseResult parsed = cli.parseArgs("--url", bound.url().toString(),
        "--requests", "40", "--concurrency", "3", "--mix", "exact=1,paraphrase=1,novel=1",
        "--pairs", pairsFile().toString(), "--stream", "--json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = LoadBench.main(parsed, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    JsonNode j = JSON.readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals(40, j.get("requests").asLong());
    assertEquals(0, j.get("errors").asLong());
    assertTrue(j.get("stream").asBoolean());
    long sum = 0;
    for (JsonNode t : j.get("tiers")) {
      sum += t.get("count").asLong();
      assertTrue(t.has("first_byte_ms"));
    }
    assertEquals(40, sum);
  }

  @Test
  void command_withSavingsToken_addsTheLedgersAccountOfTheRun() throws Exception {
    CommandLine.ParseResult parsed = new CommandLine(LoadBench.command()).parseArgs("--url",
        bound.url().toString(), "--requests", "30", "--concurrency", "1", "--mix", "exact=1",
        "--exact-pool", "2", "--temperature", "default", "--savings-token", ADMIN, "--json");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = LoadBench.main(parsed, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    JsonNode ledger = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("ledger");
    long novelty = ledger.at("/temperature_mix/novelty_requests").asLong();
    // 2 seeds and 30 measured; the last may still be in its bookkeeping when the ledger is read.
    assertTrue(novelty >= 30 && novelty <= 32, ledger.toString());
    assertEquals(0, ledger.at("/carbon_shifted/pregenerated").asLong(), "no pre-generation");
    assertTrue(SavingsSummary.table(ledger).contains("novelty requests " + novelty + ", served "
        + "from variant pools "), SavingsSummary.table(ledger));
  }

  @Test
  void command_refusesABadMix() {
    CommandLine.ParseResult parsed = new CommandLine(LoadBench.command())
        .parseArgs("--mix", "exact=1,repeat=2");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = LoadBench.main(parsed, new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(2, code);
    assertEquals("bound: --mix takes kind=weight pairs of exact, paraphrase and novel, such as "
        + "exact=50,paraphrase=30,novel=20; not 'repeat=2'", err.toString(StandardCharsets.UTF_8)
        .strip());
  }
}
