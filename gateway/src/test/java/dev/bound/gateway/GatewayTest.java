package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.bound.gateway.sim.SimulatedUpstream;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bound end to end: the official OpenAI Java SDK talks to Bound over HTTP, in front of the
 * simulated upstream, which counts the calls that reach it. */
class GatewayTest {
  @TempDir static Path data;
  static SimulatedUpstream upstream;
  static Harness bound;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = Harness.fastUpstream();
    bound = new Harness(data, upstream.url(), Map.of());
    client = client(bound, "sk-test-one");
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  static OpenAIClient client(Harness h, String key) {
    return OpenAIOkHttpClient.builder().baseUrl(h.base()).apiKey(key).maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
  }

  static ChatCompletionCreateParams.Builder ask(String question) {
    return ChatCompletionCreateParams.builder().model("sim-model").temperature(0.0)
        .addUserMessage(question);
  }

  static HttpResponseFor<ChatCompletion> send(OpenAIClient c, ChatCompletionCreateParams p) {
    return c.chat().completions().withRawResponse().create(p);
  }

  static String tier(HttpResponseFor<?> r) {
    return r.headers().values("X-Bound-Cache").get(0);
  }

  static String content(HttpResponseFor<ChatCompletion> r) {
    return r.parse().choices().get(0).message().content().orElseThrow();
  }

