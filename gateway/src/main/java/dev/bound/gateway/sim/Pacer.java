package dev.bound.gateway.sim;

import java.time.Duration;

/**
 * How fast the simulated model answers: a wait before the first token, then a steady rate.
 *
 * @param ttft time before the first token
 * @param tokensPerSecond decoding speed; 0 means every token comes at once after {@code ttft}
 */
record Pacer(Duration ttft, int tokensPerSecond) {
  /** Waits as long as the first token takes. */
  void firstToken() {
    pause(ttft.toNanos());
  }

  /** Waits as long as one more token takes. */
  void nextToken() {
    pause(perToken());
  }

  /** Waits as long as a whole answer of {@code tokens} tokens takes, for answers sent at once. */
  void whole(int tokens) {
    pause(ttft.toNanos() + perToken() * tokens);
  }

  private long perToken() {
    return tokensPerSecond == 0 ? 0 : 1_000_000_000L / tokensPerSecond;
  }

  private static void pause(long nanos) {
    if (nanos > 0) {
      try {
        Thread.sleep(Duration.ofNanos(nanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
