package dev.bound.gateway.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.config.ConfigException;
import dev.bound.gateway.Gateway;
import dev.bound.gateway.eval.QuestionStream.Question;
import dev.bound.gateway.eval.StreamScore.Served;
import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.index.docs.DurableFiles;
import dev.bound.models.match.ServedEvidence;
import dev.bound.models.match.Verifier;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@code bound eval --stream FILE}: replays a labelled question stream through a real Bound over
 * HTTP, one question at a time in file order, in front of an upstream that answers each cluster
 * with a text of its own, and scores every answer served (see {@link StreamScore}).
 */
public final class StreamEval {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String MODEL = "bound-eval";

  private StreamEval() {}

  /**
   * How to run a stream.
   *
   * @param stream the JSON-lines file
   * @param sse ask for streamed answers (server-sent events) instead of plain JSON
   * @param json print the full report as JSON instead of a table
   * @param decisions where Bound's decision lines go, or null to drop them
   * @param scratchData the configured data directory is a temporary one, deleted at the end
   * @param calibrationOut the evidence file to put the semantic hits' scores into, or null
   */
  public record Options(Path stream, boolean sse, boolean json, Path decisions,
      boolean scratchData, Path calibrationOut) {}

  /** What came back for one question. */
  record Response(Question question, Served served, String similarity, String score,
      int status) {}

  /** The responses of a whole run, with the upstream's count of requests and the wall time. */
  record Run(List<Response> responses, long upstreamCalls, double seconds) {
    StreamScore score() {
      Map<String, String> groupOf = new HashMap<>();
      for (Response r : responses) {
        if (r.question().group() != null) {
          groupOf.put(r.question().cluster(), r.question().group());
        }
      }
      return StreamScore.of(responses.stream().map(Response::served).toList(), groupOf);
    }
  }

  /**
   * Runs the stream against a Bound started from {@code cfg} (which should listen on
   * 127.0.0.1, port 0), prints the report and returns the exit code: 0, 1 when Bound failed to
   * start, a request got no answer or the evidence file could not be written, 2 for a bad stream
   * file or settings that cannot count evidence.
   */
  public static int run(Options o, BoundConfig cfg, PrintStream out, PrintStream err) {
    try {
      return runIn(o, cfg, out, err);
    } finally {
      if (o.scratchData()) {
        deleteTree(cfg.dataDir());
      }
    }
  }

