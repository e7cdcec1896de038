package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed answers through Bound with the OpenAI Java SDK's streaming API, and the legacy
 * completions endpoint. */
class StreamingTest {
  @TempDir static Path data;
  static SimulatedUpstream upstream;
  static Harness bound;
  static OpenAIClient client;

  @BeforeAll
  static void start() {
    upstream = Harness.fastUpstream();
    bound = new Harness(data, upstream.url(), Map.of());
    client = GatewayTest.client(bound, "sk-stream");
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  /** The accumulated answer, the chunks' count and the X-Bound-Cache header of one stream. */
  record Streamed(ChatCompletion completion, List<ChatCompletionChunk> chunks, String tier) {}

  static Streamed stream(OpenAIClient c, ChatCompletionCreateParams p) {
    HttpResponseFor<StreamResponse<ChatCompletionChunk>> r =
        c.chat().completions().withRawResponse().createStreaming(p);
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> s = r.parse()) {
      chunks = s.stream().peek(acc::accumulate).toList();
    }
    return new Streamed(acc.chatCompletion(), chunks, r.headers().values("X-Bound-Cache").get(0));
  }

  static ChatCompletionCreateParams.Builder ask(String q) {
    return GatewayTest.ask(q);
  }

  @Test
  void streamedMiss_thenStreamedHit_replaysTheSameAnswer() {
    var p = ask("Why is the sky blue?").build();
    Streamed first = stream(client, p);
    assertEquals("MISS", first.tier());
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    Streamed second = stream(client, p);

    assertEquals("HIT-EXACT", second.tier());
    assertEquals(calls, upstream.calls());
    var a = first.completion().choices().get(0);
    var b = second.completion().choices().get(0);
    assertEquals(a.message().content(), b.message().content());
    assertEquals(a.finishReason(), b.finishReason());
    assertTrue(second.chunks().size() > 3, "the replay comes in pieces: " + second.chunks().size());
  }

  @Test
  void usageChunk_onlyWhenAskedFor() {
    var plain = ask("What is a ledger?").build();
    Streamed miss = stream(client, plain);
    // Bound asked the upstream for usage to store it, but the client did not ask to see it.
    assertTrue(miss.chunks().stream().allMatch(c -> c.usage().isEmpty()));
    bound.gateway.awaitIndexed();

    var withUsage = ask("What is a ledger?").streamOptions(
        ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    Streamed hit = stream(client, withUsage);
    assertEquals("HIT-EXACT", hit.tier());
    var usage = hit.chunks().get(hit.chunks().size() - 1).usage().orElseThrow();
    assertTrue(usage.completionTokens() > 0 && usage.promptTokens() > 0, usage.toString());
  }

  @Test
  void streamedEntry_servesPlainRequest_andTheOtherWayRound() {
    Streamed streamed = stream(client, ask("How does a bloom filter work?").build());
    bound.gateway.awaitIndexed();
    var plain = GatewayTest.send(client, ask("How does a bloom filter work?").build());
    assertEquals("HIT-EXACT", GatewayTest.tier(plain));
    assertEquals(streamed.completion().choices().get(0).message().content().orElseThrow(),
        GatewayTest.content(plain));
    assertTrue(plain.parse().usage().isPresent(), "the stored usage comes with the hit");

    var first = GatewayTest.send(client, ask("What is a skip list?").build());
    bound.gateway.awaitIndexed();
    Streamed replay = stream(client, ask("What is a skip list?").build());
    assertEquals("HIT-EXACT", replay.tier());
    assertEquals(GatewayTest.content(first),
        replay.completion().choices().get(0).message().content().orElseThrow());
  }

  @Test
  void completionsEndpoint_isCachedToo() {
    var p = CompletionCreateParams.builder().model("sim-model").prompt("Once upon a time")
        .temperature(0.0).build();
    HttpResponseFor<Completion> first = client.completions().withRawResponse().create(p);
    assertEquals("MISS", first.headers().values("X-Bound-Cache").get(0));
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();
    HttpResponseFor<Completion> second = client.completions().withRawResponse().create(p);
    assertEquals("HIT-EXACT", second.headers().values("X-Bound-Cache").get(0));
    assertEquals(calls, upstream.calls());
    assertEquals(first.parse().choices().get(0).text(), second.parse().choices().get(0).text());

    StringBuilder streamed = new StringBuilder();
    try (var s = client.completions().createStreaming(p)) {
      s.stream().forEach(c -> c.choices().forEach(ch -> streamed.append(ch.text())));
    }
    assertEquals(first.parse().choices().get(0).text(), streamed.toString());
    assertEquals(calls, upstream.calls());
  }

  @Test
  void completionsAndChat_doNotShareAnswers() throws Exception {
    String q = "Describe the color of the ocean.";
    GatewayTest.send(client, ask(q).build());
    bound.gateway.awaitIndexed();
    HttpResponse<String> r = bound.post("/completions", "{\"model\":\"sim-model\","
        + "\"temperature\":0,\"prompt\":\"" + q + "\"}");
    assertEquals("MISS", r.headers().firstValue("X-Bound-Cache").orElseThrow());
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertEquals(200, bound.getOutsideApi("/healthz").statusCode());
    HttpResponse<String> ready = bound.getOutsideApi("/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
    var checks = Json.MAPPER.readTree(ready.body()).get("checks");
    assertEquals("all-minilm-l6-v2-q", checks.get("model").asText());
    assertEquals("reachable", checks.get("upstream").asText());
    assertFalse(checks.get("index").asText().startsWith("failed"));
  }
}
