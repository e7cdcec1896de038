package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the protocol adapters refuse to store, bypass, or report, against scripted upstreams. */
class ProtocolEdgesTest {
  private static final String SCHEMA_REQUEST = "{\"model\":\"m\",\"temperature\":0,\"messages\":"
      + "[{\"role\":\"user\",\"content\":\"Describe Lyon\"}],\"response_format\":{\"type\":"
      + "\"json_schema\",\"json_schema\":{\"name\":\"c\",\"schema\":{\"type\":\"object\"}}}}";

  @Test
  void completions_areServedOnlyForTheVeryPromptTheyContinue(@TempDir Path data)
      throws Exception {
    try (dev.bound.gateway.sim.SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(data, up.url(), Map.of())) {
      String code = "def add(a, b):\\n    return";
      String capital = "The capital of France is";
      assertEquals("MISS", Harness.tier(h.post("/completions", complete(code))));
      assertEquals("MISS", Harness.tier(h.post("/completions", complete(capital))));
      h.gateway.awaitIndexed();
      HttpResponse<String> again = h.post("/completions", complete(code));
      assertEquals("HIT-EXACT", Harness.tier(again), again.headers().map() + again.body());
      assertEquals("HIT-EXACT", Harness.tier(h.post("/completions", complete(capital))));
      // Other indentation, a trailing space, another case: other continuations.
      for (String other : List.of("def add(a, b):\\n  return", "def add(a, b):\\n\\treturn",
          capital + " ", "The capital of france is")) {
        HttpResponse<String> r = h.post("/completions", complete(other));
        assertEquals("MISS", Harness.tier(r), other + ": " + r.body());
      }
    }
  }

