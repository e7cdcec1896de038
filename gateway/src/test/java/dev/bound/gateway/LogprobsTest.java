package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log-probabilities a client asked for survive storing, whether the answer came streamed or not. */
class LogprobsTest {
  private static final String[] TOKENS = {"Hello", " world"};

  private static String entry(String token, double logprob) {
    return "{\"token\":\"" + token + "\",\"logprob\":" + logprob + ",\"bytes\":null,"
        + "\"top_logprobs\":[]}";
  }

  /** Answers "Hello world" with a log-probability per token, as an event stream or whole. */
  private static FakeUpstream upstream() {
    return new FakeUpstream(ctx -> {
      JsonNode req = Json.MAPPER.readTree(ctx.body());
      if (!req.path("stream").asBoolean()) {
        ctx.contentType("application/json").result("{\"id\":\"c\",\"object\":"
            + "\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello world\"},\"logprobs\":"
            + "{\"content\":[" + entry(TOKENS[0], -0.1) + "," + entry(TOKENS[1], -0.2) + "],"
            + "\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,"
            + "\"completion_tokens\":2,\"total_tokens\":5}}");
        return;
      }
      String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
          + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":";
      OutputStream out = FakeUpstream.sse(ctx);
      FakeUpstream.event(out, head + "{\"role\":\"assistant\",\"content\":\"\"},"
          + "\"logprobs\":null,\"finish_reason\":null}]}");
      for (int i = 0; i < TOKENS.length; i++) {
        FakeUpstream.event(out, head + "{\"content\":\"" + TOKENS[i] + "\"},\"logprobs\":"
            + "{\"content\":[" + entry(TOKENS[i], -0.1 * (i + 1)) + "],\"refusal\":null},"
            + "\"finish_reason\":null}]}");
      }
      FakeUpstream.event(out, head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
      FakeUpstream.event(out, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
          + "\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
          + "\"completion_tokens\":2,\"total_tokens\":5}}");
      FakeUpstream.event(out, "[DONE]");
    });
  }

  private static String ask(String question, boolean stream) {
    return "{\"model\":\"m\",\"temperature\":0,\"logprobs\":true,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
  }

  private static List<String> tokens(JsonNode logprobs) {
    List<String> out = new ArrayList<>();
    logprobs.path("content").forEach(e -> out.add(e.path("token").asText()));
    return out;
  }

  /** The tokens of every chunk's log-probabilities, joined as the SDKs join them. */
  private static List<String> streamedTokens(String body) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: {")) {
        out.addAll(tokens(Json.MAPPER.readTree(line.substring(6))
            .path("choices").path(0).path("logprobs")));
      }
    }
    return out;
  }

  @Test
  void streamedAnswer_servesItsLogprobsToAPlainRequest(@TempDir Path data) throws Exception {
    try (FakeUpstream up = upstream(); Harness h = new Harness(data, up.url(), Map.of())) {
      HttpResponse<String> miss = h.post("/chat/completions", ask("Say hello", true));
      assertEquals("MISS", Harness.tier(miss));
      assertEquals(List.of(TOKENS), streamedTokens(miss.body()));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", ask("Say hello", false));
      assertEquals("HIT-EXACT", Harness.tier(hit));
      JsonNode logprobs = Json.MAPPER.readTree(hit.body()).at("/choices/0/logprobs");
      assertEquals(List.of(TOKENS), tokens(logprobs));
      assertEquals(-0.2, logprobs.at("/content/1/logprob").asDouble(), 1e-9);
    }
  }

  @Test
  void responsesAnswer_keepsTheLogprobsOfItsText(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json").result(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":"
                + "\"completed\",\"model\":\"m\",\"output\":[{\"type\":\"message\",\"id\":"
                + "\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{"
                + "\"type\":\"output_text\",\"text\":\"Hello world\",\"annotations\":[],"
                + "\"logprobs\":[" + entry(TOKENS[0], -0.1) + "," + entry(TOKENS[1], -0.2)
                + "]}]}],\"usage\":{\"input_tokens\":3,\"output_tokens\":2,\"total_tokens\":5}}"));
        Harness h = new Harness(data, up.url(), Map.of())) {
      String ask = "{\"model\":\"m\",\"temperature\":0,%s\"include\":["
          + "\"message.output_text.logprobs\"],\"input\":\"Say hello\"}";
      assertEquals("MISS", Harness.tier(h.post("/responses", ask.formatted(""))));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/responses", ask.formatted(""));
      assertEquals("HIT-EXACT", Harness.tier(hit));
      JsonNode part = Json.MAPPER.readTree(hit.body()).at("/output/0/content/0");
      assertEquals(List.of(TOKENS), tokens(Json.object().set("content", part.path("logprobs"))));
      HttpResponse<String> streamed = h.post("/responses", ask.formatted("\"stream\":true,"));
      assertEquals("HIT-EXACT", Harness.tier(streamed));
      List<String> deltas = new ArrayList<>();
      JsonNode done = null;
      for (String line : streamed.body().split("\n")) {
        if (line.startsWith("data: ")) {
          JsonNode e = Json.MAPPER.readTree(line.substring(6));
          if (e.path("type").asText().equals("response.output_text.delta")) {
            deltas.addAll(tokens(Json.object().set("content", e.path("logprobs"))));
          } else if (e.path("type").asText().equals("response.output_text.done")) {
            done = e;
          }
        }
      }
      assertEquals(List.of(TOKENS), deltas);
      assertEquals(List.of(TOKENS), tokens(Json.object().set("content", done.path("logprobs"))));
      assertEquals(1, up.calls.get());
    }
  }

  @Test
  void plainAnswer_replayedAsAStream_carriesItsLogprobs(@TempDir Path data) throws Exception {
    try (FakeUpstream up = upstream(); Harness h = new Harness(data, up.url(), Map.of())) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", ask("Greet me", false))));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", ask("Greet me", true));
      assertEquals("HIT-EXACT", Harness.tier(hit));
      assertEquals(List.of(TOKENS), streamedTokens(hit.body()));
      assertEquals(1, up.calls.get());
    }
  }
}
