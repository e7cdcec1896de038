package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/** One JSON line per request saying what the cache decided and why. */
final class DecisionLog {
  private final PrintStream out;
  private final boolean enabled;

  DecisionLog(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  void write(ObjectNode line) {
    if (enabled) {
      String text = Json.text(line);
      synchronized (out) {
        out.println(text);
      }
    }
  }
}
