package dev.bound.gateway;

import dev.bound.gateway.protocol.Protocol;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The variant pools live traffic has asked for, with what a pre-generation needs to ask the
 * upstream again: the request body, its protocol and the few headers that shape the answer
 * (never the client's key). Kept in memory only; a restart starts counting afresh.
 */
final class DreamQueue {
  /** Pools remembered at most; the least asked is forgotten first. */
  static final int MAX = 10_000;

  /** One pool's demand and what replays its request. */
  static final class Wish {
    final Scope scope;
    final String prompt;
    final String model;
    final Protocol protocol;
    final byte[] body;
    final Map<String, List<String>> headers;
    final double temperature;
    long asks;
    long lastAskedMillis;
    int variants;
    int target;
    double variety;
    long pregenerated;
    long failures;
    boolean inFlight;
    /** Ids of the variants pre-generated for this pool since start. */
    final List<String> stored = new java.util.ArrayList<>();
    /** Tokens of the largest answer this pool has seen, to reserve against the day's budget. */
    long largestTokens;

    Wish(Scope scope, String prompt, String model, Protocol protocol, byte[] body,
        Map<String, List<String>> headers, double temperature) {
      this.scope = scope;
      this.prompt = prompt;
      this.model = model;
      this.protocol = protocol;
      this.body = body.clone();
      this.headers = Map.copyOf(headers);
      this.temperature = temperature;
    }

    String key() {
      return key(scope, prompt);
    }

    static String key(Scope scope, String prompt) {
      return scope.key() + '\u0000' + Scope.normalize(prompt);
    }

    synchronized boolean full() {
      return variants >= target;
    }
  }

  private final Map<String, Wish> wishes = new ConcurrentHashMap<>();

  /**
   * Counts a live request for a pool, remembering how to replay it when the pool is new.
   *
   * @param fresh makes the wish to remember if the pool is new
   */
  Wish asked(String key, java.util.function.Supplier<Wish> fresh, long nowMillis) {
    Wish w = wishes.computeIfAbsent(key, k -> fresh.get());
    synchronized (w) {
      w.asks++;
      w.lastAskedMillis = nowMillis;
    }
    if (wishes.size() > MAX) {
      wishes.values().stream().filter(x -> x != w).min(Comparator.comparingLong(x -> x.asks))
          .ifPresent(x -> wishes.remove(x.key(), x));
    }
    return w;
  }

  /** Every pool, most asked first. */
  List<Wish> all() {
    return wishes.values().stream()
        .sorted(Comparator.comparingLong((Wish w) -> w.asks).reversed()).toList();
  }

  /** Pools worth pre-generating for: asked at least {@code minAsks} times, not full, most asked
   * first. */
  List<Wish> queue(int minAsks) {
    return all().stream().filter(w -> w.asks >= minAsks && !w.full()).toList();
  }
}
