package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * Every cached API driven by its official Node client ({@code protocols.mjs}): openai's
 * {@code responses.create}, Anthropic's {@code messages.create} and {@code messages.stream}, and
 * the Vercel AI SDK's default OpenAI provider, with structured output and tools.
 */
class ProtocolClientsTest {
  private static final Path DIR = Path.of("src/test/node");

  @Test
  void officialNodeClients_everyApi(@TempDir Path data) throws Exception {
    for (String pkg : new String[] {"openai", "@anthropic-ai/sdk", "ai", "@ai-sdk/openai"}) {
      assertTrue(Files.isDirectory(DIR.resolve("node_modules").resolve(pkg)), pkg + " is not "
          + "installed: run 'npm ci' in gateway/src/test/node ('./bound test' does this)");
    }
    String[] pair = SharedData.positives().get(3);
    try (SimulatedUpstream upstream = Harness.fastUpstream();
        Harness bound = new Harness(data, upstream.url(), Map.of("cache.tool-calls", "true",
            "cache.assumed-temperature", "0"))) {
      Process p = new ProcessBuilder("node", "protocols.mjs",
          "http://127.0.0.1:" + bound.gateway.port(), pair[0], pair[1])
          .directory(DIR.toFile()).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the node client did not finish");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "node failed: " + err);
      JsonNode r = Json.MAPPER.readTree(out);
      assertNull(r.get("error"), () -> r.get("error").asText());
      responses(r);
      messages(r);
      crossApi(r);
      vercel(r);
    }
  }

  private static void tiers(JsonNode r, String... keyThenTier) {
    for (int i = 0; i < keyThenTier.length; i += 2) {
      assertEquals(keyThenTier[i + 1], r.path(keyThenTier[i]).path("tier").asText(),
          keyThenTier[i]);
    }
  }

  private static void responses(JsonNode r) throws Exception {
    tiers(r, "respFirst", "MISS", "respExact", "HIT-EXACT", "respSemantic", "HIT-SEMANTIC",
        "respStream", "HIT-EXACT", "respJsonFirst", "MISS", "respJsonSecond", "HIT-EXACT",
        "respToolFirst", "MISS", "respToolSecond", "HIT-EXACT");
    String text = r.at("/respFirst/text").asText();
    assertTrue(text.startsWith("This is a simulated answer"), text);
    for (String k : new String[] {"respExact", "respSemantic"}) {
      assertEquals(text, r.at("/" + k + "/text").asText(), k);
      assertEquals("completed", r.at("/" + k + "/status").asText(), k);
    }
    assertEquals(text, r.at("/respStream/text").asText());
    assertEquals(text, r.at("/respStream/completedText").asText());
    assertEquals("[\"response.created\",\"response.in_progress\",\"response.output_item.added\","
        + "\"response.content_part.added\",\"response.output_text.delta\","
        + "\"response.output_text.done\",\"response.content_part.done\","
        + "\"response.output_item.done\",\"response.completed\"]",
        r.at("/respStream/types").toString());
    JsonNode city = Json.MAPPER.readTree(r.at("/respJsonSecond/text").asText());
    assertTrue(city.path("name").isTextual() && city.path("population").isIntegralNumber()
        && city.path("coastal").isBoolean(), city.toString());
    assertEquals(r.at("/respJsonFirst/text"), r.at("/respJsonSecond/text"));
    for (String k : new String[] {"respToolFirst", "respToolSecond"}) {
      JsonNode call = r.at("/" + k + "/calls/0");
      assertEquals("get_weather", call.path("name").asText(), k);
      assertTrue(Json.MAPPER.readTree(call.path("arguments").asText()).path("city").isTextual(),
          k);
    }
  }

  private static void messages(JsonNode r) {
    tiers(r, "msgFirst", "MISS", "msgExact", "HIT-EXACT", "msgStream", "HIT-EXACT",
        "msgToolFirst", "MISS", "msgToolSecond", "HIT-EXACT");
    String text = r.at("/msgFirst/text").asText();
    assertFalse(text.isEmpty());
    assertEquals(text, r.at("/msgExact/text").asText());
    assertEquals(text, r.at("/msgStream/text").asText());
    assertEquals("end_turn", r.at("/msgExact/stop").asText());
    assertEquals(r.at("/msgFirst/outputTokens"), r.at("/msgStream/outputTokens"));
    assertEquals("[\"message_start\",\"content_block_start\",\"content_block_delta\","
        + "\"content_block_stop\",\"message_delta\",\"message_stop\"]",
        r.at("/msgStream/types").toString());
    for (String k : new String[] {"msgToolFirst", "msgToolSecond"}) {
      assertEquals("tool_use", r.at("/" + k + "/stop").asText(), k);
      assertEquals("get_weather", r.at("/" + k + "/toolUse/0/name").asText(), k);
      assertTrue(r.at("/" + k + "/toolUse/0/input/city").isTextual(), k);
    }
  }

  private static void crossApi(JsonNode r) {
    tiers(r, "crossChat", "MISS", "crossResponses", "HIT-EXACT", "crossMessages", "HIT-EXACT");
    String text = r.at("/crossChat/text").asText();
    assertEquals(text, r.at("/crossResponses/text").asText());
    assertEquals(text, r.at("/crossMessages/text").asText());
  }

  private static void vercel(JsonNode r) {
    tiers(r, "vercelFirst", "MISS", "vercelSecond", "HIT-EXACT", "vercelStream", "HIT-EXACT",
        "vercelObjectFirst", "MISS", "vercelObjectSecond", "HIT-EXACT");
    assertEquals(r.at("/vercelFirst/text"), r.at("/vercelSecond/text"));
    assertEquals(r.at("/vercelFirst/text"), r.at("/vercelStream/text"));
    JsonNode city = r.at("/vercelObjectSecond/object");
    assertTrue(city.path("name").isTextual() && city.path("population").isIntegralNumber()
        && city.path("coastal").isBoolean(), city.toString());
    assertEquals(r.at("/vercelObjectFirst/object"), city);
    assertEquals("[\"get_weather\"]", r.at("/vercelTools/toolCalls").toString());
    assertTrue(r.at("/vercelTools/toolResults/0").asText().contains("sunny"),
        r.at("/vercelTools").toString());
    assertTrue(r.at("/vercelTools/steps").asInt() >= 2, r.at("/vercelTools").toString());
    assertFalse(r.at("/vercelTools/text").asText().isEmpty(), r.at("/vercelTools").toString());
  }
}
