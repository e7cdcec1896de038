package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Decides whether pre-generation may start one more upstream request now: inside the window of
 * the day's cleanest slots (hours, or the profile's shorter steps), not paused by an operator,
 * live traffic below its threshold, and within the requests-per-hour, tokens-per-day and
 * concurrency budgets. It only decides and
 * counts; {@link Dreamer} acts. Thread-safe; every time comes from the injected clock.
 */
final class DreamGate {
  /** Why pre-generation may or may not start a request now. */
  enum State {
    READY, OFF, PAUSED, OUTSIDE_WINDOW, LIVE_LOAD, REQUEST_BUDGET, TOKEN_BUDGET, CONCURRENCY;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final int LOAD_SECONDS = 10;

  private final BoundConfig.Dream cfg;
  private final Clock clock;
  private final String off;
  private volatile CarbonProfile profile;
  private volatile boolean paused;
  /** Live requests per second over the last {@value #LOAD_SECONDS} s, by epoch second. */
  private final long[] liveSecond = new long[LOAD_SECONDS];
  private final long[] liveCount = new long[LOAD_SECONDS];
  private long hourStart = -1;
  private int requestsThisHour;
  private long dayStart = -1;
  private long tokensToday;
  private long tokensReserved;
  private int inFlight;

  /**
   * @param off why pre-generation cannot run at all (it is turned off, or upstream.api-key is
   *     not set), or null when it can
   */
  DreamGate(BoundConfig.Dream cfg, CarbonProfile profile, Clock clock, String off) {
    this.cfg = cfg;
    this.profile = profile;
    this.clock = clock;
    this.off = off;
  }

  /** What the gate says now, without starting anything. */
  synchronized State state(long reserve) {
    Instant now = clock.instant();
    roll(now);
    if (off != null) {
      return State.OFF;
    }
    if (paused) {
      return State.PAUSED;
    }
    CarbonProfile p = profile;
    if (!window(p).contains(p.slotOf(now))) {
      return State.OUTSIDE_WINDOW;
    }
    if (liveRps() > cfg.pauseAboveRps()) {
      return State.LIVE_LOAD;
    }
    if (inFlight >= cfg.concurrency()) {
      return State.CONCURRENCY;
    }
    if (requestsThisHour >= cfg.requestsPerHour()) {
      return State.REQUEST_BUDGET;
    }
    if (tokensToday + tokensReserved + reserve > cfg.tokensPerDay()) {
      return State.TOKEN_BUDGET;
    }
    return State.READY;
  }

  /**
   * Starts one request if the gate allows it, holding {@code reserve} tokens of today's budget
   * for it until {@link #finished}.
   */
  synchronized State tryStart(long reserve) {
    State s = state(reserve);
    if (s == State.READY) {
      inFlight++;
      requestsThisHour++;
      tokensReserved += reserve;
    }
    return s;
  }

  /** Ends a started request, releasing its reservation and charging what it really used. */
  synchronized void finished(long reserve, long tokensUsed) {
    roll(clock.instant());
    inFlight--;
    tokensReserved = Math.max(0, tokensReserved - reserve);
    tokensToday += tokensUsed;
    notifyAll();
  }

  /** Waits, at most {@code timeout}, until no started request is left; for tests and close. */
  synchronized boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Counts one live request on a cached endpoint. */
  synchronized void live() {
    long sec = clock.millis() / 1000;
    int slot = (int) Math.floorMod(sec, LOAD_SECONDS);
    if (liveSecond[slot] != sec) {
      liveSecond[slot] = sec;
      liveCount[slot] = 0;
    }
    liveCount[slot]++;
  }

  /** Live requests per second over the last {@value #LOAD_SECONDS} seconds. */
  synchronized double liveRps() {
    long sec = clock.millis() / 1000;
    long n = 0;
    for (int i = 0; i < LOAD_SECONDS; i++) {
      if (liveSecond[i] > sec - LOAD_SECONDS && liveSecond[i] <= sec) {
        n += liveCount[i];
      }
    }
    return (double) n / LOAD_SECONDS;
  }

  /** Resets the hour's and the day's counts when the clock has moved into a new one. */
  private void roll(Instant now) {
    long hour = now.truncatedTo(ChronoUnit.HOURS).toEpochMilli();
    if (hour != hourStart) {
      hourStart = hour;
      requestsThisHour = 0;
    }
    long day = now.truncatedTo(ChronoUnit.DAYS).toEpochMilli();
    if (day != dayStart) {
      dayStart = day;
      tokensToday = 0;
    }
  }

  /** The slots of the day pre-generation may run in, by the profile now. */
  Set<Integer> window() {
    return window(profile);
  }

  private Set<Integer> window(CarbonProfile p) {
    return p.cleanest(p.slotsIn(cfg.cleanHours()));
  }

  CarbonProfile profile() {
    return profile;
  }

  void profile(CarbonProfile p) {
    this.profile = p;
  }

  void pause(boolean on) {
    this.paused = on;
  }

  /**
   * What must outlast a restart: the pause, and the hour's requests and the day's tokens (those
   * reserved by dreams in flight counted as spent), so stopping Bound never resets a budget.
   */
  synchronized ObjectNode saved() {
    roll(clock.instant());
    return Json.object().put("paused", paused).put("hour", hourStart)
        .put("requests_this_hour", requestsThisHour).put("day", dayStart)
        .put("tokens_today", tokensToday + tokensReserved);
  }

  /** Takes back what {@link #saved} kept; counts of an hour or day now past start again. */
  synchronized void restore(JsonNode n) {
    paused = n.path("paused").asBoolean(false);
    hourStart = n.path("hour").asLong(-1);
    requestsThisHour = Math.max(0, n.path("requests_this_hour").asInt());
    dayStart = n.path("day").asLong(-1);
    tokensToday = Math.max(0, n.path("tokens_today").asLong());
    roll(clock.instant());
  }

  boolean paused() {
    return paused;
  }

  String off() {
    return off;
  }

  synchronized int requestsThisHour() {
    roll(clock.instant());
    return requestsThisHour;
  }

  synchronized long tokensToday() {
    roll(clock.instant());
    return tokensToday;
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
