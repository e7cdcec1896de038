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

  public void write(ObjectNode line) {
    if (enabled) {
      String text = Json.text(line);
      synchronized (out) {
        out.println(text);
      }
    }
  }
}
