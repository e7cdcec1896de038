package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second, independent client: the official Node.js openai package, plain and streamed. */
class NodeClientTest {
  private static final Path DIR = Path.of("src/test/node");

  @Test
  void nodeOpenAiPackage_missThenHit_plainAndStreamed(@TempDir Path data) throws Exception {
    assertTrue(Files.isDirectory(DIR.resolve("node_modules/openai")), "the openai npm package "
        + "is not installed: run 'npm ci' in gateway/src/test/node ('./bound test' does this)");
    try (SimulatedUpstream upstream = Harness.fastUpstream();
        Harness bound = new Harness(data, upstream.url(), Map.of())) {
      Process p = new ProcessBuilder("node", "client.mjs", bound.base())
          .directory(DIR.toFile()).redirectErrorStream(false).start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node client did not finish");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "node failed: " + err);
      JsonNode r = Json.MAPPER.readTree(out);

      assertEquals("MISS", r.at("/plainFirst/tier").asText());
      assertEquals("HIT-EXACT", r.at("/plainSecond/tier").asText());
      assertEquals("HIT-EXACT", r.at("/streamFirst/tier").asText());
      assertEquals("HIT-EXACT", r.at("/streamSecond/tier").asText());
      String content = r.at("/plainFirst/content").asText();
      assertTrue(content.startsWith("This is a simulated answer"), content);
      for (String k : new String[] {"plainSecond", "streamFirst", "streamSecond"}) {
        assertEquals(content, r.at("/" + k + "/content").asText(), k);
        assertEquals("stop", r.at("/" + k + "/finish").asText(), k);
      }
      assertTrue(r.at("/streamFirst/chunks").asInt() > 3, out);
      assertTrue(r.at("/streamFirst/completionTokens").asInt() > 0, out);
      assertEquals(1, upstream.calls());
    }
  }
}
