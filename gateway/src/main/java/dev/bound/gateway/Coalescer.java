package dev.bound.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps identical misses from all going upstream at once. The first miss for a key leads: it
 * asks the upstream, and its answer is an exact hit for the same key once stored. A miss for
 * the same key that arrives while the leader is still waiting for its answer may wait for the
 * leader instead, then look the key up again. Only one upstream call is paid for what many
 * clients asked at the same moment, as when a popular question is asked by many clients right
 * after a deploy.
 */
final class Coalescer {
  private final ConcurrentHashMap<String, CompletableFuture<Void>> leaders =
      new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * Joins the misses for {@code key}: returns null when the caller now leads (it must then call
   * {@link #done} whatever happens), or the leader's completion to wait for.
   */
  CompletableFuture<Void> join(String key) {
    return leaders.putIfAbsent(key, new CompletableFuture<>());
  }

  /** Ends the caller's lead of {@code key}, waking every miss that waits on it. */
  void done(String key) {
    CompletableFuture<Void> f = leaders.remove(key);
    if (f != null) {
      f.complete(null);
    }
  }

  /** Misses being led now: for tests and metrics. */
  int leading() {
    return leaders.size();
  }

  /** Misses waiting for a leader now, in {@link #await}: for tests. */
  int waiting() {
    return waiting.get();
  }

  /**
   * Waits at most {@code limit} for the leader; returns whether it finished (with an answer or
   * not) in that time. An interrupt ends the wait early, with the flag kept.
   */
  boolean await(CompletableFuture<Void> leader, Duration limit) {
    waiting.incrementAndGet();
    try {
      leader.get(limit.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.decrementAndGet();
    }
  }
}