  private static int runIn(Options o, BoundConfig cfg, PrintStream out, PrintStream err) {
    String noEvidence = o.calibrationOut() == null ? null : cannotCountEvidence(cfg);
    if (noEvidence != null) {
      err.println("bound: --calibration-out: " + noEvidence);
      return 2;
    }
    if (!Files.isRegularFile(o.stream())) {
      err.println("bound: the stream file " + o.stream() + " does not exist");
      return 2;
    }
    List<Question> stream;
    try {
      stream = QuestionStream.read(o.stream());
    } catch (IOException e) {
      err.println("bound: cannot read " + o.stream() + ": " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("bound: " + o.stream() + ": " + e.getMessage());
      return 2;
    }
    Run run;
    try (OutputStream decisions = o.decisions() == null ? OutputStream.nullOutputStream()
        : Files.newOutputStream(o.decisions())) {
      run = replay(stream, cfg, o.sse(), new PrintStream(decisions, true,
          StandardCharsets.UTF_8), err);
    } catch (IOException e) {
      err.println("bound: cannot write " + o.decisions() + ": " + e.getMessage());
      return 1;
    } catch (IllegalStateException | IllegalArgumentException | ConfigException e) {
      err.println("bound: " + e.getMessage());
      return 1;
    }
    StreamReport report = new StreamReport(o.stream().toString(), cfg, o.sse(), run);
    out.print(o.json() ? report.json() + "\n" : report.table());
    int errors = run.score().tier("ERROR").count();
    if (errors > 0) {
      err.println("bound: " + errors + " of " + stream.size() + " requests got no answer"
          + (o.calibrationOut() != null ? "; " + o.calibrationOut() + " was left as it was" : ""));
      return 1;
    }
    return o.calibrationOut() == null ? 0 : writeEvidence(o, cfg, run, err);
  }

  /**
   * Why a run with these settings cannot count served evidence, or null when it can: with an
   * error rate the bound's τ, not the matcher's threshold, chose the hits, and Bound uses the
   * evidence only with its built-in embedding models.
   */
  static String cannotCountEvidence(BoundConfig cfg) {
    if (!Double.isNaN(cfg.cache().matching().errorRate())) {
      return "run it without cache.error-rate, so that the matcher's threshold alone chooses "
          + "the hits";
    }
    if (!cfg.embedding().dir().isEmpty()) {
      return "evidence is counted for the built-in embedding models only, not embedding.dir";
    }
    return null;
  }

  /**
   * Puts the run's semantic hits into the evidence file, replacing the matcher's entry and
   * keeping the others; the file is replaced whole, so a failed write leaves it as it was.
   */
  static int writeEvidence(Options o, BoundConfig cfg, Run run, PrintStream err) {
    Path file = o.calibrationOut();
    try {
      ServedEvidence e = evidence(o.stream(), cfg, run);
      if (e.total() == 0) {
        err.println("bound: --calibration-out: no semantic hit with a score was served; "
            + file + " was left as it was");
        return 1;
      }
      String before = Files.exists(file) ? Files.readString(file) : null;
      DurableFiles.write(file, e.mergedInto(before).getBytes(StandardCharsets.UTF_8));
      long hits = run.score().tier("HIT-SEMANTIC").count();
      err.println("bound: wrote the scores of " + (long) e.total() + " of " + hits
          + " semantic hits to " + file + " as the served evidence of " + e.matcher()
          + (e.total() < hits ? " (the others had no score of 0.5 or more)" : ""));
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("bound: cannot write " + file + ": " + e.getClass().getSimpleName() + ": "
          + e.getMessage());
      return 1;
    }
  }

  /**
   * The semantic hits of a run counted per score bin, right and wrong, for the matcher the run
   * used: the offline evidence of the error bound's calibration ({@link ServedEvidence}).
   */
  static ServedEvidence evidence(Path streamFile, BoundConfig cfg, Run run) throws IOException {
    List<Response> hits = run.responses().stream()
        .filter(r -> r.served().tier().equals("HIT-SEMANTIC")).toList();
    double[] scores = new double[hits.size()];
    boolean[] right = new boolean[hits.size()];
    for (int i = 0; i < scores.length; i++) {
      // X-Bound-Score has four decimals: a score within 0.00005 under a bin's upper edge counts
      // in the bin above. A hit without a usable score counts nowhere (NaN has no bin).
      scores[i] = parseOrNaN(hits.get(i).score());
      right[i] = hits.get(i).served().right();
    }
    BoundConfig.Matching m = cfg.cache().matching();
    String matcher = m.matcher();
    String threshold = Double.isNaN(m.threshold()) ? "its operating point"
        : String.valueOf(m.threshold());
    String source = "bound eval --stream " + streamFile.getFileName() + " (" + run.responses()
        .size() + " questions, SHA-256 " + ServedEvidence.sha256Of(Files.readAllBytes(streamFile))
        + "), matcher threshold " + threshold + judgedWith(m);
    return ServedEvidence.count(matcher, cfg.embedding().model(),
        matcher.equals("cosine") ? null : Verifier.builtinSha256(), scores, right, source);
  }

  /** What else judged the pairs of {@code verified-lexical}: the second model, and where. */
  private static String judgedWith(BoundConfig.Matching m) {
    if (!m.matcher().equals("verified-lexical")) {
      return "";
    }
    if (!m.softwareSecondModel()) {
      return ", no second model";
    }
    return ", second model for software" + (m.secondOpinion() == null ? ""
        : " and for scores " + m.secondOpinion().low() + "-" + m.secondOpinion().high());
  }

  private static double parseOrNaN(String header) {
    try {
      return header == null ? Double.NaN : Double.parseDouble(header.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Starts the upstream and Bound, sends every question in order, and stops both. */
  static Run replay(List<Question> stream, BoundConfig cfg, boolean sse, PrintStream decisions,
      PrintStream progress) {
    ClusterAnswers answers = new ClusterAnswers(stream);
    try (SimulatedUpstream upstream = SimulatedUpstream.start(Duration.ZERO, 0, answers::answer);
        Gateway bound = Gateway.start(cfg.withUpstream(upstream.url()), Clock.systemUTC(),
            decisions);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      // A namespace of its own, so that a reused --data directory does not answer from an
      // earlier run.
      String namespace = "bound-eval-" + HexFormat.of().toHexDigits(
          ThreadLocalRandom.current().nextInt());
      URI url = URI.create(bound.url() + "/chat/completions");
      warmUp(http, url, sse, answers);
      long calls0 = upstream.calls();
      List<Response> out = new ArrayList<>(stream.size());
      long t0 = System.nanoTime();
      for (Question q : stream) {
        out.add(ask(http, url, namespace, q, sse, answers));
        if (out.size() % 500 == 0 && out.size() < stream.size()) {
          progress.println("bound: " + out.size() + " of " + stream.size() + " questions sent");
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      bound.awaitIdle();
      return new Run(out, upstream.calls() - calls0, seconds);
    }
  }

  /**
   * Sends a few questions of no cluster, in a namespace of their own, so that the first questions
   * of the stream do not pay for loading classes and the first passes of the model.
   */
  private static void warmUp(HttpClient http, URI url, boolean sse, ClusterAnswers answers) {
    String namespace = "bound-eval-warm-up";
    for (int i = 0; i < WARM_UP; i++) {
      Question q = new Question("Warm-up question number " + (i / 2) + " of " + WARM_UP, "");
      ask(http, url, namespace, q, sse, answers);
    }
  }

  /** Requests sent before the stream: half misses, half exact repeats of them. */
  static final int WARM_UP = 20;

  private static Response ask(HttpClient http, URI url, String namespace, Question q,
      boolean sse, ClusterAnswers answers) {
    ObjectNode body = JSON.createObjectNode().put("model", MODEL).put("temperature", 0);
    body.putArray("messages").addObject().put("role", "user").put("content", q.text());
    if (sse) {
      body.put("stream", true);
    }
    HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2))
        .header("Content-Type", "application/json").header("X-Bound-Namespace", namespace)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    long t0 = System.nanoTime();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return failed(q, System.nanoTime() - t0, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(q, System.nanoTime() - t0, 0);
    }
    long nanos = System.nanoTime() - t0;
    String tier = r.headers().firstValue("X-Bound-Cache").orElse(null);
    String content = r.statusCode() == 200 ? content(r.body(), sse) : null;
    if (tier == null || content == null) {
      return failed(q, nanos, r.statusCode());
    }
    Served s = new Served(q.cluster(), tier, answers.clusterOf(content), nanos,
        r.headers().firstValue("X-Bound-Reason").orElse(null));
    return new Response(q, s, r.headers().firstValue("X-Bound-Similarity").orElse(null),
        r.headers().firstValue("X-Bound-Score").orElse(null), r.statusCode());
  }

  private static Response failed(Question q, long nanos, int status) {
    return new Response(q, new Served(q.cluster(), "ERROR", null, nanos, null), null, null,
        status);
  }

  /** The answer's text, from a chat completion or its event stream; null if it has none. */
  static String content(String body, boolean sse) {
    try {
      if (!sse) {
        JsonNode m = JSON.readTree(body).path("choices").path(0).path("message").path("content");
        return m.isTextual() ? m.asText() : null;
      }
      StringBuilder sb = new StringBuilder();
      boolean done = false;
      for (String line : body.split("\n")) {
        if (!line.startsWith("data:")) {
          continue;
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
          done = true;
          continue;
        }
        JsonNode event = JSON.readTree(data);
        if (event.has("error")) {
          return null;
        }
        sb.append(event.path("choices").path(0).path("delta").path("content").asText(""));
      }
      return done ? sb.toString() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind is not worth failing the run for.
    }
  }
}
