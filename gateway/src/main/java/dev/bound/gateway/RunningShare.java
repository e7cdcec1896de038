package dev.bound.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The running share of events that went one way, each new event moving it by {@code weight}
 * towards 1 or 0 (an exponential average over roughly the last {@code 1 / weight} events).
 * Lock-free: concurrent events each move it once.
 */
final class RunningShare {
  /** The share, as double bits. */
  private final AtomicLong bits;
  private final double weight;

  RunningShare(double start, double weight) {
    this.bits = new AtomicLong(Double.doubleToLongBits(start));
    this.weight = weight;
  }

  double get() {
    return Double.longBitsToDouble(bits.get());
  }

  /** Counts one event; returns the share it leaves. */
  double add(boolean yes) {
    double x = yes ? 1 : 0;
    return Double.longBitsToDouble(bits.updateAndGet(b -> {
      double old = Double.longBitsToDouble(b);
      return Double.doubleToLongBits(old + (x - old) * weight);
    }));
  }
}
