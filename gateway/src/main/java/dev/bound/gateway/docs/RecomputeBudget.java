package dev.bound.gateway.docs;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code perHour} re-asks in any hour: a sliding window over the times of the last ones,
 * read from an injected clock. Not persisted; a restart starts a fresh hour, which at worst spends
 * one extra hour's budget.
 */
final class RecomputeBudget {
  static final long HOUR_MILLIS = 3_600_000L;

  private final int perHour;
  private final Clock clock;
  private final Deque<Long> spent = new ArrayDeque<>();

  RecomputeBudget(int perHour, Clock clock) {
    if (perHour < 0) {
      throw new IllegalArgumentException(
          "documents.recompute.per-hour must be >= 0 but was " + perHour);
    }
    this.perHour = perHour;
    this.clock = clock;
  }

  /** Takes one re-ask from the budget if the last hour has room for it. */
  synchronized boolean tryTake() {
    long now = clock.millis();
    while (!spent.isEmpty() && spent.peekFirst() <= now - HOUR_MILLIS) {
      spent.removeFirst();
    }
    if (spent.size() >= perHour) {
      return false;
    }
    spent.addLast(now);
    return true;
  }

  /** Re-asks still allowed in the hour ending now. */
  synchronized int left() {
    long now = clock.millis();
    return (int) Math.max(0, perHour - spent.stream().filter(t -> t > now - HOUR_MILLIS).count());
  }
}
