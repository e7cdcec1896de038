package dev.bound.gateway.observe;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request saying what the cache decided and why, in UTF-8.
 *
 * <p>Lines are gathered in memory and written together by {@link #flush}: every {@value
 * #FLUSH_MS} ms and as soon as {@value #FLUSH_BYTES} bytes wait, on the log's own thread (once
 * {@link #start}ed), and when the gateway goes idle or closes. Writing each line on its own, one
 * system call per request through standard output's line-flushing stream, cost an exact hit
 * under load 127 µs of CPU against 115 µs when written together in one piece, and 125 against
 * 120 µs in the pieces written now (medians of six pairs; gateway/PERFORMANCE.md). Requests only
 * copy their line into memory; they wait for the stream only when more than {@value
 * #MAX_PENDING} bytes are still unwritten, so a stalled stream holds them up as it did before,
 * with bounded memory. A process that is killed loses at most the lines of its last {@value
 * #FLUSH_MS} ms. Lines are written in pieces of at most {@value #PIECE} bytes cut at line ends,
 * each its own write, so that another writer to the same pipe (standard error sent to the same place) cannot land inside a line
 * shorter than that.
 */
public final class DecisionLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

  /** Longest a line waits before it is written, once the log is {@link #start}ed. */
  public static final long FLUSH_MS = 100;
  /** Bytes waiting at which the log's thread is asked to write them at once. */
  static final int FLUSH_BYTES = 64 * 1024;
  /** Bytes waiting at which a request writes them itself instead of waiting for the thread. */
  static final int MAX_PENDING = 8 * 1024 * 1024;
  /** The most bytes one write hands the stream: what a pipe writes in one piece (PIPE_BUF). */
  static final int PIECE = 4096;

  private final PrintStream out;
  private final boolean enabled;
  /** Guards {@link #pending}, {@link #length}, {@link #asked} and {@link #closed}. */
  private final Object lock = new Object();
  /** Held while writing to {@link #out}, so that batches reach it in the order they were taken. */
  private final Object writing = new Object();
  private byte[] pending = new byte[8 * 1024];
  private int length;
  /** Whether the thread has been asked to write and has not yet taken the lines. */
  private boolean asked;
  /** Once closed, each line is written as it comes. */
  private boolean closed;
  private volatile ScheduledExecutorService thread;

  public DecisionLog(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  /** Whether lines are written at all, so that a caller can skip making one. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Starts the log's own daemon thread, which writes what waits every {@value #FLUSH_MS} ms.
   * Without it lines are written only by {@link #flush}, at {@value #MAX_PENDING} bytes, and
   * after {@link #close}. A thread of its own: the gateway's shared timers also enforce upstream
   * and header deadlines, which a stalled stream must not hold up.
   */
  public synchronized void start() {
    if (!enabled || thread != null) {
      return;
    }
    thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bound-decision-log");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::flushQuietly, FLUSH_MS, FLUSH_MS,
        TimeUnit.MILLISECONDS);
  }

  /** Adds a line already in JSON text; it is written by the next {@link #flush} at the latest. */
  public void write(String line) {
    if (!enabled) {
      return;
    }
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    ScheduledExecutorService t = thread;
    boolean ask = false;
    boolean now;
    synchronized (lock) {
      int need = length + bytes.length + 1;
      if (need > pending.length) {
        pending = Arrays.copyOf(pending, Math.max(need, 2 * pending.length));
      }
      System.arraycopy(bytes, 0, pending, length, bytes.length);
      pending[need - 1] = '\n';
      length = need;
      now = closed || length >= MAX_PENDING || t == null && length >= FLUSH_BYTES;
      if (!now && length >= FLUSH_BYTES && !asked) {
        asked = ask = true;
      }
    }
    if (now) {
      flush();
    } else if (ask) {
      try {
        t.execute(this::flushQuietly);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        flush(); // closing meanwhile
      }
    }
  }

  /** Writes every line gathered so far to the stream, and flushes it. */
  public void flush() {
    synchronized (writing) {
      byte[] batch;
      int n;
      synchronized (lock) {
        asked = false;
        if (length == 0) {
          return;
        }
        batch = pending;
        n = length;
        pending = new byte[Math.max(8 * 1024, Math.min(n, FLUSH_BYTES))];
        length = 0;
      }
      int start = 0;
      while (start < n) {
        int end = pieceEnd(batch, start, n);
        out.write(batch, start, end - start);
        out.flush();
        start = end;
      }
    }
  }

  /**
   * Where the piece that starts at {@code start} ends: after the last line end within {@value
   * #PIECE} bytes, or after the end of a line longer than that.
   */
  static int pieceEnd(byte[] batch, int start, int n) {
    int limit = Math.min(n, start + PIECE);
    for (int i = limit - 1; i >= start; i--) {
      if (batch[i] == '\n') {
        return i + 1;
      }
    }
    for (int i = limit; i < n; i++) {
      if (batch[i] == '\n') {
        return i + 1;
      }
    }
    return n;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again; the next line will try anew.
      LOG.warn("Could not write the decision log: {}", e.toString());
    }
  }

  /** Stops the log's thread and writes what waits; lines that come later are written at once. */
  @Override
  public void close() {
    synchronized (this) {
      if (thread != null) {
        // Not shutdownNow: an interrupt in the middle of a write would close a channel-backed
        // stream. A flush already running finishes; the one below waits for it.
        thread.shutdown();
      }
    }
    synchronized (lock) {
      closed = true;
    }
    flush();
  }
}
