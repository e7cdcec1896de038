package dev.bound.index;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the logs printed (slf4j-simple writes to the standard error of the moment) meanwhile. */
public final class LogLines {
  private LogLines() {}

  /** Something a test runs while the log lines are caught. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** Runs {@code action} and returns what was printed to standard error meanwhile. */
  public static String printedWhile(Action action) throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream caught = new ByteArrayOutputStream();
    System.setErr(new PrintStream(caught, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(stderr);
    }
    String printed = caught.toString(StandardCharsets.UTF_8);
    stderr.print(printed); // still in the test's output, for a look after a failure
    return printed;
  }

  /** The lines of {@code printed} that contain {@code text}. */
  public static long count(String printed, String text) {
    return printed.lines().filter(l -> l.contains(text)).count();
  }
}
