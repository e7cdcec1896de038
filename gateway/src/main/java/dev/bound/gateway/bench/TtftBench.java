package dev.bound.gateway.bench;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.Gateway;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time to first token of a streamed answer: the simulated upstream called directly, and the same
 * through Bound on its miss path and its bypass path, interleaved request by request in one run
 * so that all three see the same machine. Run it with {@code ./bound ttft}.
 */
public final class TtftBench {
  private TtftBench() {}

  /** Runs {@code requests} rounds and prints medians and 90th percentiles in milliseconds. */
  public static void run(PrintStream out, int requests, Duration upstreamTtft) throws Exception {
    Path data = Files.createTempDirectory("bound-ttft");
    try (SimulatedUpstream sim = SimulatedUpstream.start(upstreamTtft, 200);
        Gateway bound = Gateway.start(BoundConfig.resolve(Map.of("server.port", "0",
            "data.dir", data.toString(), "upstream.url", sim.url().toString()), Map.of(), null),
            Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()))) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String direct = sim.url() + "/chat/completions";
      String through = bound.url() + "/chat/completions";
      int warmup = Math.max(5, requests / 10);
      double[][] ms = new double[3][requests];
      for (int i = -warmup; i < requests; i++) {
        // Distinct prompts, so every request through Bound is a real miss.
        String q = "Question number " + i + " about the weather in city " + (i * 7919 % 1000);
        double a = ttft(http, direct, body(q, 0), null);
        double b = ttft(http, through, body(q + " (via Bound)", 0), "MISS");
        double c = ttft(http, through, body(q + " (bypass)", 1), "BYPASS");
        if (i >= 0) {
          ms[0][i] = a;
          ms[1][i] = b;
          ms[2][i] = c;
        }
      }
      out.printf(Locale.ROOT, "Time to first token, %d streamed requests each, interleaved; "
          + "simulated upstream TTFT %d ms, loopback, %d cores%n", requests,
          upstreamTtft.toMillis(), Runtime.getRuntime().availableProcessors());
      out.printf(Locale.ROOT, "%-36s %10s %10s%n", "path", "p50 ms", "p90 ms");
      String[] names = {"upstream directly", "through Bound, miss (lookup+relay)",
          "through Bound, bypass (temperature 1)"};
      for (int k = 0; k < 3; k++) {
        out.printf(Locale.ROOT, "%-36s %10.2f %10.2f%n", names[k], pct(ms[k], 50), pct(ms[k], 90));
      }
      out.printf(Locale.ROOT, "Bound's added TTFT at p50: miss %+.2f ms, bypass %+.2f ms%n",
          pct(ms[1], 50) - pct(ms[0], 50), pct(ms[2], 50) - pct(ms[0], 50));
    } finally {
      deleteTree(data);
    }
  }

  private static String body(String q, double temperature) {
    return "{\"model\":\"bench\",\"stream\":true,\"temperature\":" + temperature
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + q + "\"}]}";
  }

  /**
   * Milliseconds from sending the request to reading the first event that carries content.
   *
   * @param tier the X-Bound-Cache value the answer must have, or null for the upstream itself
   */
  private static double ttft(HttpClient http, String url, String body, String tier)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json");
    if (tier != null) {
      // The prompts are alike; a threshold of 1 keeps the full lookup but allows no semantic hit.
      b.header("X-Bound-Threshold", "1");
    }
    HttpRequest req = b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    double first = -1;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (first < 0 && line.startsWith("data: ") && line.contains("\"content\":\"")
            && !line.contains("\"content\":\"\"")) {
          first = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    if (r.statusCode() != 200 || first < 0) {
      throw new IOException("no content from " + url + " (status " + r.statusCode() + ")");
    }
    String got = r.headers().firstValue("X-Bound-Cache").orElse(null);
    if (tier != null && !tier.equals(got)) {
      throw new IOException("expected X-Bound-Cache " + tier + " but got " + got);
    }
    return first;
  }

  static double pct(double[] values, double p) {
    double[] s = values.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  private static void deleteTree(Path root) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
