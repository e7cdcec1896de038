package dev.bound.gateway.observe;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request saying what the cache decided and why, in UTF-8.
 *
 * <p>Lines are gathered in memory and written together by {@link #flush}: every {@value
 * #FLUSH_MS} ms and as soon as {@value #FLUSH_LINES} lines wait, on the log's own thread (once
 * {@link #start}ed), and when the gateway goes idle or closes. A request hands over a {@link
 * Line} that makes its text only when it is written, so the JSON of a request's line is written
 * on the log's thread, not on the request's: it was a seventh of an exact hit's own CPU on the
 * request thread, and at one connection the next request on the connection waits for it.
 * Writing each line on its own, one system call per request through standard output's
 * line-flushing stream, cost an exact hit under load 127 µs of CPU against 115 µs when written
 * together in one piece (gateway/PERFORMANCE.md). Requests wait for the stream only when more than
 * {@value #MAX_PENDING} lines are still unwritten, so a stalled stream holds them up with bounded
 * memory. A process that is killed loses at most the lines of its last {@value #FLUSH_MS} ms.
 * Lines are written in pieces of at most {@value #PIECE} bytes cut at line ends, each its own
 * write, so that another writer to the same pipe (standard error sent to the same place) cannot
 * land inside a line shorter than that.
 */
public final class DecisionLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

  /** Longest a line waits before it is written, once the log is {@link #start}ed. */
  public static final long FLUSH_MS = 100;
  /** Lines waiting at which the log's thread is asked to write them at once. */
  static final int FLUSH_LINES = 128;
  /** Lines waiting at which a request writes them itself instead of waiting for the thread. */
  static final int MAX_PENDING = 8192;
  /** The most bytes one write hands the stream: what a pipe writes in one piece (PIPE_BUF). */
  static final int PIECE = 4096;

  private final PrintStream out;
  private final boolean enabled;
  /**
   * A line whose text is made when it is written, on whichever thread writes it. What it reads
   * must no longer change once it is handed to {@link #write(Line)}.
   */
  @FunctionalInterface
  public interface Line {
    /** The line's JSON text, without its line end. */
    String text();
  }

  /** Guards {@link #pending}, {@link #asked} and {@link #closed}. */
  private final Object lock = new Object();
  /** Held while writing to {@link #out}, so that batches reach it in the order they were taken. */
  private final Object writing = new Object();
  private List<Line> pending = new ArrayList<>();
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
    write(() -> line);
  }

  /** Adds a line to be made and written by the next {@link #flush} at the latest. */
  public void write(Line line) {
    if (!enabled) {
      return;
    }
    ScheduledExecutorService t = thread;
    boolean ask = false;
    boolean now;
    synchronized (lock) {
      pending.add(line);
      int n = pending.size();
      now = closed || n >= MAX_PENDING || t == null && n >= FLUSH_LINES;
      if (!now && n >= FLUSH_LINES && !asked) {
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
      List<Line> lines;
      synchronized (lock) {
        asked = false;
        if (pending.isEmpty()) {
          return;
        }
        lines = pending;
        pending = new ArrayList<>();
      }
      ByteArrayOutputStream batch = new ByteArrayOutputStream(256 * lines.size());
      for (Line l : lines) {
        String text;
        try {
          text = l.text();
        } catch (RuntimeException e) {
          // One line that cannot be made costs that line, not the lines around it.
          LOG.warn("Could not make a decision line: {}", e.toString());
          continue;
        }
        batch.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        batch.write('\n');
      }
      byte[] bytes = batch.toByteArray();
      int n = bytes.length;
      int start = 0;
      while (start < n) {
        int end = pieceEnd(bytes, start, n);
        out.write(bytes, start, end - start);
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