  @Test
  void decisionLines_areWrittenWithinAFlushPeriod_withoutWaitingForIdle() throws Exception {
    long before = bound.decisionLog().lines().count(); // idle, and every earlier line written
    send(client, ask("Which moon of Saturn has lakes of methane?").build());
    // The timer writes the gathered lines every DecisionLog.FLUSH_MS; the test reads the raw
    // stream, not decisionLog(), which would write them itself.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (bound.decisions.toString(StandardCharsets.UTF_8).lines().count() == before) {
      assertTrue(System.nanoTime() < deadline, "no decision line within 10 s");
      Thread.sleep(10);
    }
    assertEquals(before + 1, bound.decisions.toString(StandardCharsets.UTF_8).lines().count());
  }

  @Test
  void repeat_isExactHitWithoutUpstreamCall() {
    var first = send(client, ask("How many moons does Mars have?").build());
    assertEquals("MISS", tier(first));
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    var second = send(client, ask("  how many moons does MARS have? ").build());

    assertEquals("HIT-EXACT", tier(second));
    assertEquals(calls, upstream.calls());
    assertEquals(content(first), content(second));
    assertNotEquals(first.parse().id(), second.parse().id());
    assertEquals(first.parse().usage(), second.parse().usage());
    assertEquals("1.0000", second.headers().values("X-Bound-Similarity").get(0));
    assertTrue(second.headers().values("X-Bound-Entry").get(0).startsWith("ent_"));
    assertTrue(Long.parseLong(second.headers().values("Age").get(0)) >= 0);

    // Served again from the same prepared bytes: the same answer under an id of its own.
    var third = send(client, ask("How many moons does Mars have?").build());
    assertEquals("HIT-EXACT", tier(third));
    assertEquals(content(second), content(third));
    assertNotEquals(second.parse().id(), third.parse().id());
    assertTrue(third.parse().id().startsWith("chatcmpl-"), third.parse().id());
    assertTrue(third.parse().created() > 0);
  }

  @Test
  void repeat_sentTheMomentTheAnswerArrives_isExactHit() {
    var first = send(client, ask("Which planet has the shortest day?").build());
    long calls = upstream.calls();
    // No wait for the indexer: the answer is findable while it is still being indexed.
    var second = send(client, ask("Which planet has the shortest day?").build());
    assertEquals("HIT-EXACT", tier(second));
    assertEquals(calls, upstream.calls());
    assertEquals(content(first), content(second));
  }

  @Test
  void paraphrase_isSemanticHit() throws Exception {
    // A pair from ../shared/data/paraphrase_positives.json.
    String[] pair = SharedData.positives().get(0);
    var first = send(client, ask(pair[0]).build());
    assertEquals("MISS", tier(first));
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    var second = send(client, ask(pair[1]).build());

    assertEquals("HIT-SEMANTIC", tier(second));
    assertEquals(calls, upstream.calls());
    assertEquals(content(first), content(second));
    double similarity = Double.parseDouble(second.headers().values("X-Bound-Similarity").get(0));
    assertTrue(similarity >= 0.80 && similarity < 1.0, "similarity " + similarity);
  }

  @Test
  void unrelatedQuestion_isMiss() {
    send(client, ask("What is the boiling point of water at sea level?").build());
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    var other = send(client, ask("Who wrote the novel Don Quixote?").build());

    assertEquals("MISS", tier(other));
    assertEquals(calls + 1, upstream.calls());
  }

  @Test
  void differentScope_isMiss() {
    String q = "Explain how a hash map handles collisions.";
    send(client, ChatCompletionCreateParams.builder().model("sim-model").temperature(0.0)
        .addSystemMessage("You are terse.").addUserMessage("Hello").addAssistantMessage("Hi.")
        .addUserMessage(q).build());
    bound.gateway.awaitIndexed();

    List<ChatCompletionCreateParams> others = List.of(
        // another model
        ChatCompletionCreateParams.builder().model("other-model").temperature(0.0)
            .addSystemMessage("You are terse.").addUserMessage("Hello")
            .addAssistantMessage("Hi.").addUserMessage(q).build(),
        // another system prompt
        ChatCompletionCreateParams.builder().model("sim-model").temperature(0.0)
            .addSystemMessage("You are verbose.").addUserMessage("Hello")
            .addAssistantMessage("Hi.").addUserMessage(q).build(),
        // another earlier turn
        ChatCompletionCreateParams.builder().model("sim-model").temperature(0.0)
            .addSystemMessage("You are terse.").addUserMessage("Good morning")
            .addAssistantMessage("Hi.").addUserMessage(q).build(),
        // no earlier turns at all
        ChatCompletionCreateParams.builder().model("sim-model").temperature(0.0)
            .addSystemMessage("You are terse.").addUserMessage(q).build());
    for (ChatCompletionCreateParams p : others) {
      long calls = upstream.calls();
      assertEquals("MISS", tier(send(client, p)), p.toString());
      assertEquals(calls + 1, upstream.calls());
    }
    // The same conversation from the same tenant still hits, so the misses above are the scope's.
    assertEquals("HIT-EXACT", tier(send(client, ChatCompletionCreateParams.builder()
        .model("sim-model").temperature(0.0).addSystemMessage("You are terse.")
        .addUserMessage("Hello").addAssistantMessage("Hi.").addUserMessage(q).build())));
  }

  @Test
  void otherTenant_isMiss() {
    String q = "What does the HTTP status 418 mean?";
    send(client, ask(q).build());
    bound.gateway.awaitIndexed();

    assertEquals("MISS", tier(send(client(bound, "sk-test-two"), ask(q).build())));
    assertEquals("MISS", tier(send(client, ask(q).putAdditionalHeader("X-Bound-Namespace",
        "team-a").build())));
    assertEquals("HIT-EXACT", tier(send(client, ask(q).build())));
  }

  /**
   * A request above cache.max-temperature goes to its variant pool; this upstream answers a
   * prompt the same way every time, so the pool never holds two different answers and every
   * request reaches the upstream (VariantPoolTest has a sampling upstream).
   */
  @Test
  void highTemperature_reachesUpstreamEveryTime() {
    var p = ask("Write a haiku about caches.").temperature(1.0).build();
    for (int i = 0; i < 3; i++) {
      long calls = upstream.calls();
      var r = send(client, p);
      bound.gateway.awaitIndexed();
      assertEquals("MISS", tier(r));
      assertEquals("variant_pool_filling", r.headers().values("X-Bound-Reason").get(0));
      // The first answer joins the empty pool; the same answer again is no new variant.
      assertEquals(i == 0 ? "0/4" : "1/4", r.headers().values("X-Bound-Pool").get(0));
      assertEquals(calls + 1, upstream.calls());
    }
  }

  @Test
  void noTemperature_isAssumedCreative() throws Exception {
    String body = "{\"model\":\"sim-model\",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Name a colour.\"}]}";
    for (int i = 0; i < 2; i++) {
      var r = bound.post("/chat/completions", body);
      assertEquals("MISS", r.headers().firstValue("X-Bound-Cache").orElseThrow());
      assertEquals("variant_pool_filling", r.headers().firstValue("X-Bound-Reason").orElseThrow());
      bound.gateway.awaitIndexed();
    }
    assertEquals("BYPASS", bound.post("/chat/completions", body, "X-Bound-Variants", "off")
        .headers().firstValue("X-Bound-Cache").orElseThrow());
  }

  @Test
  void cacheControl_noStoreAndNoCache() {
    String q = "What is the capital of Australia?";
    assertEquals("MISS", tier(send(client, ask(q).putAdditionalHeader("Cache-Control",
        "no-store").build())));
    bound.gateway.awaitIndexed();
    assertEquals("MISS", tier(send(client, ask(q).build())));
    bound.gateway.awaitIndexed();
    assertEquals("HIT-EXACT", tier(send(client, ask(q).build())));
    long calls = upstream.calls();
    assertEquals("BYPASS", tier(send(client, ask(q).putAdditionalHeader("Cache-Control",
        "no-cache").build())));
    assertEquals(calls + 1, upstream.calls());
  }

  @Test
  void thresholdHeader_overridesForOneRequest() throws Exception {
    String[] pair = SharedData.positives().get(1);
    send(client, ask(pair[0]).build());
    bound.gateway.awaitIndexed();
    assertEquals("MISS", tier(send(client, ask(pair[1])
        .putAdditionalHeader("X-Bound-Threshold", "0.9999").build())));
  }

  @Test
  void boundCacheOff_bypasses() {
    String q = "Translate 'cat' into French.";
    send(client, ask(q).build());
    bound.gateway.awaitIndexed();
    assertEquals("BYPASS", tier(send(client, ask(q).putAdditionalHeader("X-Bound-Cache", "off")
        .build())));
  }

  @Test
  void otherPaths_passThrough() throws Exception {
    HttpResponse<String> models = bound.get("/models");
    assertEquals(200, models.statusCode());
    assertTrue(models.body().contains("\"bound-simulated\""), models.body());
  }

  @Test
  void upstreamAnswers_carryOneContentTypeAndOneDate() throws Exception {
    String plain = "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Which headers does a relayed answer keep?\"}]}";
    List<HttpResponse<String>> relayed = List.of(bound.get("/models"),
        bound.post("/chat/completions", plain),
        bound.post("/chat/completions", plain.replace("\"temperature\":0,",
            "\"temperature\":0,\"stream\":true,").replace("keep?", "keep when streamed?")));
    for (HttpResponse<String> r : relayed) {
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(1, r.headers().allValues("Content-Type").size(), r.headers().map().toString());
      assertEquals(1, r.headers().allValues("Date").size(), r.headers().map().toString());
    }
    assertTrue(relayed.get(2).headers().firstValue("Content-Type").orElseThrow()
        .startsWith("text/event-stream"));
  }

  @Test
  void decisionLog_hasOneJsonLinePerRequest() throws Exception {
    int before = bound.decisionLog().lines().toList().size();
    send(client, ask("What is a decision log?").build());
    String line = bound.decisionLines(before + 1).get(before);
    var node = Json.MAPPER.readTree(line);
    assertTrue(node.has("tier") && node.has("latency_ms") && node.has("tenant"), line);
    assertTrue(!bound.decisionLog().contains("sk-test-one"),
        "the raw API key must never be logged");
  }

  @Test
  void upstreamError_isPassedOnAndNotStored(@TempDir Path dir) {
    AtomicInteger calls = new AtomicInteger();
    Javalin failing = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.routes.post("/v1/chat/completions", ctx -> {
        calls.incrementAndGet();
        ctx.status(500).contentType("application/json").result(
            "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,"
                + "\"code\":null}}");
      });
    }).start("127.0.0.1", 0);
    try (Harness h = new Harness(dir, java.net.URI.create("http://127.0.0.1:" + failing.port()
        + "/v1"), Map.of())) {
      OpenAIClient c = client(h, "k");
      var p = ask("Does this fail?").build();
      InternalServerException e = assertThrows(InternalServerException.class,
          () -> c.chat().completions().create(p));
      assertEquals(500, e.statusCode());
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
      h.gateway.awaitIndexed();
      assertThrows(InternalServerException.class, () -> c.chat().completions().create(p));
      assertEquals(2, calls.get());
      assertEquals(0, h.gateway.entries());
    } finally {
      failing.stop();
    }
  }

  @Test
  void restart_keepsEntries(@TempDir Path dir) throws Exception {
    String[] pair = SharedData.positives().get(0);
    String exactAnswer;
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      OpenAIClient c = client(h, "sk-restart");
      exactAnswer = content(send(c, ask("What year did the Berlin Wall fall?").build()));
      send(c, ask(pair[0]).build());
      h.gateway.awaitIndexed();
    }
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      OpenAIClient c = client(h, "sk-restart");
      long calls = upstream.calls();
      var exact = send(c, ask("What year did the Berlin Wall fall?").build());
      assertEquals("HIT-EXACT", tier(exact));
      assertEquals(exactAnswer, content(exact));
      assertEquals("HIT-SEMANTIC", tier(send(c, ask(pair[1]).build())));
      assertEquals(calls, upstream.calls());
    }
  }

  @Test
  void unreachableUpstream_is502(@TempDir Path dir) throws Exception {
    int closedPort;
    try (var s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (Harness h = new Harness(dir, java.net.URI.create("http://127.0.0.1:" + closedPort
        + "/v1"), Map.of())) {
      var r = h.post("/chat/completions", "{\"model\":\"m\",\"temperature\":0,\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertEquals(502, r.statusCode());
      var err = Json.MAPPER.readTree(r.body()).get("error");
      assertEquals("upstream_unreachable", err.get("code").asText());
      assertEquals("upstream_error", err.get("type").asText());
    }
  }

  @Test
  void slowUpstream_is504AndNotStored(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream slow = SimulatedUpstream.start(Duration.ofSeconds(3), 0);
        Harness h = new Harness(dir, slow.url(), Map.of("upstream.timeout", "300ms"))) {
      var r = h.post("/chat/completions", "{\"model\":\"m\",\"temperature\":0,\"messages\":"
          + "[{\"role\":\"user\",\"content\":\"are you there?\"}]}");
      assertEquals(504, r.statusCode());
      assertEquals("upstream_timeout",
          Json.MAPPER.readTree(r.body()).get("error").get("code").asText());
      h.gateway.awaitIndexed();
      assertEquals(0, h.gateway.entries());
    }
  }
}
