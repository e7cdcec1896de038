package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.Key;
import dev.bound.config.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference lists every key with its real env var, flag and default. */
class ReadmeTest {
  @Test
  void configurationReference_listsEveryKey() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    for (Key<?> k : Keys.ALL) {
      String def = k.defaultValue().isEmpty() ? "(not set)" : "`" + k.defaultValue() + "`";
      String row = "| `" + k.name() + "` | `" + k.env() + "` | `" + k.flag() + "` | " + def
          + " | " + k.description() + " Allowed: " + k.allowed() + ". |";
      assertTrue(readme.contains(row), "README.md lacks or has an outdated row; it should be\n"
          + row);
    }
  }

  @Test
  void reasonCodes_areAllListed() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    for (Reason r : Reason.values()) {
      String row = "| `" + r.code() + "` | " + r.meaning + " |";
      assertTrue(readme.contains(row), "README.md lacks or has an outdated row; it should be\n"
          + row);
    }
  }

  @Test
  void frontDoor_namesTheTwoCommands() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains("./bound demo"));
    assertTrue(readme.contains("./bound test"));
  }
}
