package dev.bound.gateway.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.eval.QuestionStream.Question;
import dev.bound.models.match.PooledCalibration;
import dev.bound.models.match.ServedEvidence;
import dev.bound.models.match.Verifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small held-out QQP stream through a real Bound over HTTP. The bounds are loose on purpose:
 * this checks that the replay and its report hold together, not how good the matcher is.
 */
class StreamEvalTest {
  @TempDir
  Path dir;

  private static Path sharedData() {
    Path d = Path.of(System.getProperty("bound.shared.data", "../../shared/data"));
    assertTrue(Files.isDirectory(d), "the labelled pairs are expected in " + d.toAbsolutePath()
        + " (the shared/ folder beside the repository); set -Dbound.shared.data to elsewhere");
    return d;
  }

  @Test
  void heldOutQqpStream_reportHoldsTogether() throws Exception {
    Path stream = dir.resolve("qqp.jsonl");
    ByteArrayOutputStream made = new ByteArrayOutputStream();
    assertEquals(0, StreamBuilder.run("qqp", sharedData(), null, 200, 1, stream,
        new PrintStream(made, true, StandardCharsets.UTF_8), System.err));
    List<Question> questions = QuestionStream.read(stream);
    assertTrue(questions.size() >= 190 && questions.size() <= 200, "" + questions.size());

    BoundConfig cfg = BoundConfig.resolve(Map.of("server.port", "0",
        "data.dir", dir.resolve("data").toString()), Map.of(), null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // An evidence file that already holds another matcher's counts: they must stay.
    Path evidence = dir.resolve("evidence.json");
    double[] none = new double[PooledCalibration.BINS];
    double[] some = new double[PooledCalibration.BINS];
    some[PooledCalibration.BINS - 1] = 3;
    Files.writeString(evidence, new ServedEvidence("cosine", "all-minilm-l6-v2-q", null, some,
        none, "earlier").mergedInto(null));
    int code = StreamEval.run(new StreamEval.Options(stream, false, true, null, true, evidence),
        cfg,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(Files.notExists(dir.resolve("data")), "the scratch data directory is deleted");

    JsonNode r = new ObjectMapper().readTree(out.toByteArray());
    int n = questions.size();
    assertEquals(n, r.get("requests").asInt());
    int sum = 0;
    for (JsonNode t : r.get("tiers")) {
      sum += t.get("count").asInt();
    }
    assertEquals(n, sum, "every question lands in one tier");
    assertEquals(n, r.get("outcomes").size());
    assertEquals(0, r.at("/tiers/ERROR/count").asInt());
    assertEquals(0, r.at("/tiers/BYPASS/count").asInt(), "temperature 0 is always looked up");
    assertEquals(r.at("/tiers/MISS/count").asInt(), r.get("upstream_calls").asInt(),
        "only misses reach the upstream");
    assertEquals(0, r.at("/tiers/MISS/wrong").asInt(), "a miss is the upstream's own answer");
    assertEquals(0, r.at("/exact_wrong_hits/count").asInt(), "every exact hit is right");

    int chances = 0;
    for (JsonNode o : r.get("outcomes")) {
      chances += o.get("chance").asBoolean() ? 1 : 0;
    }
    assertEquals(chances, r.get("chances").asInt());
    assertEquals(chances, r.at("/recall/of").asInt());
    assertTrue(chances > 50, "a held-out QQP stream has questions with a chance: " + chances);

    int semantic = r.at("/tiers/HIT-SEMANTIC/count").asInt();
    assertTrue(semantic > 0, "some paraphrases are served");
    double wrong = r.at("/semantic_wrong_hits/value").asDouble();
    assertTrue(wrong < 0.15, "semantic wrong-hit rate " + wrong);
    double recall = r.at("/recall/value").asDouble();
    assertTrue(recall > 0.3, "recall " + recall);

    // The evidence counts every semantic hit in its score's bin, right and wrong apart.
    String text = Files.readString(evidence);
    ServedEvidence counted = ServedEvidence.parse(text, "verified-lexical").orElseThrow();
    assertEquals(semantic, counted.total(), 1e-9);
    assertEquals(r.at("/tiers/HIT-SEMANTIC/wrong").asDouble(), sum(counted.wrong()), 1e-9);
    assertEquals(Verifier.builtinSha256(), counted.verifierSha256());
    assertEquals(cfg.embedding().model(), counted.embedding());
    for (JsonNode o : r.get("outcomes")) {
      if (o.get("tier").asText().equals("HIT-SEMANTIC")) {
        int bin = PooledCalibration.bin(o.get("score").asDouble());
        double[] side = o.get("right").asBoolean() ? counted.correct() : counted.wrong();
        assertTrue(side[bin] >= 1, "a hit at " + o.get("score") + " is counted in its bin");
      }
    }
    assertEquals(3, ServedEvidence.parse(text, "cosine").orElseThrow().total(), 1e-9,
        "another matcher's entry is kept");
  }

  private static double sum(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v;
    }
    return s;
  }

  /** The evidence file is replaced whole or not at all, and only from a run that can count. */
  @Test
  void calibrationOut_leavesTheFileAsItWas_whenItCannotCount() throws Exception {
    Path file = dir.resolve("evidence.json");
    BoundConfig cfg = BoundConfig.resolve(Map.of("cache.matcher", "cosine"), Map.of(), null);
    Question q = new Question("How do I reset my password?", "1");
    StreamEval.Run run = new StreamEval.Run(List.of(
        new StreamEval.Response(q, new StreamScore.Served("1", "HIT-SEMANTIC", "1", 1, null),
            "0.93", "0.9300", 200),
        new StreamEval.Response(q, new StreamScore.Served("1", "HIT-SEMANTIC", "2", 1, null),
            "0.91", "0.9100", 200)), 0, 1);
    Path streamFile = Files.writeString(dir.resolve("stream.jsonl"),
        "{\"q\": \"How do I reset my password?\", \"c\": 1}\n");
    StreamEval.Options o = new StreamEval.Options(streamFile, false, false, null, false, file);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    Files.writeString(file, "{\"format\": 7}");
    assertEquals(1, StreamEval.writeEvidence(o, cfg, run, e));
    assertEquals("{\"format\": 7}", Files.readString(file), "a file of another kind is kept");

    Files.delete(file);
    StreamEval.Run none = new StreamEval.Run(List.of(new StreamEval.Response(q,
        new StreamScore.Served("1", "MISS", "1", 1, null), null, null, 200)), 1, 1);
    assertEquals(1, StreamEval.writeEvidence(o, cfg, none, e));
    assertTrue(Files.notExists(file), "no hit, no file");

    assertEquals(0, StreamEval.writeEvidence(o, cfg, run, e), err.toString(StandardCharsets.UTF_8));
    ServedEvidence counted = ServedEvidence.parse(Files.readString(file), "cosine").orElseThrow();
    assertEquals(1, counted.correct()[PooledCalibration.bin(0.93)]);
    assertEquals(1, counted.wrong()[PooledCalibration.bin(0.91)]);
    assertTrue(Files.notExists(dir.resolve("evidence.json.tmp")));

    BoundConfig bounded = BoundConfig.resolve(Map.of("cache.error-rate", "0.05"), Map.of(), null);
    String before = Files.readString(file);
    assertEquals(2, StreamEval.run(o, bounded, new PrintStream(new ByteArrayOutputStream()), e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("without cache.error-rate"));
    assertEquals(before, Files.readString(file));
  }
}
