package dev.bound.gateway.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code ./bound compare}: on one machine, over loopback and in one run, the simulated upstream
 * called directly, through nginx as a plain reverse proxy and through Bound (miss path), beside
 * Bound's exact and semantic hits and nginx's {@code proxy_cache} serving the same POST from its
 * cache, and beside Javalin alone answering with the bytes of one of Bound's exact hits ({@link
 * FloorServer}). Bound, nginx and that floor run as their own processes, started and stopped
 * here; the load generator and the simulated upstream share this JVM. Every path is measured in
 * each of several interleaved rounds (after one unrecorded warm-up round), so all of them see the
 * same machine.
 */
public final class Compare {
  private Compare() {}

  /** One measured path: its name, the tier that counts, and its workload. */
  private record Lane(String name, String tier, LoadBench bench) {}

  /** Settings of a comparison run. */
  record Settings(int rounds, double seconds, long requests, List<Integer> concurrency,
      Duration upstreamTtft, int upstreamTps, boolean stream, String nginx, List<String> boundOpts,
      java.nio.file.Path pairs) {}

  /** The {@code compare} subcommand's options. */
  public static CommandSpec command() {
    CommandSpec spec = CommandSpec.create().name("compare").mixinStandardHelpOptions(true);
    spec.usageMessage().description("Side-by-side benchmark on loopback: the simulated upstream "
        + "directly, through nginx (plain reverse proxy) and through Bound (miss); Bound's exact "
        + "and semantic hits beside nginx proxy_cache hits and beside Javalin alone answering "
        + "with one exact hit's bytes. Starts and stops the simulated upstream, Bound, nginx "
        + "and that Javalin server itself; needs nginx on the PATH.");
    add(spec, "--rounds", "N", int.class, "3", "Measured rounds, after one warm-up (default 3).");
    add(spec, "--seconds", "S", double.class, "4", "Time per path, concurrency and round "
        + "(default 4).");
    add(spec, "--requests", "N", long.class, "20000", "Request bound per path, concurrency and "
        + "round (default 20000).");
    add(spec, "--concurrency", "LIST", String.class, "1,32", "Connection counts (default 1,32).");
    add(spec, "--upstream-ttft", "MS", int.class, "20", "Simulated upstream: ms before the "
        + "answer (default 20).");
    add(spec, "--upstream-tps", "N", int.class, "0", "Simulated upstream: tokens/s after the "
        + "first (default 0: the whole answer at once, so every miss costs the same).");
    add(spec, "--nginx", "PATH", String.class, "nginx", "The nginx binary (default nginx).");
    add(spec, "--bound-java-opts", "OPTS", String.class, "", "Extra JVM options for Bound's "
        + "process, after this JVM's own (e.g. '--add-modules jdk.incubator.vector').");
    add(spec, "--pairs", "FILE", String.class, null, "Paraphrase pairs (default "
        + "../shared/data/paraphrase_positives.json beside the repository).");
    spec.addOption(OptionSpec.builder("--stream").arity("0").type(boolean.class)
        .description("Stream every answer (nginx then proxies without buffering).").build());
    spec.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class)
        .description("Print the results as JSON.").build());
    return spec;
  }

  private static void add(CommandSpec spec, String name, String label, Class<?> type, String def,
      String description) {
    spec.addOption(OptionSpec.builder(name).paramLabel(label).type(type).defaultValue(def)
        .description(description).build());
  }

  /** Runs the {@code compare} subcommand; returns its exit code. */
  public static int main(ParseResult sub, PrintStream out, PrintStream err) {
    Settings s;
    try {
      List<Integer> conc = new ArrayList<>();
      for (String c : sub.matchedOptionValue("--concurrency", "1,32").split(",")) {
        try {
          conc.add(Integer.parseInt(c.strip()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--concurrency takes whole numbers separated by "
              + "commas, such as 1,32; '" + c.strip() + "' is not one");
        }
      }
      String opts = sub.matchedOptionValue("--bound-java-opts", "").strip();
      s = new Settings(sub.matchedOptionValue("--rounds", 3), sub.matchedOptionValue("--seconds",
          4.0), sub.matchedOptionValue("--requests", 20000L), conc,
          Duration.ofMillis(sub.matchedOptionValue("--upstream-ttft", 20)),
          sub.matchedOptionValue("--upstream-tps", 0), sub.hasMatchedOption("--stream"),
          sub.matchedOptionValue("--nginx", "nginx"),
          opts.isEmpty() ? List.of() : List.of(opts.split("\\s+")),
          sub.hasMatchedOption("--pairs") ? java.nio.file.Path.of(sub.<String>matchedOptionValue(
              "--pairs", "")) : LoadBench.defaultPairs());
      if (s.rounds() < 1 || !(s.seconds() > 0) || s.requests() < 1
          || conc.stream().anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException("rounds, seconds, requests and concurrency must be "
            + "positive");
      }
      if (!Files.isRegularFile(s.pairs())) {
        throw new IllegalArgumentException("paraphrase pairs file " + s.pairs()
            + " does not exist; give --pairs FILE");
      }
    } catch (IllegalArgumentException e) {
      err.println("bound: " + e.getMessage());
      return 2;
    }
    try {
      ObjectNode result = run(s, err);
      out.print(sub.hasMatchedOption("--json")
          ? LoadBench.JSON.writeValueAsString(result) + "\n" : table(result));
      return 0;
    } catch (Exception e) {
      err.println("bound: the comparison failed: " + e);
      return 1;
    }
  }

  static ObjectNode run(Settings s, PrintStream log) throws Exception {
    Path tmp = Files.createTempDirectory("bound-compare");
    ObjectNode result = LoadBench.JSON.createObjectNode();
    result.put("cores", Runtime.getRuntime().availableProcessors());
    result.put("load_average_before", loadAverage());
    result.put("java", System.getProperty("java.version"));
    List<Process> children = new ArrayList<>();
    Thread reaper = new Thread(() -> children.forEach(Process::destroy));
    Runtime.getRuntime().addShutdownHook(reaper);
    try (SimulatedUpstream sim = SimulatedUpstream.start(s.upstreamTtft(), s.upstreamTps())) {
      URI upstream = sim.url();
      int boundPort = freePort();
      int proxyPort = freePort();
      int cachePort = freePort();
      // First start unpacks the model into the data directory; the second is the one timed.
      log.println("compare: starting Bound (first start unpacks the model)...");
      Process first = startBound(s, tmp, upstream, boundPort, children);
      awaitReady(boundPort, first);
      stop(first, children);
      long t0 = System.nanoTime();
      Process bound = startBound(s, tmp, upstream, boundPort, children);
      awaitReady(boundPort, bound);
      double startup = (System.nanoTime() - t0) / 1e9;
      result.put("bound_startup_to_ready_s", Math.round(startup * 100) / 100.0);
      log.println("compare: Bound ready in " + String.format(Locale.ROOT, "%.2f", startup)
          + " s; starting nginx...");
      Process nginx = startNginx(s, tmp, upstream, proxyPort, cachePort, children);
      result.put("nginx", nginxVersion(s.nginx()));
      URI boundUrl = URI.create("http://127.0.0.1:" + boundPort + "/v1");
      URI proxyUrl = URI.create("http://127.0.0.1:" + proxyPort + "/v1");
      URI cacheUrl = URI.create("http://127.0.0.1:" + cachePort + "/v1");
      List<LoadBench.Pair> pairs = LoadBench.readPairs(s.pairs());
      LoadBench.Options base = LoadBench.Options.of(boundUrl).withStream(s.stream());
      LoadBench.Mix exact = new LoadBench.Mix(1, 0, 0);
      LoadBench.Mix novel = new LoadBench.Mix(0, 0, 1);
      LoadBench.Mix para = new LoadBench.Mix(0, 1, 0);
      log.println("compare: seeding the caches...");
      List<Lane> paths = new ArrayList<>();
      paths.add(new Lane("upstream directly", "NONE", LoadBench.prepare(
          base.withTarget(upstream, "X-Bound-Cache", "direct", 0).withMix(novel, pairs, 1))));
      paths.add(new Lane("nginx proxy", "NONE", LoadBench.prepare(
          base.withTarget(proxyUrl, "X-Bound-Cache", "proxy", 0).withMix(novel, pairs, 1))));
      paths.add(new Lane("Bound miss", "MISS", LoadBench.prepare(
          base.withTarget(boundUrl, "X-Bound-Cache", "miss", 0).withMix(novel, pairs, 1))));
      paths.add(new Lane("nginx proxy_cache hit", "HIT", LoadBench.prepare(
          base.withTarget(cacheUrl, "X-Cache-Status", "nginx-hit", 0).withMix(exact, pairs, 100))));
      LoadBench exactHits = LoadBench.prepare(
          base.withTarget(boundUrl, "X-Bound-Cache", "exact", 0).withMix(exact, pairs, 100));
      paths.add(new Lane("Bound exact hit", "HIT-EXACT", exactHits));
      // The HTTP stack alone, answering with the bytes of one of those hits.
      Path answer = tmp.resolve("exact-hit.json");
      Files.write(answer, exactHits.firstAnswer());
      int floorPort = freePort();
      Process floor = startFloor(floorPort, answer, tmp, children);
      awaitReady(floorPort, floor, "the Javalin floor server");
      URI floorUrl = URI.create("http://127.0.0.1:" + floorPort + "/v1");
      paths.add(new Lane(FLOOR, FloorServer.TIER, LoadBench.prepare(
          base.withTarget(floorUrl, FloorServer.HEADER, "floor", 0).withMix(exact, pairs, 100))));
      LoadBench semantic = LoadBench.prepare(base.withTarget(boundUrl, "X-Bound-Cache",
          "semantic", 0).withLoad(pairs.size(), Duration.ofDays(1), 1).withMix(para, pairs, 1));
      int kept = semantic.keepSemanticHits();
      semantic.measureWithoutStoring();
      result.put("paraphrase_pairs_hitting", kept);
      result.put("paraphrase_pairs", pairs.size());
      paths.add(new Lane("Bound semantic hit", "HIT-SEMANTIC", semantic));

      Map<String, List<LoadBench.Report>> reports = new LinkedHashMap<>();
      for (int round = 0; round <= s.rounds(); round++) {
        log.println("compare: " + (round == 0 ? "warm-up round" : "round " + round + " of "
            + s.rounds()) + ", load average " + loadAverage());
        for (int c : s.concurrency()) {
          for (Lane p : paths) {
            double secs = s.seconds(); // the warm-up round as long, so the JIT is done
            LoadBench.Report r = p.bench().measure(s.requests(),
                Duration.ofNanos((long) (secs * 1e9)), c, 0);
            if (round > 0) {
              reports.computeIfAbsent(p.name() + "\u0000" + c, k -> new ArrayList<>()).add(r);
            }
          }
        }
      }
      result.put("load_average_after", loadAverage());
      result.put("bound_rss_mib", rssMib(bound.pid()));
      ArrayNode rows = result.putArray("paths");
      Map<String, ObjectNode> byKey = new LinkedHashMap<>();
      for (int c : s.concurrency()) {
        for (Lane p : paths) {
          ObjectNode row = summarize(p, c, reports.get(p.name() + "\u0000" + c));
          rows.add(row);
          byKey.put(p.name() + "@" + c, row);
        }
      }
      ArrayNode ratios = result.putArray("ratios");
      for (int c : s.concurrency()) {
        ratio(ratios, byKey, c, "Bound exact hit", "nginx proxy_cache hit");
        ratio(ratios, byKey, c, "Bound exact hit", FLOOR);
        ratio(ratios, byKey, c, FLOOR, "nginx proxy_cache hit");
        ratio(ratios, byKey, c, "Bound semantic hit", "nginx proxy_cache hit");
        ratio(ratios, byKey, c, "Bound miss", "nginx proxy");
        ratio(ratios, byKey, c, "Bound miss", "upstream directly");
        ratio(ratios, byKey, c, "nginx proxy", "upstream directly");
      }
      ObjectNode settings = result.putObject("settings");
      settings.put("rounds", s.rounds());
      settings.put("seconds_per_cell", s.seconds());
      settings.put("upstream_ttft_ms", s.upstreamTtft().toMillis());
      settings.put("upstream_tokens_per_second", s.upstreamTps());
      settings.put("stream", s.stream());
      settings.put("bound_java_opts", String.join(" ", jvmArgs(s)));
      stop(nginx, children);
      stop(floor, children);
      stop(bound, children);
      result.set("bound_decision_log", decisionLogMedians(tmp.resolve("bound.log")));
    } finally {
      children.forEach(Process::destroy);
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      deleteTree(tmp);
    }
    return result;
  }

  /**
   * Bound's own view of each measured path from its decision log (medians in ms): the time spent
   * embedding, searching, waiting for the upstream and in the whole handler, which separates
   * Bound's own work from the upstream's and from transport.
   */
  private static ObjectNode decisionLogMedians(Path log) throws IOException {
    Map<String, Map<String, List<Double>>> by = new LinkedHashMap<>();
    try (var lines = Files.lines(log)) {
      lines.filter(l -> l.startsWith("{\"ts\"")).forEach(l -> {
        try {
          var j = LoadBench.JSON.readTree(l);
          String tenant = j.path("tenant").asText();
          // A tenant is the credential's, subdivided by the namespace: "<key>/ns:miss".
          String key = tenant.substring(tenant.indexOf("ns:") < 0 ? 0 : tenant.indexOf("ns:"))
              + " " + j.path("tier").asText();
          Map<String, List<Double>> m = by.computeIfAbsent(key, k -> new LinkedHashMap<>());
          for (String f : List.of("embed_ms", "search_ms", "upstream_ms", "latency_ms")) {
            if (j.has(f)) {
              m.computeIfAbsent(f, k -> new ArrayList<>()).add(j.get(f).asDouble());
            }
          }
        } catch (IOException e) {
          // not a decision line
        }
      });
    }
    ObjectNode out = LoadBench.JSON.createObjectNode();
    by.forEach((key, m) -> {
      if (!key.startsWith("ns:miss MISS") && !key.startsWith("ns:exact HIT-EXACT")
          && !key.startsWith("ns:semantic HIT-SEMANTIC")) {
        return;
      }
      ObjectNode n = out.putObject(key.substring(3));
      m.forEach((f, v) -> {
        v.sort(null);
        n.put(f.replace("_ms", "_p50_ms"), v.get(v.size() / 2));
      });
      n.put("requests", m.values().iterator().next().size());
    });
    return out;
  }

  private static ObjectNode summarize(Lane p, int c, List<LoadBench.Report> rs) {
    ObjectNode row = LoadBench.JSON.createObjectNode();
    row.put("path", p.name());
    row.put("concurrency", c);
    LoadBench.LongList all = new LoadBench.LongList();
    double seconds = 0;
    long requests = 0;
    long errors = 0;
    Map<String, Long> other = new LinkedHashMap<>();
    for (LoadBench.Report r : rs) {
      seconds += r.seconds();
      requests += r.requests();
      errors += r.errorCount();
      r.tiers.forEach((t, l) -> {
        if (t.equals(p.tier())) {
          all.addAll(l);
        } else {
          other.merge(t, (long) l.n, Long::sum);
        }
      });
    }
    long[] sorted = all.sorted();
    row.put("requests", requests);
    row.put("counted", sorted.length);
    row.put("errors", errors);
    ObjectNode o = row.putObject("other_tiers");
    other.forEach(o::put);
    row.put("throughput_rps", Math.round(sorted.length / seconds * 10) / 10.0);
    for (int q : new int[] {50, 90, 99}) {
      row.put("p" + q + "_ms", Math.round(LoadBench.pctMs(sorted, q) * 1000) / 1000.0);
    }
    row.put("max_ms", Math.round(LoadBench.pctMs(sorted, 100) * 1000) / 1000.0);
    return row;
  }

  private static void ratio(ArrayNode out, Map<String, ObjectNode> rows, int c, String a,
      String b) {
    ObjectNode x = rows.get(a + "@" + c);
    ObjectNode y = rows.get(b + "@" + c);
    ObjectNode r = out.addObject();
    r.put("concurrency", c);
    r.put("of", a);
    r.put("to", b);
    r.put("p50_ratio", round(x.path("p50_ms").asDouble() / y.path("p50_ms").asDouble()));
    r.put("p50_difference_ms", round(x.path("p50_ms").asDouble() - y.path("p50_ms").asDouble()));
    r.put("p99_ratio", round(x.path("p99_ms").asDouble() / y.path("p99_ms").asDouble()));
    r.put("throughput_ratio", round(x.path("throughput_rps").asDouble()
        / y.path("throughput_rps").asDouble()));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String table(ObjectNode r) {
    StringBuilder sb = new StringBuilder();
    ObjectNode st = (ObjectNode) r.get("settings");
    sb.append(String.format(Locale.ROOT, "Side by side on loopback, %d cores, Java %s, %s; %d "
        + "rounds of %.1f s per cell after a warm-up round; simulated upstream %d ms%s%s%n",
        r.path("cores").asInt(), r.path("java").asText(), r.path("nginx").asText(),
        st.path("rounds").asInt(), st.path("seconds_per_cell").asDouble(),
        st.path("upstream_ttft_ms").asInt(), st.path("upstream_tokens_per_second").asInt() == 0
            ? "" : ", " + st.path("upstream_tokens_per_second").asInt() + " tokens/s",
        st.path("stream").asBoolean() ? ", streamed" : ""));
    sb.append(String.format(Locale.ROOT, "Load average before %s, after %s. Bound start-up to "
        + "ready (model on disk) %.2f s, resident memory after the run %d MiB.%n",
        r.path("load_average_before").asText(), r.path("load_average_after").asText(),
        r.path("bound_startup_to_ready_s").asDouble(), r.path("bound_rss_mib").asLong()));
    sb.append(String.format(Locale.ROOT, "Paraphrase pairs answered from the semantic tier "
        + "(used for its row): %d of %d%n%n", r.path("paraphrase_pairs_hitting").asInt(),
        r.path("paraphrase_pairs").asInt()));
    sb.append(String.format(Locale.ROOT, "%-24s %5s %8s %9s %8s %8s %8s %8s  %s%n", "path", "conc",
        "counted", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "other"));
    for (var row : r.get("paths")) {
      String other = row.path("other_tiers").isEmpty() && row.path("errors").asLong() == 0 ? ""
          : row.path("other_tiers").toString() + (row.path("errors").asLong() > 0
              ? " errors " + row.path("errors").asLong() : "");
      sb.append(String.format(Locale.ROOT, "%-24s %5d %8d %9.1f %8.2f %8.2f %8.2f %8.2f  %s%n",
          row.path("path").asText(), row.path("concurrency").asInt(),
          row.path("counted").asLong(), row.path("throughput_rps").asDouble(),
          row.path("p50_ms").asDouble(), row.path("p90_ms").asDouble(),
          row.path("p99_ms").asDouble(), row.path("max_ms").asDouble(), other));
    }
    sb.append(String.format(Locale.ROOT, "%nBound's decision log, medians over all rounds and "
        + "concurrencies: %s%n", r.path("bound_decision_log")));
    sb.append(String.format(Locale.ROOT, "%nRatios%n%-46s %5s %9s %11s %9s %10s%n", "",
        "conc", "p50 x", "p50 diff ms", "p99 x", "req/s x"));
    for (var x : r.get("ratios")) {
      sb.append(String.format(Locale.ROOT, "%-46s %5d %9.2f %11.2f %9.2f %10.2f%n",
          x.path("of").asText() + " / " + x.path("to").asText(), x.path("concurrency").asInt(),
          x.path("p50_ratio").asDouble(), x.path("p50_difference_ms").asDouble(),
          x.path("p99_ratio").asDouble(), x.path("throughput_ratio").asDouble()));
    }
    return sb.toString();
  }

  // ---- processes ----

  private static List<String> jvmArgs(Settings s) {
    List<String> args = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")
          && !a.startsWith("-XX:StartFlightRecording")) {
        args.add(a);
      }
    }
    args.addAll(s.boundOpts());
    return args;
  }

  private static Process startBound(Settings s, Path tmp, URI upstream, int port,
      List<Process> children) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs(s));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.bound.gateway.cli.Main");
    cmd.addAll(List.of("serve", "--upstream", upstream.toString(), "--port",
        Integer.toString(port), "--data", tmp.resolve("bound-data").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("bound.log").toFile()))
        .start();
    children.add(p);
    return p;
  }

  /** The path of Javalin's own floor under exact hits ({@link FloorServer}). */
  static final String FLOOR = "Javalin, fixed answer";

  private static Process startFloor(int port, Path answer, Path tmp, List<Process> children)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FloorServer.class.getName());
    cmd.addAll(List.of(Integer.toString(port), answer.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("floor.log").toFile()))
        .start();
    children.add(p);
    return p;
  }

  private static void awaitReady(int port, Process p) throws Exception {
    awaitReady(port, p, "Bound");
  }

  private static void awaitReady(int port, Process p, String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(name + " exited with code " + p.exitValue());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + port + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IOException(name + " was not ready within 120 s");
  }

  private static Process startNginx(Settings s, Path tmp, URI upstream, int proxyPort,
      int cachePort, List<Process> children) throws Exception {
    Path dir = tmp.resolve("nginx");
    Files.createDirectories(dir);
    // A root master hands requests to unprivileged workers, which must reach the cache folders
    // nginx creates (and chowns) under here.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String buffering = s.stream() ? "      proxy_buffering off;\n" : "";
    String conf = """
        worker_processes auto;
        daemon off;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          # the body must stay in memory for $request_body to be part of the cache key
          client_body_buffer_size 1m;
          proxy_cache_path %1$s/cache levels=1:2 keys_zone=bound:16m max_size=1g inactive=1h use_temp_path=off;
          upstream sim { server %2$s; keepalive 64; }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://sim;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
        %5$s    }
          }
          server {
            listen 127.0.0.1:%4$d;
            location / {
              proxy_pass http://sim;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
        %5$s      proxy_cache bound;
              proxy_cache_methods POST;
              proxy_cache_key "$request_method$request_uri|$request_body";
              proxy_cache_valid 200 1h;
              add_header X-Cache-Status $upstream_cache_status always;
            }
          }
        }
        """.formatted(dir, upstream.getHost() + ":" + upstream.getPort(), proxyPort, cachePort,
        buffering);
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    Process p = new ProcessBuilder(s.nginx(), "-p", dir.toString(), "-e",
        dir.resolve("error.log").toString(), "-c", file.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .start();
    children.add(p);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!(listening(proxyPort) && listening(cachePort))) {
      if (!p.isAlive()) {
        throw new IOException("nginx exited with code " + p.exitValue() + ": "
            + Files.readString(dir.resolve("error.log")).strip());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("nginx did not listen within 20 s");
      }
      Thread.sleep(20);
    }
    return p;
  }

  private static String nginxVersion(String nginx) {
    try {
      Process p = new ProcessBuilder(nginx, "-v").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor();
      return v.replace("nginx version: ", "");
    } catch (IOException | InterruptedException e) {
      return "nginx";
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void stop(Process p, List<Process> children) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    children.remove(p);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.2f",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static long rssMib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  private static void deleteTree(Path root) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(paths.get(i));
      } catch (IOException e) {
        // a file nginx's workers still hold; the temp folder is swept later
      }
    }
  }
}
