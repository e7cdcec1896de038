package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.models.Embedder;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;
import dev.bound.models.match.PairEvaluation;
import dev.bound.models.match.Prepared;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bound eval}: how well the configured matcher tells paraphrases from look-alikes on
 * labelled pairs. Each pair goes through the decisions a lookup makes, in the same objects: the
 * exact tier (equal normalized text), the language guard on the new prompt, then the matcher's
 * score of the stored prompt.
 */
public final class Evaluate {
  private Evaluate() {}

  /** Evaluates each file and prints a table, or JSON; returns the exit code. */
  public static int run(List<Path> files, BoundConfig cfg, boolean json, PrintStream out,
      PrintStream err) {
    EmbeddingModelSpec spec = Gateway.modelSpec(cfg.embedding());
    Path models = cfg.dataDir().toAbsolutePath().normalize().resolve("models");
    List<PairEvaluation.Report> reports = new ArrayList<>();
    try (Embedder primary = Embedders.open(spec, models);
        Matching matching = new Matching(cfg.cache(), spec, models, null,
            java.util.concurrent.ThreadLocalRandom.current(), primary)) {
      for (Path f : files) {
        PairEvaluation.Dataset data;
        try {
          data = PairEvaluation.read(f);
        } catch (IOException | RuntimeException e) {
          err.println("bound: cannot read " + f + ": " + e.getMessage());
          return 2;
        }
        reports.add(evaluate(data, primary, matching));
      }
    }
    out.print(json ? PairEvaluation.Report.json(reports) + "\n"
        : PairEvaluation.Report.table(reports));
    return 0;
  }

  static PairEvaluation.Report evaluate(PairEvaluation.Dataset data, Embedder primary,
      Matching matching) {
    List<PairEvaluation.ScoredPair> scored = new ArrayList<>();
    long embed = 0;
    long prepare = 0;
    long score = 0;
    for (PairEvaluation.LabelledPair p : data.pairs()) {
      double s;
      if (Scope.normalize(p.first()).equals(Scope.normalize(p.second()))) {
        s = 1.0; // the exact tier answers before any model runs
      } else if (matching.refusal(p.first()) != null) {
        s = 0.0; // the language guard allows exact hits only
      } else {
        long t0 = System.nanoTime();
        float[] a = primary.embed(p.first());
        float[] b = primary.embed(p.second());
        long t1 = System.nanoTime();
        Prepared query = matching.matcher.prepare(p.first(), a);
        Prepared stored = matching.matcher.prepare(p.second(), b);
        long t2 = System.nanoTime();
        s = matching.score(query, stored, dot(a, b));
        long t3 = System.nanoTime();
        embed += t1 - t0;
        prepare += t2 - t1;
        score += t3 - t2;
      }
      scored.add(new PairEvaluation.ScoredPair(s, p.positive()));
    }
    int n = Math.max(1, data.pairs().size());
    return PairEvaluation.report(data.name(), matching.matcher.name(), matching.threshold(),
        scored, data.positivesOnly(),
        new PairEvaluation.Cost(embed / 1e6 / (2.0 * n), prepare / 1e6 / (2.0 * n),
            score / 1e6 / n));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
