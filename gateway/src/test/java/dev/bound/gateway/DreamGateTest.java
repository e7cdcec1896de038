package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.config.BoundConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The pre-generation window, budgets and pauses, with an injected clock. */
class DreamGateTest {
  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    Instant now;

    HandClock(String at) {
      now = Instant.parse(at);
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Clean from 01:00 to 03:59 UTC (the three lowest hours), dirty otherwise. */
  private static final CarbonProfile PROFILE = CarbonProfile.inline(
      "500,50,60,70" + ",400".repeat(20));

  private static BoundConfig.Dream cfg(int perHour, int perDay, int concurrency, double rps) {
    return new BoundConfig.Dream(true, "", "", "", 3, perHour, perDay, concurrency, rps, 1,
        Duration.ofSeconds(10));
  }

  @Test
  void window_ofQuarterHourSlots_opensAndClosesOnTheSlot() {
    double[] quarters = new double[96];
    java.util.Arrays.fill(quarters, 400);
    quarters[9] = 20; // 02:15-02:29 UTC
    CarbonProfile p = new CarbonProfile(quarters, "test");
    HandClock clock = new HandClock("2026-01-01T02:14:59Z");
    DreamGate g = new DreamGate(new BoundConfig.Dream(true, "", "", "", 0.25, 100, 100_000, 4,
        5, 1, Duration.ofSeconds(10)), p, clock, null);
    assertEquals(java.util.Set.of(9), g.window());
    assertEquals(DreamGate.State.OUTSIDE_WINDOW, g.tryStart(10));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(DreamGate.State.READY, g.tryStart(10));
    clock.advance(Duration.ofMinutes(15));
    assertEquals(DreamGate.State.OUTSIDE_WINDOW, g.tryStart(10));
  }

  @Test
  void window_isTheCleanestHoursOnly() {
    HandClock clock = new HandClock("2026-01-01T00:30:00Z");
    DreamGate g = new DreamGate(cfg(100, 100_000, 4, 5), PROFILE, clock, null);
    assertEquals(DreamGate.State.OUTSIDE_WINDOW, g.tryStart(10));
    clock.advance(Duration.ofMinutes(30));
    assertEquals(DreamGate.State.READY, g.tryStart(10));
    clock.advance(Duration.ofHours(2).plusMinutes(59));
    assertEquals(DreamGate.State.READY, g.tryStart(10));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(DreamGate.State.OUTSIDE_WINDOW, g.tryStart(10));
    assertEquals(2, g.inFlight());
  }

  @Test
  void requestsPerHour_neverExceeded_andRenewedNextHour() {
    HandClock clock = new HandClock("2026-01-01T01:00:00Z");
    DreamGate g = new DreamGate(cfg(3, 1_000_000, 64, 5), PROFILE, clock, null);
    int started = 0;
    for (int i = 0; i < 10; i++) {
      if (g.tryStart(1) == DreamGate.State.READY) {
        started++;
        g.finished(1, 1);
      }
      clock.advance(Duration.ofMinutes(5));
    }
    assertEquals(3, started, "three in the first hour, whatever the ticks");
    assertEquals(DreamGate.State.REQUEST_BUDGET, g.tryStart(1));
    clock.advance(Duration.ofMinutes(10)); // 02:00
    assertEquals(DreamGate.State.READY, g.tryStart(1), "a new hour, a new allowance");
  }

  @Test
  void tokensPerDay_countsReservationsAndUse_andRenewsAtMidnight() {
    HandClock clock = new HandClock("2026-01-01T01:00:00Z");
    DreamGate g = new DreamGate(cfg(1000, 1000, 64, 5), PROFILE, clock, null);
    assertEquals(DreamGate.State.READY, g.tryStart(400));
    assertEquals(DreamGate.State.READY, g.tryStart(400));
    assertEquals(DreamGate.State.TOKEN_BUDGET, g.tryStart(400), "800 reserved + 400 > 1000");
    g.finished(400, 350);
    g.finished(400, 450);
    assertEquals(800, g.tokensToday());
    assertEquals(DreamGate.State.READY, g.tryStart(200));
    g.finished(200, 200);
    assertEquals(DreamGate.State.TOKEN_BUDGET, g.tryStart(1));
    assertEquals(1000, g.tokensToday(), "spent exactly the budget, never more");
    clock.advance(Duration.ofDays(1));
    assertEquals(DreamGate.State.READY, g.tryStart(1));
  }

  @Test
  void concurrency_isHeldUntilARequestFinishes() {
    HandClock clock = new HandClock("2026-01-01T02:00:00Z");
    DreamGate g = new DreamGate(cfg(1000, 1_000_000, 2, 5), PROFILE, clock, null);
    assertEquals(DreamGate.State.READY, g.tryStart(1));
    assertEquals(DreamGate.State.READY, g.tryStart(1));
    assertEquals(DreamGate.State.CONCURRENCY, g.tryStart(1));
    g.finished(1, 1);
    assertEquals(DreamGate.State.READY, g.tryStart(1));
  }

  @Test
  void liveLoad_pausesUntilTrafficFalls_andOperatorPauseHolds() {
    HandClock clock = new HandClock("2026-01-01T01:00:00Z");
    DreamGate g = new DreamGate(cfg(1000, 1_000_000, 8, 2), PROFILE, clock, null);
    for (int i = 0; i < 30; i++) { // 3 requests/s over the last 10 s
      g.live();
    }
    assertEquals(3.0, g.liveRps(), 1e-9);
    assertEquals(DreamGate.State.LIVE_LOAD, g.tryStart(1));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(0.0, g.liveRps(), 1e-9);
    assertEquals(DreamGate.State.READY, g.tryStart(1));
    g.pause(true);
    assertEquals(DreamGate.State.PAUSED, g.tryStart(1));
    g.pause(false);
    assertEquals(DreamGate.State.READY, g.tryStart(1));
  }

  @Test
  void off_saysWhy() {
    DreamGate g = new DreamGate(cfg(1, 1, 1, 1), PROFILE, new HandClock("2026-01-01T01:00:00Z"),
        "upstream.api-key is not set");
    assertEquals(DreamGate.State.OFF, g.tryStart(0));
    assertEquals(0, g.inFlight());
  }
}
