package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts Bound on a free port in front of a given upstream, with its own data directory. */
public final class Harness implements AutoCloseable {
  public final Gateway gateway;
  final ByteArrayOutputStream decisions = new ByteArrayOutputStream();
  private final HttpClient http = HttpClient.newHttpClient();

  public Harness(Path data, URI upstream, Map<String, String> extra) {
    this(data, upstream, extra, java.util.concurrent.ThreadLocalRandom.current());
  }

  /** With the semantic tier's sampling coins drawn from {@code random}. */
  Harness(Path data, URI upstream, Map<String, String> extra,
      java.util.random.RandomGenerator random) {
    this(data, upstream, extra, random, Clock.systemUTC());
  }

  /** With every time Bound reads taken from {@code clock}. */
  Harness(Path data, URI upstream, Map<String, String> extra, Clock clock) {
    this(data, upstream, extra, java.util.concurrent.ThreadLocalRandom.current(), clock);
  }

  /** With the index's and the embeddings store's files written through {@code indexFiles}. */
  public Harness(Path data, URI upstream, Map<String, String> extra,
      java.util.function.UnaryOperator<org.apache.lucene.store.Directory> indexFiles) {
    this(data, upstream, extra, java.util.concurrent.ThreadLocalRandom.current(),
        Clock.systemUTC(), indexFiles);
  }

  private Harness(Path data, URI upstream, Map<String, String> extra,
      java.util.random.RandomGenerator random, Clock clock) {
    this(data, upstream, extra, random, clock, java.util.function.UnaryOperator.identity());
  }

  private Harness(Path data, URI upstream, Map<String, String> extra,
      java.util.random.RandomGenerator random, Clock clock,
      java.util.function.UnaryOperator<org.apache.lucene.store.Directory> indexFiles) {
    // A generous semantic budget: on a loaded test machine the default 40 ms sheds requests as
    // overloaded, which only AdmissionTest (with its own budget) is about.
    Map<String, String> flags = new HashMap<>(Map.of("server.port", "0",
        "data.dir", data.toString(), "upstream.url", upstream.toString(),
        "cache.semantic-budget", "30s"));
    flags.putAll(extra);
    BoundConfig cfg = BoundConfig.resolve(flags, Map.of(), null);
    this.gateway = Gateway.start(cfg, clock,
        new PrintStream(decisions, true, StandardCharsets.UTF_8), random, indexFiles);
  }

  /** A chat request for model {@code sim} at temperature 0 with one user message. */
  public static String ask(String question) {
    return "{\"model\":\"sim\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + question + "\"}]}";
  }

  /** The response's X-Bound-Cache header, which must be there. */
  public static String tier(HttpResponse<?> r) {
    return r.headers().firstValue("X-Bound-Cache").orElseThrow();
  }

  public static SimulatedUpstream fastUpstream() {
    return SimulatedUpstream.start(Duration.ZERO, 0);
  }

  public String base() {
    return gateway.url().toString();
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET of a path outside /v1, with extra headers given as name, value pairs. */
  public HttpResponse<String> getOutsideApi(String path, String... headers) throws Exception {
    URI u = URI.create("http://127.0.0.1:" + gateway.port() + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(u).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The decision lines of every request answered so far. */
  public String decisionLog() {
    gateway.awaitIdle();
    return decisions.toString(StandardCharsets.UTF_8);
  }

  /** The decision lines, which must number at least {@code count}. */
  List<String> decisionLines(int count) {
    List<String> lines = decisionLog().lines().toList();
    if (lines.size() < count) {
      throw new AssertionError("expected " + count + " decision lines, got " + lines);
    }
    return lines;
  }

  @Override
  public void close() {
    gateway.close();
  }
}
