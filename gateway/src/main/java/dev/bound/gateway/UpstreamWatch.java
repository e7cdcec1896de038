package dev.bound.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Keeps one upstream call, headers and body, within upstream.timeout, and ends it early when its
 * client leaves. A timer checks both every {@value #TICK_MS} ms; when either happens it runs the
 * call's current way of being stopped (cancelling the pending response, or closing the body
 * being read), which also closes the upstream connection. A client whose write has stayed
 * blocked too long (it stopped reading) is dropped instead, and the call goes on without it.
 */
final class UpstreamWatch implements AutoCloseable {
  static final long TICK_MS = 100;

  /**
   * How the call ended early, if it did: out of time, its client gone, or cut short because the
   * request was answered from storage after all ({@link #supersede}).
   */
  enum End { NONE, TIMED_OUT, CLIENT_GONE, SUPERSEDED }

  private final long deadline;
  private final long slowNanos;
  /** When the write under way began (never 0), or 0 when none is. */
  private volatile long writingSince;
  private volatile boolean clientDropped;
  private final ClientLink client;
  private final AtomicReference<End> end = new AtomicReference<>(End.NONE);
  private volatile Runnable stop = () -> { };
  private final ScheduledFuture<?> task;
  /** Held by a check, so that {@link #close} can wait for one that is running. */
  private final ReentrantLock checking = new ReentrantLock();
  private boolean closed; // guarded by checking
  /**
   * Which came first: the upstream's answer beginning to reach the client ({@link #commit}),
   * after which the call is never cut short for an answer from storage, or that cut ({@link
   * #supersede}), after which nothing of the upstream's answer is passed on.
   */
  private final AtomicInteger race = new AtomicInteger(OPEN);
  private static final int OPEN = 0;
  private static final int COMMITTED = 1;
  private static final int SUPERSEDED = 2;

  /**
   * Starts watching.
   *
   * @param client the client to watch for, or null to watch the time only
   */
  UpstreamWatch(ScheduledExecutorService timers, Duration timeout, ClientLink client) {
    this(timers, timeout, client, Duration.ZERO);
  }

  /**
   * Starts watching, and drops the client when one write to it stays blocked for longer than
   * {@code slowClient} (a client that stops reading its stream): its connection is closed and
   * the call goes on without it ({@link #clientDropped}); zero never drops it.
   */
  UpstreamWatch(ScheduledExecutorService timers, Duration timeout, ClientLink client,
      Duration slowClient) {
    this.deadline = System.nanoTime() + timeout.toNanos();
    this.slowNanos = slowClient.toNanos();
    this.client = client;
    this.task = timers.scheduleWithFixedDelay(this::check, TICK_MS, TICK_MS,
        TimeUnit.MILLISECONDS);
  }

  private void check() {
    checking.lock();
    try {
      if (closed || end.get() != End.NONE) {
        return;
      }
      long now = System.nanoTime();
      long w = writingSince;
      if (now - deadline < 0 && client != null && !clientDropped && slowNanos > 0 && w != 0
          && now - w > slowNanos) {
        // Dropped here, under the lock, so that no check can take its closed connection for
        // a client that left and end the call.
        clientDropped = true;
        client.drop();
        return;
      }
      End e = now - deadline >= 0 ? End.TIMED_OUT
          : client != null && !clientDropped && client.gone() ? End.CLIENT_GONE : End.NONE;
      if (e != End.NONE && end.compareAndSet(End.NONE, e)) {
        stop.run();
      }
    } finally {
      checking.unlock();
    }
  }

  /** Sets how to stop the call from now on, running it at once if the call already ended. */
  void onEnd(Runnable r) {
    stop = r;
    if (end.get() != End.NONE) {
      r.run();
    }
  }

  End end() {
    return end.get();
  }

  /** Marks a write to the client as begun; {@link #written} when it is done. */
  void writing() {
    writingSince = System.nanoTime() | 1;
  }

  void written() {
    writingSince = 0;
  }

  /** Whether the client was dropped for not reading; the call then goes on without it. */
  boolean clientDropped() {
    return clientDropped;
  }

  /**
   * Cuts the call short for an answer from storage, unless the upstream's answer has begun to
   * reach the client or the call has already ended. Safe from any thread.
   */
  void supersede() {
    if (race.compareAndSet(OPEN, SUPERSEDED) && end.compareAndSet(End.NONE, End.SUPERSEDED)) {
      stop.run();
    }
  }

  /**
   * Marks the point from which the upstream's answer goes to the client; returns false when
   * the call was superseded first, and the caller must then pass nothing on.
   */
  boolean commit() {
    return race.compareAndSet(OPEN, COMMITTED) || race.get() == COMMITTED;
  }

  /**
   * Sends the call and waits for the upstream's response headers; the watch cancels the call
   * when the time runs out or the client leaves.
   *
   * @param failure turns the call's own failure into what the client is told
   * @return the response, or null when the client left
   * @throws ApiException 504 when the time ran out, or what {@code failure} makes
   */
  Upstream.Answer<InputStream> await(Upstream.PendingCall call,
      Function<Throwable, ApiException> failure, String timeoutMessage) {
    onEnd(call::cancel);
    try {
      return call.execute();
    } catch (IOException e) {
      if (end() != End.NONE) {
        return ended(timeoutMessage);
      }
      throw failure.apply(e);
    }
  }

  /**
   * Reads a body until its end or until more than {@code limit} bytes are in.
   *
   * @return the bytes read (at most {@code limit + 1}), or null when the client left
   * @throws ApiException 504 when the time ran out, 502 when the upstream broke off or its
   *     body ended before its announced length
   */
  byte[] readUpTo(InputStream body, long limit, long announced, String timeoutMessage) {
    onEnd(() -> closeQuietly(body));
    try {
      byte[] bytes = Http.readAtMost(body, (int) Math.min(Integer.MAX_VALUE - 8, limit + 1),
          announced);
      // A body closed by the timer may read as a short one rather than fail.
      return end() == End.NONE ? bytes : ended(timeoutMessage);
    } catch (IOException e) {
      if (end() != End.NONE) {
        return ended(timeoutMessage);
      }
      if (Upstream.truncated(e)) {
        throw Upstream.truncatedAnswer();
      }
      throw ApiException.upstreamUnreachable("The upstream broke off its answer: "
          + e.getClass().getSimpleName());
    }
  }

  private <T> T ended(String timeoutMessage) {
    // SUPERSEDED, like CLIENT_GONE, reads as null: the caller checks end() for which.
    if (end() == End.TIMED_OUT) {
      throw ApiException.upstreamTimeout(timeoutMessage);
    }
    return null;
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing is all that was wanted
    }
  }

  /**
   * Stops watching. When this returns no check runs any more, so nothing reads from the client's
   * connection after it: a client that has its whole answer may already be sending the next
   * request there.
   */
  @Override
  public void close() {
    race.compareAndSet(OPEN, COMMITTED); // nothing is cut short once the call is over
    task.cancel(false);
    checking.lock();
    try {
      closed = true;
    } finally {
      checking.unlock();
    }
  }
}
