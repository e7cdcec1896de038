package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.observe.WrongHitEstimate;
import dev.bound.models.match.PooledCalibration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contents of {@value Matching#ERROR_BOUND_FILE}: the pooled calibration, kept only for the
 * matcher and score bins it was learned with, and the wrong-hit counts.
 */
final class ErrorBoundFile {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorBoundFile.class);
  private static final int FORMAT = 1;

  private ErrorBoundFile() {}

  static ObjectNode encode(String matcherKey, PooledCalibration calibration,
      WrongHitEstimate estimate) {
    ObjectNode b = Json.object();
    b.put("format", FORMAT);
    ObjectNode c = b.putObject("calibration");
    c.put("matcher", matcherKey);
    c.put("low", PooledCalibration.LOW);
    c.put("width", PooledCalibration.WIDTH);
    PooledCalibration.State st = calibration.state();
    put(c, "seen", st.seen());
    put(c, "correct", st.correct());
    put(c, "wrong", st.wrong());
    b.set("wrong_hits", estimate.toJson());
    return b;
  }

  /** Restores a saved calibration into {@code calibration} if it was learned for this matcher. */
  static void restore(JsonNode value, String matcherKey, PooledCalibration calibration) {
    if (!value.path("matcher").asText().equals(matcherKey)
        || value.path("low").asDouble() != PooledCalibration.LOW
        || value.path("width").asDouble() != PooledCalibration.WIDTH) {
      LOG.info("the calibration in {} was learned for {} or other score bins; {} starts "
          + "from its prior", Matching.ERROR_BOUND_FILE, value.path("matcher").asText("?"),
          matcherKey);
      return;
    }
    try {
      calibration.restore(new PooledCalibration.State(array(value, "seen"),
          array(value, "correct"), array(value, "wrong")));
    } catch (IllegalArgumentException e) {
      LOG.warn("cannot read the calibration in {}; starting from the prior: {}",
          Matching.ERROR_BOUND_FILE, e.getMessage());
    }
  }

  private static double[] array(JsonNode parent, String field) {
    JsonNode a = parent.path(field);
    if (!a.isArray()) {
      throw new IllegalArgumentException("'" + field + "' is not an array");
    }
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble(-1);
    }
    return out;
  }

  private static void put(ObjectNode parent, String field, double[] values) {
    ArrayNode a = parent.putArray(field);
    for (double v : values) {
      a.add(v);
    }
  }
}
