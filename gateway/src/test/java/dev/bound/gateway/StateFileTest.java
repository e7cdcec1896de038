package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
  private static Map<String, String> read(StateFile f) {
    Map<String, String> out = new LinkedHashMap<>();
    f.read((k, v) -> out.put(k, v.asText()));
    return out;
  }

  @Test
  void writesAndReadsBack(@TempDir Path dir) {
    StateFile f = new StateFile(dir.resolve("s.json"));
    f.write(Json.object().put("demo", "demo-2").put("naïve 😀", "x"));
    assertEquals(Map.of("demo", "demo-2", "naïve 😀", "x"), read(f));
  }

  @Test
  void unreadableOrWrongKind_isKeptAside_andOnlyBadEntriesLeftOut(@TempDir Path dir)
      throws Exception {
    Path p = dir.resolve("s.json");
    java.nio.file.Files.writeString(p, "[1,\"x\",null]");
    assertEquals(Map.of(), read(new StateFile(p)));
    try (var copies = java.nio.file.Files.list(dir)) {
      assertEquals(1, copies.filter(f -> f.getFileName().toString()
          .startsWith("s.json.unreadable-")).count());
    }
    java.nio.file.Files.writeString(p, "{\"good\":\"v1:ok\",\"bad\":\"abc\"}");
    Map<String, String> kept = new LinkedHashMap<>();
    new StateFile(p).read((k, v) -> {
      if (!v.asText().startsWith("v1:")) {
        throw new IllegalArgumentException("not encoded");
      }
      kept.put(k, v.asText());
    });
    assertEquals(Map.of("good", "v1:ok"), kept);
  }

  @Test
  void aDirectoryWhereTheFileShouldBe_isMovedAside_soTheStateIsSavedAgain(@TempDir Path dir)
      throws Exception {
    Path p = dir.resolve("s.json");
    java.nio.file.Files.createDirectories(p.resolve("inside"));
    StateFile f = new StateFile(p);
    assertEquals(Map.of(), read(f));
    f.write(Json.object().put("demo", "demo-2"));
    assertEquals(Map.of("demo", "demo-2"), read(new StateFile(p)));
    try (var aside = java.nio.file.Files.list(dir)) {
      assertTrue(aside.anyMatch(a -> a.getFileName().toString().startsWith("s.json.unreadable-")
          && java.nio.file.Files.isDirectory(a.resolve("inside"))));
    }
  }

  @Test
  void contentThatWouldNotReadBack_leavesTheFileAsItWas(@TempDir Path dir) {
    StateFile f = new StateFile(dir.resolve("s.json"));
    f.write(Json.object().put("demo", "demo-2"));
    // Jackson writes a key with an unpaired surrogate as an escape it then refuses to read:
    // replacing the file with it would lose every other key at the next start.
    ObjectNode broken = Json.object().put("demo", "demo-3");
    broken.put("bad" + (char) 0xD800, "?");
    f.write(broken);
    assertEquals(Map.of("demo", "demo-2"), read(f));
  }
}
