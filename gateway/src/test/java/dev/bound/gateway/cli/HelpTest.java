package dev.bound.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every command's help prints cleanly: picocli warns on its own stream about a bare '%'. */
class HelpTest {

  @Test
  void help_everyCommand_noPicocliWarning() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (String command : Main.commandLine().getSubcommands().keySet()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {command, "--help"}, Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code, command);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Usage: bound " + command), command);
      }
    } finally {
      System.setErr(stderr);
    }
    String printed = warnings.toString(StandardCharsets.UTF_8);
    assertFalse(printed.contains("picocli WARN"), printed);
  }
}
