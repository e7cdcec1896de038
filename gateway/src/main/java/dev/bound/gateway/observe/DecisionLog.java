package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.PrintStream;

/** One JSON line per request saying what the cache decided and why. */
public final class DecisionLog {
  private final PrintStream out;
  private final boolean enabled;

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

  /** Writes a line already in JSON text. */
  public void write(String line) {
    if (enabled) {
      synchronized (out) {
        out.println(line);
      }
    }
  }
}
