package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses and Messages APIs end to end with their official Java SDKs: OpenAI's
 * {@code responses()} and Anthropic's {@code messages()}, plain and streamed, miss then exact
 * then semantic hit, and an answer stored through chat completions served through both.
 */
class ProtocolSdkTest {
  @TempDir static Path data;
  static SimulatedUpstream upstream;
  static Harness bound;
  static OpenAIClient openai;
  static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    upstream = Harness.fastUpstream();
    // The current Messages API has no temperature; without one a request is taken to be at
    // cache.assumed-temperature, which is 1.0 unless set.
    bound = new Harness(data, upstream.url(), Map.of("cache.assumed-temperature", "0"));
    openai = GatewayTest.client(bound, "sk-sdk");
    anthropic = AnthropicOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + bound.gateway.port()).apiKey("sk-sdk").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  private static ResponseCreateParams responses(String input) {
    return ResponseCreateParams.builder().model("sim-model").input(input).temperature(0.0)
        .build();
  }

  private static String text(Response r) {
    StringBuilder sb = new StringBuilder();
    r.output().forEach(item -> item.message().ifPresent(m -> m.content().forEach(c ->
        c.outputText().ifPresent(t -> sb.append(t.text())))));
    return sb.toString();
  }

  private static String tier(com.openai.core.http.Headers h) {
    return h.values("X-Bound-Cache").get(0);
  }

  @Test
  void responses_missExactSemantic_plainAndStreamed() throws Exception {
    String[] pair = SharedData.positives().get(1);
    HttpResponseFor<Response> first = openai.responses().withRawResponse()
        .create(responses(pair[0]));
    assertEquals("MISS", tier(first.headers()));
    String answer = text(first.parse());
    assertTrue(answer.startsWith("This is a simulated answer"), answer);
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    HttpResponseFor<Response> exact = openai.responses().withRawResponse()
        .create(responses(pair[0]));
    assertEquals("HIT-EXACT", tier(exact.headers()));
    Response r = exact.parse();
    assertEquals(answer, text(r));
    assertTrue(r.id().startsWith("resp_"), r.id());
    assertTrue(r.usage().orElseThrow().outputTokens() > 0);

    HttpResponseFor<Response> semantic = openai.responses().withRawResponse()
        .create(responses(pair[1]));
    assertEquals("HIT-SEMANTIC", tier(semantic.headers()));
    assertEquals(answer, text(semantic.parse()));

    try (HttpResponseFor<com.openai.core.http.StreamResponse<ResponseStreamEvent>> s =
        openai.responses().withRawResponse().createStreaming(responses(pair[0]))) {
      assertEquals("HIT-EXACT", tier(s.headers()));
      StringBuilder deltas = new StringBuilder();
      Response[] completed = new Response[1];
      s.parse().stream().forEach(e -> {
        e.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
        e.completed().ifPresent(c -> completed[0] = c.response());
      });
      assertEquals(answer, deltas.toString());
      assertEquals(answer, text(completed[0]));
    }
    assertEquals(calls, upstream.calls(), "hits never reach the upstream");
  }

  private static MessageCreateParams messages(String content) {
    return MessageCreateParams.builder().model("sim-model").maxTokens(256)
        .addUserMessage(content).build();
  }

  private static String text(Message m) {
    StringBuilder sb = new StringBuilder();
    m.content().forEach(b -> b.text().ifPresent(t -> sb.append(t.text())));
    return sb.toString();
  }

  @Test
  void messages_missExactSemantic_plainAndStreamed() throws Exception {
    String[] pair = SharedData.positives().get(0);
    var first = anthropic.messages().withRawResponse().create(messages(pair[0]));
    assertEquals("MISS", first.headers().values("X-Bound-Cache").get(0));
    String answer = text(first.parse());
    assertFalse(answer.isEmpty());
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    var exact = anthropic.messages().withRawResponse().create(messages(pair[0]));
    assertEquals("HIT-EXACT", exact.headers().values("X-Bound-Cache").get(0));
    Message m = exact.parse();
    assertEquals(answer, text(m));
    assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
    assertTrue(m.usage().outputTokens() > 0);

    var semantic = anthropic.messages().withRawResponse().create(messages(pair[1]));
    assertEquals("HIT-SEMANTIC", semantic.headers().values("X-Bound-Cache").get(0));
    assertEquals(answer, text(semantic.parse()));

    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages()
        .createStreaming(messages(pair[0]))) {
      s.stream().forEach(acc::accumulate);
    }
    assertEquals(answer, text(acc.message()));
    assertEquals(calls, upstream.calls(), "hits never reach the upstream");
  }

  @Test
  void chatAnswer_servesResponsesAndMessages() {
    String q = "Which river flows through Vienna?";
    var chat = GatewayTest.send(openai, GatewayTest.ask(q).maxTokens(256).build());
    assertEquals("MISS", GatewayTest.tier(chat));
    String answer = GatewayTest.content(chat);
    bound.gateway.awaitIndexed();
    long calls = upstream.calls();

    HttpResponseFor<Response> r = openai.responses().withRawResponse().create(
        ResponseCreateParams.builder().model("sim-model").input(q).temperature(0.0)
            .maxOutputTokens(256).build());
    assertEquals("HIT-EXACT", tier(r.headers()));
    assertEquals(answer, text(r.parse()));

    var m = anthropic.messages().withRawResponse().create(messages(q));
    assertEquals("HIT-EXACT", m.headers().values("X-Bound-Cache").get(0));
    assertEquals(answer, text(m.parse()));
    assertEquals(calls, upstream.calls());
  }
}
