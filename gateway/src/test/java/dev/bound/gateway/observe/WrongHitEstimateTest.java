package dev.bound.gateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wrong-hit estimator: Wilson intervals, counts per model, and saving them. */
class WrongHitEstimateTest {

  private static void assertInterval(double estimate, double low, double high,
      WrongHitEstimate.Interval i) {
    assertEquals(estimate, i.estimate(), 5e-5, "estimate of " + i);
    assertEquals(low, i.low(), 5e-5, "low of " + i);
    assertEquals(high, i.high(), 5e-5, "high of " + i);
  }

  @Test
  void wilson_matchesPublishedValues() {
    // Newcombe, "Two-sided confidence intervals for the single proportion" (Stat Med 1998),
    // Table II, method 3 (Wilson score, no continuity correction).
    assertInterval(0.3080, 0.2553, 0.3662, WrongHitEstimate.wilson(81, 263));
    assertInterval(0.1014, 0.0624, 0.1605, WrongHitEstimate.wilson(15, 148));
    assertInterval(0, 0, 0.1611, WrongHitEstimate.wilson(0, 20));
    assertInterval(0.0345, 0.0061, 0.1718, WrongHitEstimate.wilson(1, 29));
  }

  @Test
  void wilson_exactAtTheEdges() {
    WrongHitEstimate.Interval none = WrongHitEstimate.wilson(0, 20);
    assertEquals(0, none.low());
    assertEquals(0.16112515805281938, none.high(), 1e-15);
    WrongHitEstimate.Interval all = WrongHitEstimate.wilson(20, 20);
    assertEquals(1, all.high());
    assertEquals(0.8388748419471806, all.low(), 1e-15);
  }

  @Test
  void noSamples_isNoEstimate_notZero() {
    WrongHitEstimate e = new WrongHitEstimate();
    assertTrue(e.overall().interval().empty());
    assertTrue(Double.isNaN(e.overall().interval().low()));
    e.feedback("m", false);
    assertTrue(e.overall().interval().empty(), "feedback alone makes no estimate");
    assertEquals(1, e.overall().feedbackBad());
  }

  @Test
  void counts_perModel_andOverall_feedbackApart() {
    WrongHitEstimate e = new WrongHitEstimate();
    for (int i = 0; i < 10; i++) {
      e.verified("a", i < 2);
    }
    e.verified("b", true);
    e.feedback("a", true);
    e.feedback("b", false);
    Map<String, WrongHitEstimate.Counts> m = e.byModel();
    assertEquals(new WrongHitEstimate.Counts(10, 2, 1, 0), m.get("a"));
    assertEquals(new WrongHitEstimate.Counts(1, 1, 0, 1), m.get("b"));
    assertEquals(new WrongHitEstimate.Counts(11, 3, 1, 1), e.overall());
    assertEquals(3 / 11.0, e.overall().interval().estimate(), 1e-15);
  }

  @Test
  void pastTheModelCap_theRestAreCountedTogether() {
    WrongHitEstimate e = new WrongHitEstimate();
    for (int i = 0; i < WrongHitEstimate.MAX_MODELS + 5; i++) {
      e.verified("model-" + i, false);
    }
    Map<String, WrongHitEstimate.Counts> m = e.byModel();
    assertEquals(WrongHitEstimate.MAX_MODELS + 1, m.size());
    assertEquals(5, m.get(WrongHitEstimate.OTHER).verified());
    assertEquals(WrongHitEstimate.MAX_MODELS + 5, e.overall().verified());
  }

  @Test
  void savedCounts_readBack_giveTheSameNumbers() throws Exception {
    WrongHitEstimate e = new WrongHitEstimate();
    e.verified("a", true);
    e.verified("a", false);
    e.feedback("b", false);
    WrongHitEstimate back = new WrongHitEstimate();
    back.read(Json.MAPPER.readTree(Json.text(e.toJson())));
    assertEquals(e.byModel(), back.byModel());
    assertEquals(e.overall().interval(), back.overall().interval());
  }

  @Test
  void read_skipsMalformedCounts() throws Exception {
    WrongHitEstimate e = new WrongHitEstimate();
    e.read(Json.MAPPER.readTree("{\"a\":[2,1,0,0],\"b\":[1,2,0,0],\"c\":\"x\",\"d\":[1,0,0]}"));
    assertEquals(Map.of("a", new WrongHitEstimate.Counts(2, 1, 0, 0)), e.byModel());
  }
}
