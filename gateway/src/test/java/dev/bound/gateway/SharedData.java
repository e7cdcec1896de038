package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the labelled pairs in ../shared/data (see its README). */
final class SharedData {
  private SharedData() {}

  static Path dir() {
    Path dir = Path.of(System.getProperty("bound.shared.data", "../../shared/data"));
    assertTrue(Files.isDirectory(dir), "the labelled pairs are expected in " + dir.toAbsolutePath()
        + " (the shared/ folder beside the repository); set -Dbound.shared.data to elsewhere");
    return dir;
  }

  /** The pairs of paraphrase_positives.json, as {origin, similar}. */
  static List<String[]> positives() throws Exception {
    JsonNode arr = Json.MAPPER.readTree(dir().resolve("paraphrase_positives.json").toFile());
    List<String[]> out = new ArrayList<>();
    for (JsonNode p : arr) {
      out.add(new String[] {p.get("origin").asText(), p.get("similar").asText()});
    }
    return out;
  }
}
