package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON line per request saying what the cache decided and why, in UTF-8.
 *
 * <p>Lines are gathered in memory and written together: by {@link #flush}, which the gateway
 * runs every {@value #FLUSH_MS} ms, after requests go idle and at close, or as soon as {@value
 * #FLUSH_BYTES} bytes wait. Writing each line on its own, one system call per request through
 * standard output's line-flushing stream, took a fifth to a quarter of the CPU of an exact hit
 * under load (README, "Performance"). A process that is killed loses at most the lines of its
 * last {@value #FLUSH_MS} ms; lines are never split or interleaved.
 */
public final class DecisionLog {
  /** Longest a line waits before it is written, when the gateway schedules {@link #flush}. */
  public static final long FLUSH_MS = 100;
  /** Bytes waiting at which the writer of a line writes them all at once. */
  static final int FLUSH_BYTES = 64 * 1024;

  private final PrintStream out;
  private final boolean enabled;
  /** Guards {@link #pending} and {@link #length}, and keeps the writes to {@link #out} in order. */
  private final Object lock = new Object();
  private byte[] pending = new byte[8 * 1024];
  private int length;

  public DecisionLog(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  /** Whether lines are written at all, so that a caller can skip making one. */
  public boolean enabled() {
    return enabled;
  }

  public void write(ObjectNode line) {
    if (enabled) {
      write(Json.text(line));
    }
  }

  /** Adds a line already in JSON text; it is written by the next {@link #flush} at the latest. */
  public void write(String line) {
    if (!enabled) {
      return;
    }
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    synchronized (lock) {
      int need = length + bytes.length + 1;
      if (need > pending.length) {
        pending = Arrays.copyOf(pending, Math.max(need, 2 * pending.length));
      }
      System.arraycopy(bytes, 0, pending, length, bytes.length);
      pending[need - 1] = '\n';
      length = need;
      if (length >= FLUSH_BYTES) {
        flushLocked();
      }
    }
  }

  /** Writes every line gathered so far to the stream, and flushes it. */
  public void flush() {
    synchronized (lock) {
      flushLocked();
    }
  }

  private void flushLocked() {
    if (length == 0) {
      return;
    }
    out.write(pending, 0, length);
    out.flush();
    length = 0;
    if (pending.length > 4 * FLUSH_BYTES) {
      pending = new byte[8 * 1024]; // one huge line does not keep its buffer for good
    }
  }
}
