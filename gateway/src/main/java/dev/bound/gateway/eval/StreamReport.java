package dev.bound.gateway.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.eval.StreamEval.Response;
import dev.bound.gateway.eval.StreamScore.Latency;
import dev.bound.gateway.eval.StreamScore.Rate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The report of a stream run, as a table or as JSON with every request. */
final class StreamReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String file;
  private final BoundConfig.Matching matching;
  private final double cosineThreshold;
  private final String embedding;
  private final boolean sse;
  private final StreamEval.Run run;
  private final StreamScore score;

  StreamReport(String file, BoundConfig cfg, boolean sse, StreamEval.Run run) {
    this.file = file;
    this.matching = cfg.cache().matching();
    this.cosineThreshold = cfg.cache().threshold();
    this.embedding = cfg.embedding().model();
    this.sse = sse;
    this.run = run;
    this.score = run.score();
  }

  private String settings() {
    String at = !Double.isNaN(matching.threshold()) ? " at " + plain(matching.threshold())
        : matching.matcher().equals("cosine") ? " at cache.threshold " + plain(cosineThreshold)
        : " at its operating point";
    return "matcher " + matching.matcher() + at
        + ", language guard " + (matching.languageGuard() ? "on" : "off")
        + ", error rate " + (Double.isNaN(matching.errorRate()) ? "off"
            : plain(matching.errorRate()))
        + ", verify sample rate " + plain(matching.verifySampleRate())
        + ", embedding " + embedding + (sse ? ", streamed answers" : "");
  }

  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Stream %s: %d questions, %d clusters, %d with an "
        + "earlier question of their cluster%n", file, score.requests(), score.clusters(),
        score.chances()));
    sb.append(String.format(Locale.ROOT, "Bound with %s; %.1f s, %d upstream calls%n%n",
        settings(), run.seconds(), run.upstreamCalls()));
    sb.append(String.format(Locale.ROOT, "%-13s %6s %8s %7s %7s %9s %9s%n", "tier", "count",
        "chances", "right", "wrong", "p50 ms", "p99 ms"));
    sb.append("-".repeat(64)).append('\n');
    for (StreamScore.Tier t : score.tiers()) {
      sb.append(String.format(Locale.ROOT, "%-13s %6d %8d %7d %7d %9s %9s%n", t.tier(),
          t.count(), t.chances(), t.right(), t.wrong(), ms(t.latency().p50Ms()),
          ms(t.latency().p99Ms())));
    }
    Latency all = score.all();
    sb.append(String.format(Locale.ROOT, "%-13s %6d %8d %7s %7s %9s %9s%n%n", "all",
        score.requests(), score.chances(), "", "", ms(all.p50Ms()), ms(all.p99Ms())));
    sb.append(rate("recall", score.recall(), "right hits", "chances"));
    sb.append(rate("semantic wrong-hit rate", score.semanticWrong(), "wrong",
        "HIT-SEMANTIC"));
    if (score.semanticWrongInGroup() != null) {
      sb.append(rate("  against a label", score.semanticWrongInGroup(), "wrong in their group",
          "HIT-SEMANTIC"));
      Rate s = score.semanticWrong();
      sb.append(rate("  never compared", new Rate(s.count() - score.semanticWrongInGroup().count(),
          s.of()), "wrong across groups", "HIT-SEMANTIC"));
    }
    sb.append(rate("exact wrong-hit rate", score.exactWrong(), "wrong", "HIT-EXACT"));
    if (!score.reasons().isEmpty()) {
      sb.append("\nX-Bound-Reason\n");
      score.reasons().forEach((r, n) -> sb.append(String.format(Locale.ROOT, "  %-34s %6d%n",
          r, n)));
    }
    return sb.toString();
  }

  private static String rate(String name, Rate r, String what, String of) {
    if (r.of() == 0) {
      return String.format(Locale.ROOT, "%-24s – (no %s)%n", name, of);
    }
    return String.format(Locale.ROOT, "%-24s %s (%d %s of %d %s), 95%% CI %s–%s (Wilson)%n",
        name, fmt(r.value()), r.count(), what, r.of(), of, fmt(r.low()), fmt(r.high()));
  }

  ObjectNode json() {
    ObjectNode o = JSON.createObjectNode().put("stream", file);
    ObjectNode s = o.putObject("settings").put("matcher", matching.matcher());
    number(s, "match_threshold", matching.threshold());
    number(s, "cosine_threshold", cosineThreshold);
    s.put("language_guard", matching.languageGuard());
    number(s, "error_rate", matching.errorRate());
    s.put("verify_sample_rate", matching.verifySampleRate()).put("embedding", embedding)
        .put("streamed", sse);
    o.put("requests", score.requests()).put("clusters", score.clusters())
        .put("chances", score.chances()).put("upstream_calls", run.upstreamCalls());
    number(o, "seconds", run.seconds());
    ObjectNode tiers = o.putObject("tiers");
    for (StreamScore.Tier t : score.tiers()) {
      ObjectNode n = tiers.putObject(t.tier()).put("count", t.count())
          .put("chances", t.chances()).put("right", t.right()).put("wrong", t.wrong());
      number(n, "p50_ms", t.latency().p50Ms());
      number(n, "p99_ms", t.latency().p99Ms());
    }
    rate(o.putObject("recall"), score.recall());
    rate(o.putObject("semantic_wrong_hits"), score.semanticWrong());
    if (score.semanticWrongInGroup() != null) {
      rate(o.putObject("semantic_wrong_hits_in_group"), score.semanticWrongInGroup());
    }
    rate(o.putObject("exact_wrong_hits"), score.exactWrong());
    ObjectNode latency = o.putObject("latency");
    number(latency, "p50_ms", score.all().p50Ms());
    number(latency, "p99_ms", score.all().p99Ms());
    ObjectNode reasons = o.putObject("reasons");
    score.reasons().forEach(reasons::put);
    ArrayNode each = o.putArray("outcomes");
    Set<String> seen = new HashSet<>();
    for (Response r : run.responses()) {
      ObjectNode n = each.addObject().put("q", r.question().text())
          .put("c", r.question().cluster()).put("g", r.question().group())
          .put("tier", r.served().tier())
          .put("served", r.served().served()).put("right", r.served().right())
          .put("chance", !seen.add(r.question().cluster()));
      number(n, "ms", r.served().nanos() / 1e6);
      header(n, "similarity", r.similarity());
      header(n, "score", r.score());
      n.put("reason", r.served().reason()).put("status", r.status());
    }
    return o;
  }

  private static void rate(ObjectNode n, Rate r) {
    n.put("count", r.count()).put("of", r.of());
    number(n, "value", r.value());
    number(n, "ci95_low", r.low());
    number(n, "ci95_high", r.high());
  }

  /** A numeric response header as a number, null when absent or not a number. */
  private static void header(ObjectNode n, String key, String value) {
    try {
      number(n, key, value == null ? Double.NaN : Double.parseDouble(value));
    } catch (NumberFormatException e) {
      n.putNull(key);
    }
  }

  private static void number(ObjectNode n, String key, double v) {
    if (Double.isNaN(v)) {
      n.putNull(key);
    } else {
      n.put(key, Math.round(v * 1e4) / 1e4);
    }
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
  }
}
