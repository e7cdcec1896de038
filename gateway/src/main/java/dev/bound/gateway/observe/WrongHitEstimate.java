package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often served semantic hits are wrong, overall and per model. The estimate and its 95 %
 * interval come from sampled verification alone: the would-be hits it sends upstream are drawn
 * at random from those that would have been served, so they are an unbiased sample of them.
 * Feedback is counted apart and never enters the estimate: clients choose what to rate, and
 * mostly rate what went wrong. Counts since the data directory began; thread-safe.
 */
public final class WrongHitEstimate {
  /** Models tracked one by one; the rest are counted together as {@value #OTHER}. */
  static final int MAX_MODELS = 64;
  static final String OTHER = "(other models)";
  private static final double Z95 = 1.959963984540054;

  /**
   * @param verified would-be hits checked against a fresh upstream answer
   * @param verifiedWrong how many of those the fresh answer contradicted
   * @param feedbackGood semantic hits rated good
   * @param feedbackBad semantic hits rated bad
   */
  public record Counts(long verified, long verifiedWrong, long feedbackGood, long feedbackBad) {
    static final Counts NONE = new Counts(0, 0, 0, 0);

    Counts plus(Counts o) {
      return new Counts(verified + o.verified, verifiedWrong + o.verifiedWrong,
          feedbackGood + o.feedbackGood, feedbackBad + o.feedbackBad);
    }

    /** The wrong-hit rate with its Wilson interval; NaN throughout when nothing was verified. */
    public Interval interval() {
      return wilson(verifiedWrong, verified);
    }
  }

  /** A rate and its 95 % interval; all NaN when there are no samples. */
  public record Interval(double estimate, double low, double high) {
    boolean empty() {
      return Double.isNaN(estimate);
    }
  }

  private final Map<String, Counts> byModel = new TreeMap<>();

  /**
   * The Wilson score interval at 95 % for {@code wrong} of {@code n}: it keeps its coverage near
   * 95 % for rates close to 0 and small samples, where the normal approximation fails.
   */
  public static Interval wilson(long wrong, long n) {
    if (n <= 0) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN);
    }
    double p = (double) wrong / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /** Records a verified would-be hit of this model: was the stored answer wrong? */
  public synchronized void verified(String model, boolean wrong) {
    add(model, new Counts(1, wrong ? 1 : 0, 0, 0));
  }

  /** Records a rating of a served semantic hit of this model. */
  public synchronized void feedback(String model, boolean good) {
    add(model, new Counts(0, 0, good ? 1 : 0, good ? 0 : 1));
  }

  private void add(String model, Counts c) {
    String key = model == null || model.isEmpty() ? "(none)" : model;
    if (!byModel.containsKey(key) && byModel.size() >= MAX_MODELS) {
      key = OTHER;
    }
    byModel.merge(key, c, Counts::plus);
  }

  public synchronized Counts overall() {
    return byModel.values().stream().reduce(Counts.NONE, Counts::plus);
  }

  /** Counts per model, by name. */
  public synchronized Map<String, Counts> byModel() {
    return new LinkedHashMap<>(byModel);
  }

  /** The counts for saving: {@code {"model": [verified, wrong, good, bad], ...}}. */
  public synchronized ObjectNode toJson() {
    ObjectNode n = Json.object();
    byModel.forEach((m, c) -> n.putArray(m).add(c.verified).add(c.verifiedWrong)
        .add(c.feedbackGood).add(c.feedbackBad));
    return n;
  }

  /** Adds counts saved by {@link #toJson}; malformed ones are skipped. */
  public synchronized void read(JsonNode saved) {
    saved.properties().forEach(e -> {
      JsonNode a = e.getValue();
      if (a.isArray() && a.size() == 4) {
        long v = a.get(0).asLong(-1);
        long w = a.get(1).asLong(-1);
        long g = a.get(2).asLong(-1);
        long b = a.get(3).asLong(-1);
        if (v >= 0 && w >= 0 && w <= v && g >= 0 && b >= 0) {
          add(e.getKey(), new Counts(v, w, g, b));
        }
      }
    });
  }
}
