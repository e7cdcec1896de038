package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that ask for novelty (no temperature, so the API's default 1.0) are served from a pool
 * of different answers the upstream gave at that temperature, once the pool is full.
 */
class VariantPoolTest {
  private static String tier(HttpResponseFor<?> r) {
    return r.headers().values("X-Bound-Cache").get(0);
  }

  @Test
  void defaultTemperatureClient_getsVariantsOnceThePoolIsFull(@TempDir Path data)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), Map.of("cache.variants.pool-size", "4"))) {
      OpenAIClient client = GatewayTest.client(h, "sk-variants");
      ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("sim-model")
          .addUserMessage("Write a short poem about the sea.").build();
      Set<String> fromUpstream = new HashSet<>();
      List<String> tiers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse()
            .create(ask);
        tiers.add(tier(r));
        assertEquals("variant_pool_filling", r.headers().values("X-Bound-Reason").get(0));
        fromUpstream.add(GatewayTest.content(r));
        h.gateway.awaitIndexed();
      }
      assertEquals(List.of("MISS", "MISS", "MISS", "MISS"), tiers);
      assertEquals(4, fromUpstream.size(), "a sampling upstream gives four different answers");
      long calls = up.calls();

      String last = null;
      Set<String> served = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse()
            .create(ask);
        assertEquals("HIT-VARIANT", tier(r));
        assertEquals("4/4", r.headers().values("X-Bound-Pool").get(0));
        double variety = Double.parseDouble(r.headers().values("X-Bound-Variety").get(0));
        assertTrue(variety > 0.2 && variety <= 1, "variety " + variety);
        String content = GatewayTest.content(r);
        assertTrue(fromUpstream.contains(content), "every variant is an upstream answer");
        assertNotEquals(last, content, "never the same variant twice in a row");
        last = content;
        served.add(content);
      }
      assertEquals(calls, up.calls(), "a full pool answers without the upstream");
      assertEquals(fromUpstream, served, "every variant gets served");
    }
  }

  /** Temperatures 0.6 and 1.0 share the band up to 1.0, so their one pool has one target. */
  @Test
  void oneBand_oneTarget(@TempDir Path data) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), Map.of("cache.variants.pool-size", "4"))) {
      String cool = Harness.ask("Write a short poem about the sea.")
          .replace("\"temperature\":0,", "\"temperature\":0.6,");
      String hot = cool.replace("\"temperature\":0.6,", "\"temperature\":1.0,");
      assertEquals("0/4", pool(h.post("/chat/completions", cool)));
      h.gateway.awaitIndexed();
      assertEquals("1/4", pool(h.post("/chat/completions", hot)));
      h.gateway.awaitIndexed();
      assertEquals("2/4", pool(h.post("/chat/completions", cool)));
    }
  }

  private static String pool(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return r.headers().firstValue("X-Bound-Pool").orElseThrow();
  }

  /** Every hot request counts as asking for novelty, whichever way it opted out of the pool. */
  @Test
  void noveltyCount_includesPoolOptOuts_eitherWay(@TempDir Path data) throws Exception {
    String admin = "admin-token-for-novelty";
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), Map.of("admin.token", admin))) {
      // No temperature: the API's default 1.0, above cache.max-temperature.
      String body = Harness.ask("Write a short poem about the sea.")
          .replace("\"temperature\":0,", "");
      assertEquals("variant_pool_filling", reason(h.post("/chat/completions", body)));
      assertEquals("no_cache", reason(h.post("/chat/completions", body,
          "Cache-Control", "no-cache")));
      assertEquals("temperature", reason(h.post("/chat/completions", body,
          "X-Bound-Variants", "off")));
      assertEquals("no_candidate", reason(h.post("/chat/completions",
          Harness.ask("What is the boiling point of water at sea level?"))), "a cold miss");
      h.gateway.awaitIdle();
      JsonNode mix = Json.MAPPER.readTree(h.getOutsideApi("/api/savings",
          "Authorization", "Bearer " + admin).body()).at("/totals/temperature_mix");
      assertEquals(3, mix.path("novelty_requests").asLong(), mix.toString());
    }
  }

  private static String reason(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return r.headers().firstValue("X-Bound-Reason").orElse(null);
  }

  @Test
  void nodeOpenAiPackage_defaultTemperature_getsVariants(@TempDir Path data) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), Map.of("cache.variants.pool-size", "3"))) {
      Process p = new ProcessBuilder("node", "variants.mjs", h.base(), "40")
          .directory(Path.of("src/test/node").toFile()).start();
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "node did not finish");
      String err = new String(p.getErrorStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "node failed: " + err);
      com.fasterxml.jackson.databind.JsonNode r = Json.MAPPER.readTree(p.getInputStream());
      Set<String> fromUpstream = new HashSet<>();
      String last = null;
      int variants = 0;
      for (com.fasterxml.jackson.databind.JsonNode a : r) {
        String content = a.path("content").asText();
        if (a.path("tier").asText().equals("MISS")) {
          fromUpstream.add(content);
        } else {
          assertEquals("HIT-VARIANT", a.path("tier").asText());
          assertTrue(fromUpstream.contains(content), content);
          assertNotEquals(last, content);
          last = content;
          variants++;
        }
      }
      assertEquals(3, fromUpstream.size(), r.toString());
      assertEquals(37, variants, r.toString());
    }
  }

  @Test
  void optOutAndLowTemperature_behaveAsBefore(@TempDir Path data) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data, up.url(), Map.of())) {
      String hot = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"A poem?\"}]}";
      HttpResponse<String> off = h.post("/chat/completions", hot, "X-Bound-Variants", "off");
      assertEquals("BYPASS", Harness.tier(off));
      assertEquals("temperature", off.headers().firstValue("X-Bound-Reason").orElseThrow());
      assertEquals(400, h.post("/chat/completions", hot, "X-Bound-Variants", "maybe")
          .statusCode());
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask("A poem?"))));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", Harness.ask("A poem?"))));
    }
    try (SimulatedUpstream up = Harness.fastUpstream().sampling(true);
        Harness h = new Harness(data.resolve("off"), up.url(),
            Map.of("cache.variants.enabled", "false"))) {
      String hot = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"A poem?\"}]}";
      assertEquals("BYPASS", Harness.tier(h.post("/chat/completions", hot)));
    }
  }
}
