package dev.bound.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecomputeBudgetTest {
  private Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void tryTake_allowsPerHourThenRefuses_untilTheHourHasPassed() {
    RecomputeBudget budget = new RecomputeBudget(2, new Clock() {
      @Override
      public Instant instant() {
        return clock.instant();
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    });
    assertTrue(budget.tryTake());
    clock = Clock.offset(clock, Duration.ofMinutes(30));
    assertTrue(budget.tryTake());
    assertFalse(budget.tryTake());
    assertEquals(0, budget.left());
    clock = Clock.offset(clock, Duration.ofMinutes(30));
    assertEquals(1, budget.left(), "the first re-ask is an hour old");
    assertTrue(budget.tryTake());
    assertFalse(budget.tryTake());
  }

  @Test
  void tryTake_zeroPerHour_neverAllows() {
    assertFalse(new RecomputeBudget(0, clock).tryTake());
  }

  @Test
  void negativePerHour_isRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RecomputeBudget(-1, clock));
    assertEquals("documents.recompute.per-hour must be >= 0 but was -1", e.getMessage());
  }
}
