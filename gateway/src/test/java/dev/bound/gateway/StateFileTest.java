package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