  /**
   * A NUL is a character of the prompt like any other: the prompt without it is another one,
   * in the semantic tier too, whose embedding does not see it.
   */
  @Test
  void promptWithANul_isAnotherPromptThanWithout(@TempDir Path data) throws Exception {
    try (var up = Harness.fastUpstream();
        Harness h = new Harness(data, up.url(), Map.of())) {
      String plain = "Is 0 the same as null";
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(plain))));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", Harness.ask(plain))));
      for (String nul : List.of(plain + "\\u0000", "Is 0 the\\u0000same as null",
          "\\u0000" + plain)) {
        HttpResponse<String> r = h.post("/chat/completions", Harness.ask(nul));
        assertEquals("MISS", Harness.tier(r), nul + ": " + r.headers().map());
        assertEquals(Reason.CONTROL_CHARACTERS.code(), SharedSolrTest.reason(r));
        h.gateway.awaitIndexed();
        assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", Harness.ask(nul))));
      }
      // The other way round: stored with a NUL, not served to the prompt without it.
      String other = "Is 1 the same as one";
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(other
          + "\\u0000"))));
      h.gateway.awaitIndexed();
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(other))));
    }
  }

  private static String complete(String prompt) {
    return "{\"model\":\"sim\",\"temperature\":0,\"prompt\":\"" + prompt + "\"}";
  }

  @Test
  void answerThatClaimsASchemaButIsNotJson_isNeverStored(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json").result(
            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\"Sure! {\\\"name\\\": \\\"Lyon\\\"}\"},\"finish_reason\":\"stop\"}]}"));
        Harness h = new Harness(data, up.url(), Map.of())) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", SCHEMA_REQUEST)));
      h.gateway.awaitIndexed();
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", SCHEMA_REQUEST)));
      assertEquals(2, up.calls.get());
      h.gateway.awaitIdle();
      JsonNode line = Json.MAPPER.readTree(h.decisionLines(2).get(1));
      assertTrue(line.path("not_stored").asText().contains("JSON"), line.toString());
    }
  }

  @Test
  void emptyAnswerToASchema_isNeverStored(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json").result(
            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + "\" \\n\"},\"finish_reason\":\"stop\"}]}"));
        Harness h = new Harness(data, up.url(), Map.of())) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", SCHEMA_REQUEST)));
      h.gateway.awaitIndexed();
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", SCHEMA_REQUEST)));
      assertEquals(2, up.calls.get());
    }
  }

  @Test
  void responsesAnswerWithAReasoningSummary_isPassedOnButNotStored(@TempDir Path data)
      throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json").result(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":"
                + "\"completed\",\"model\":\"m\",\"output\":[{\"type\":\"reasoning\",\"id\":"
                + "\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"Weighed both.\"}]},"
                + "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":"
                + "\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Tea.\","
                + "\"annotations\":[]}]}],\"usage\":{\"input_tokens\":3,\"output_tokens\":2,"
                + "\"total_tokens\":5}}"));
        Harness h = new Harness(data, up.url(), Map.of())) {
      String ask = "{\"model\":\"m\",\"temperature\":0,\"reasoning\":{\"effort\":\"low\","
          + "\"summary\":\"auto\"},\"input\":\"Tea or coffee?\"}";
      HttpResponse<String> first = h.post("/responses", ask);
      assertEquals("MISS", Harness.tier(first));
      assertEquals("Weighed both.", Json.MAPPER.readTree(first.body())
          .at("/output/0/summary/0/text").asText());
      h.gateway.awaitIndexed();
      HttpResponse<String> again = h.post("/responses", ask);
      assertEquals("MISS", Harness.tier(again));
      assertEquals("Weighed both.", Json.MAPPER.readTree(again.body())
          .at("/output/0/summary/0/text").asText());
      assertEquals(2, up.calls.get());
    }
  }

  @Test
  void anthropicBetaHeader_belongsToTheScope(@TempDir Path data) throws Exception {
    try (var up = Harness.fastUpstream();
        Harness h = new Harness(data, up.url(), Map.of())) {
      String ask = "{\"model\":\"m\",\"temperature\":0,\"max_tokens\":50,\"messages\":[{"
          + "\"role\":\"user\",\"content\":\"Summarise the beta features\"}]}";
      assertEquals("MISS", Harness.tier(h.post("/messages", ask)));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/messages", ask)));
      assertEquals("MISS", Harness.tier(h.post("/messages", ask, "anthropic-beta",
          "output-128k-2025-02-19")));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/messages", ask, "anthropic-beta",
          "output-128k-2025-02-19")));
    }
  }

  @Test
  void messagesErrors_carryAnthropicsTopLevelType(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.status(500));
        Harness h = new Harness(data, up.url(), Map.of())) {
      HttpResponse<String> r = h.post("/messages", "{\"model\":\"m\",\"messages\":[{\"role\":"
          + "\"user\",\"content\":\"hi\"}]}");
      assertEquals(400, r.statusCode());
      JsonNode body = Json.MAPPER.readTree(r.body());
      assertEquals("error", body.path("type").asText());
      assertEquals("invalid_request_error", body.at("/error/type").asText());
      assertEquals("max_tokens", body.at("/error/param").asText());
      assertEquals(0, up.calls.get());
    }
  }

  @Test
  void responsesOnUpstreamState_bypassWithTheReason(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json")
            .result("{\"object\":\"response\",\"status\":\"completed\",\"output\":[]}"));
        Harness h = new Harness(data, up.url(), Map.of())) {
      HttpResponse<String> r = h.post("/responses", "{\"model\":\"m\",\"temperature\":0,"
          + "\"input\":\"and then?\",\"previous_response_id\":\"resp_123\"}");
      assertEquals("BYPASS", Harness.tier(r));
      h.gateway.awaitIdle();
      assertTrue(h.decisionLines(1).get(0).contains("previous_response_id"));
    }
  }

  @Test
  void failedResponsesStream_isPassedOnButNotStored(@TempDir Path data) throws Exception {
    String req = "{\"model\":\"m\",\"temperature\":0,\"stream\":true,\"input\":\"Hi\"}";
    try (FakeUpstream up = new FakeUpstream(ctx -> {
          OutputStream out = FakeUpstream.sse(ctx);
          out.write(("event: response.created\ndata: {\"type\":\"response.created\"}\n\n"
              + "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":"
              + "{\"status\":\"failed\"}}\n\n").getBytes());
          out.flush();
        });
        Harness h = new Harness(data, up.url(), Map.of())) {
      HttpResponse<String> first = h.post("/responses", req);
      assertEquals("MISS", Harness.tier(first));
      assertTrue(first.body().contains("response.failed"), first.body());
      h.gateway.awaitIndexed();
      assertEquals("MISS", Harness.tier(h.post("/responses", req)));
      assertEquals(2, up.calls.get());
    }
  }

  @Test
  void upstreamKey_goesInXApiKeyForMessages(@TempDir Path data) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (FakeUpstream up = new FakeUpstream(ctx -> {
          seen.add(ctx.path() + " x-api-key=" + ctx.header("x-api-key") + " authorization="
              + ctx.header("Authorization") + " version=" + ctx.header("anthropic-version"));
          ctx.status(500).result("{}");
        });
        Harness h = new Harness(data, up.url(), Map.of("upstream.api-key", "sk-bound"))) {
      h.post("/messages", "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"}]}", "x-api-key", "sk-client", "anthropic-version", "2023-06-01");
      h.post("/chat/completions", Harness.ask("hi"), "Authorization", "Bearer sk-client");
      assertEquals(List.of(
          "/v1/messages x-api-key=sk-bound authorization=null version=2023-06-01",
          "/v1/chat/completions x-api-key=null authorization=Bearer sk-bound version=null"), seen);
    }
  }

  @Test
  void messagesStoppedAtASequence_sayWhichOnAHit(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json").result(
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"One, two\"}],\"stop_reason\":"
                + "\"stop_sequence\",\"stop_sequence\":\"###\",\"usage\":{\"input_tokens\":5,"
                + "\"output_tokens\":3}}"));
        Harness h = new Harness(data, up.url(), Map.of())) {
      String ask = "{\"model\":\"m\",\"temperature\":0,\"max_tokens\":50,\"stop_sequences\":"
          + "[\"###\",\"END\"],%s\"messages\":[{\"role\":\"user\",\"content\":\"Count to ten\"}]}";
      assertEquals("MISS", Harness.tier(h.post("/messages", ask.formatted(""))));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/messages", ask.formatted(""));
      assertEquals("HIT-EXACT", Harness.tier(hit));
      JsonNode whole = Json.MAPPER.readTree(hit.body());
      assertEquals("stop_sequence", whole.path("stop_reason").asText());
      assertEquals("###", whole.path("stop_sequence").asText());
      HttpResponse<String> streamed = h.post("/messages", ask.formatted("\"stream\":true,"));
      assertEquals("HIT-EXACT", Harness.tier(streamed));
      String delta = streamed.body().lines().filter(l -> l.contains("\"message_delta\""))
          .findFirst().orElseThrow().substring("data: ".length());
      assertEquals("stop_sequence", Json.MAPPER.readTree(delta).at("/delta/stop_reason").asText());
      assertEquals("###", Json.MAPPER.readTree(delta).at("/delta/stop_sequence").asText());
      assertEquals(1, up.calls.get());
    }
  }

  @Test
  void hugeModelName_isRefused_andModelVersionsKeepBeingSaved(@TempDir Path data)
      throws Exception {
    try (var up = Harness.fastUpstream(); Harness h = new Harness(data, up.url(), Map.of())) {
      String ask = "{\"model\":\"%s\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Which model are you?\"}]}";
      HttpResponse<String> huge = h.post("/chat/completions", ask.formatted("m".repeat(60_000)));
      assertEquals(400, huge.statusCode());
      assertEquals("'model' must be at most 1024 characters.",
          Json.MAPPER.readTree(huge.body()).at("/error/message").asText());
      assertEquals(200, h.post("/chat/completions", ask.formatted("m".repeat(1024)))
          .statusCode());
      assertEquals(200, h.post("/chat/completions", ask.formatted("later-model")).statusCode());
      String versions = java.nio.file.Files.readString(data.resolve("model-versions.json"));
      assertTrue(versions.contains("later-model"), versions);
    }
  }

  @Test
  void tokenLimit_isCheckedAgainstTheStoredAnswer(@TempDir Path data) throws Exception {
    try (var up = Harness.fastUpstream(); Harness h = new Harness(data, up.url(), Map.of())) {
      String q = "{\"model\":\"m\",\"temperature\":0,%s\"messages\":[{\"role\":\"user\","
          + "\"content\":\"What does a cache do?\"}]}";
      HttpResponse<String> first = h.post("/chat/completions", String.format(q, ""));
      assertEquals("MISS", Harness.tier(first));
      long used = Json.MAPPER.readTree(first.body()).at("/usage/completion_tokens").asLong();
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
          String.format(q, "\"max_tokens\":" + used + ","))));
      assertEquals("HIT-EXACT", Harness.tier(h.post("/messages", "{\"model\":\"m\","
          + "\"temperature\":0,\"max_tokens\":4096,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"What does a cache do?\"}]}")));
      HttpResponse<String> tight = h.post("/chat/completions",
          String.format(q, "\"max_tokens\":" + (used - 1) + ","));
      assertEquals("MISS", Harness.tier(tight));
      assertEquals("length", Json.MAPPER.readTree(tight.body()).at("/choices/0/finish_reason")
          .asText());
      h.gateway.awaitIndexed();
      // The cut answer was not stored over the whole one.
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", String.format(q, ""))));
      assertTrue(h.decisionLog().contains("more than the request's limit"), h.decisionLog());
    }
  }

  @Test
  void everyBypassAndMiss_saysWhyInXBoundReason(@TempDir Path data) throws Exception {
    try (var up = Harness.fastUpstream(); Harness h = new Harness(data, up.url(), Map.of())) {
      String hot = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
      assertEquals("temperature", h.post("/chat/completions", hot, "X-Bound-Variants", "off")
          .headers().firstValue("X-Bound-Reason").orElseThrow());
      assertEquals("variant_pool_filling", h.post("/chat/completions", hot).headers()
          .firstValue("X-Bound-Reason").orElseThrow());
      HttpResponse<String> miss = h.post("/chat/completions", Harness.ask("A new question?"));
      assertEquals("MISS", Harness.tier(miss));
      assertEquals("no_candidate", miss.headers().firstValue("X-Bound-Reason").orElseThrow());
      String toolTurn = "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
          + "[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":"
          + "\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]}";
      assertEquals("tool_result_turn", h.post("/chat/completions", toolTurn).headers()
          .firstValue("X-Bound-Reason").orElseThrow());
      HttpResponse<String> noCache = h.post("/chat/completions", Harness.ask("A new question?"),
          "Cache-Control", "no-cache");
      assertEquals("BYPASS", Harness.tier(noCache));
      assertEquals("no_cache", noCache.headers().firstValue("X-Bound-Reason").orElseThrow());
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", Harness.ask("A new question?"));
      assertEquals("HIT-EXACT", Harness.tier(hit));
      assertTrue(hit.headers().firstValue("X-Bound-Reason").isEmpty());
      assertTrue(h.decisionLog().contains("\"reason_code\":\"tool_result_turn\""));
    }
  }

  @Test
  void bypassedStream_isCutAtTheUpstreamTimeout(@TempDir Path data) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> {
          OutputStream out = FakeUpstream.sse(ctx);
          for (int i = 0; i < 30; i++) { // a drip: one event a second for half a minute
            FakeUpstream.event(out, FakeUpstream.chunk("x", null));
            Thread.sleep(1_000);
          }
        });
        Harness h = new Harness(data, up.url(), Map.of("upstream.timeout", "1s"))) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = h.post("/chat/completions", "{\"model\":\"m\",\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "X-Bound-Variants", "off");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals("BYPASS", Harness.tier(r));
      assertTrue(seconds < 10, "the bypassed stream ran " + seconds + " s past a 1 s timeout");
      assertTrue(h.decisionLog().contains("\"error\":\"upstream_timeout\""), h.decisionLog());
    }
  }
}
