package dev.bound.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bound energy} answers the founding question without options, and refuses unknown models. */
class EnergyCommandTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void energy_noOptions_theOneTrillionModelWithEveryColumn() {
    Run r = run("energy");
    assertEquals(0, r.code(), r.err());
    for (String expected : List.of("model        dense-1t", "32 × h100-sxm", "J/token",
        "Wh/phrase mid (low–high)", "hold Wh", "batch 32 fits up to", "     5     1125 kept",
        "   505   113625 redo", "* the batch shrank", "Whole conversation to minute 505",
        "KV kept kWh mid (low–high)", "KV redone kWh mid (low–high)", "square of its length")) {
      assertTrue(r.out().contains(expected), "missing '" + expected + "' in\n" + r.out());
    }
  }

  @Test
  void energy_alias_1t_isNotTheDefault70b() {
    Run r = run("energy", "--model", "1t", "--minutes", "5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("model        dense-1t"), r.out());
  }

  @Test
  void energy_unknownModel_refusedWithTheList() {
    Run r = run("energy", "--model", "gpt-9");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--model 'gpt-9' names no energy profile. Aliases: 1t (dense-1t)"),
        r.err());
    assertEquals("", r.out());
  }

  @Test
  void energy_countsOutOfRange_refusedNamingTheOption() {
    String[][] cases = {{"--minutes", "5,-1"}, {"--tokens-per-minute", "0"},
        {"--phrase-tokens", "100001"}, {"--answer-tokens", "-5"}};
    for (String[] c : cases) {
      Run r = run("energy", c[0], c[1]);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().startsWith("bound: " + c[0] + " takes whole numbers from "), r.err());
      assertEquals("", r.out());
    }
  }
}
