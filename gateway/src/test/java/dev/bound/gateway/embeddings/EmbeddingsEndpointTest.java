package dev.bound.gateway.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/embeddings} through Bound over HTTP, in front of a fake upstream that counts the
 * items it embeds. Each test uses inputs of its own, so they share one Bound.
 */
class EmbeddingsEndpointTest {
  @TempDir static Path data;
  static FakeEmbeddings upstream;
  static Harness bound;

  @BeforeAll
  static void start() {
    upstream = new FakeEmbeddings();
    bound = new Harness(data, upstream.url(), Map.of());
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  /** A body for {@code model} with the given input and extra top-level fields. */
  static String body(String model, Object input, Map<String, Object> extra) {
    ObjectNode o = Json.object().put("model", model);
    o.set("input", Json.MAPPER.valueToTree(input));
    extra.forEach((k, v) -> o.set(k, Json.MAPPER.valueToTree(v)));
    return Json.text(o);
  }

  static List<String> texts(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + " chunk number " + i + (i % 3 == 0 ? " with a few more words" : ""));
    }
    return out;
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return Json.MAPPER.readTree(r.body());
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** Posts and returns how many items the upstream embedded for it. */
  static int embedded(String body, String... headers) throws Exception {
    int before = upstream.items.get();
    HttpResponse<String> r = bound.post("/embeddings", body, headers);
    assertEquals(200, r.statusCode(), r.body());
    return upstream.items.get() - before;
  }

  @Nested
  class PartialBatch {
    @Test
    void ninetyStored_forwardsOnlyTheTen_inOrder_andAnswersAsTheUpstreamWould() throws Exception {
      List<String> all = texts("partial", 100);
      List<String> stored = new ArrayList<>();
      List<String> fresh = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        (i % 10 == 7 ? fresh : stored).add(all.get(i));
      }
      assertEquals(90, embedded(body("text-embedding-3-small", stored, Map.of())));

      int calls = upstream.calls.get();
      int items = upstream.items.get();
      String request = body("text-embedding-3-small", all, Map.of());
      HttpResponse<String> r = bound.post("/embeddings", request);
      JsonNode answer = json(r);

      assertEquals("HIT-PARTIAL", header(r, "X-Bound-Cache"));
      assertEquals("90/100", header(r, "X-Bound-Embeddings-Cached"));
      assertEquals(calls + 1, upstream.calls.get());
      assertEquals(items + 10, upstream.items.get());
      assertEquals(Json.MAPPER.valueToTree(fresh), upstream.lastInput);
      JsonNode direct = upstream.direct(request);
      assertEquals(direct.get("data"), answer.get("data"));
      assertEquals("list", answer.get("object").asText());
      assertEquals("text-embedding-3-small", answer.get("model").asText());
      long freshTokens = fresh.stream().mapToLong(s -> FakeEmbeddings.tokens(Json.MAPPER
          .getNodeFactory().textNode(s))).sum();
      assertEquals(freshTokens, answer.at("/usage/prompt_tokens").asLong());
      assertEquals(freshTokens, answer.at("/usage/total_tokens").asLong());
      assertTrue(header(r, "X-Bound-Energy-Saved") != null);

      int before = upstream.calls.get();
      HttpResponse<String> again = bound.post("/embeddings", request);
      JsonNode hit = json(again);
      assertEquals("HIT-EXACT", header(again, "X-Bound-Cache"));
      assertEquals("100/100", header(again, "X-Bound-Embeddings-Cached"));
      assertEquals(before, upstream.calls.get());
      assertEquals(direct.get("data"), hit.get("data"));
      assertEquals(0, hit.at("/usage/prompt_tokens").asLong());
      assertEquals(0, hit.at("/usage/total_tokens").asLong());
      assertEquals("text-embedding-3-small", hit.get("model").asText());
    }

    @Test
    void duplicateItems_goUpstreamOnce() throws Exception {
      List<String> input = List.of("dup a", "dup b", "dup a", "dup a");
      HttpResponse<String> r = bound.post("/embeddings", body("m-dup", input, Map.of()));
      JsonNode answer = json(r);
      assertEquals(List.of("dup a", "dup b"),
          Json.MAPPER.convertValue(upstream.lastInput, List.class));
      assertEquals(4, answer.get("data").size());
      assertEquals(answer.at("/data/0/embedding"), answer.at("/data/3/embedding"));
      for (int i = 0; i < 4; i++) {
        assertEquals(i, answer.at("/data/" + i + "/index").asInt());
      }
      assertEquals("MISS", header(r, "X-Bound-Cache"));
    }
  }

  @Nested
  class Shapes {
    @Test
    void base64_replaysByteForByte() throws Exception {
      String request = body("m-b64", List.of("base one", "base two"),
          Map.of("encoding_format", "base64"));
      HttpResponse<String> miss = bound.post("/embeddings", request);
      assertEquals("MISS", header(miss, "X-Bound-Cache"));
      HttpResponse<String> hit = bound.post("/embeddings", request);
      assertEquals("HIT-EXACT", header(hit, "X-Bound-Cache"));
      JsonNode direct = upstream.direct(request);
      for (int i = 0; i < 2; i++) {
        String expected = direct.at("/data/" + i + "/embedding").textValue();
        assertEquals(expected, json(miss).at("/data/" + i + "/embedding").textValue());
        assertEquals(expected, json(hit).at("/data/" + i + "/embedding").textValue());
      }
    }

    @Test
    void singleString_staysASingleString_upstream() throws Exception {
      assertEquals(1, embedded(body("m-single", "just one", Map.of())));
      assertTrue(upstream.lastInput.isTextual());
      assertEquals(0, embedded(body("m-single", "just one", Map.of())));
      // A lone item and the same item in an array are the same item.
      assertEquals(0, embedded(body("m-single", List.of("just one"), Map.of())));
    }

    @Test
    void tokenArrays_areCachedPerItem() throws Exception {
      assertEquals(1, embedded(body("m-tokens", List.of(1, 2, 3), Map.of())));
      assertEquals(1, embedded(body("m-tokens", List.of(List.of(1, 2, 3), List.of(4, 5)),
          Map.of())));
      assertEquals(List.of(List.of(4, 5)),
          Json.MAPPER.convertValue(upstream.lastInput, List.class));
    }
  }

  @Nested
  class Key {
    private final String input = "the key decides";

    @Test
    void everyPartOfTheKey_missesWhenItDiffers() throws Exception {
      assertEquals(1, embedded(body("m-key", input, Map.of())));
      assertEquals(0, embedded(body("m-key", input, Map.of("encoding_format", "float"))));
      assertEquals(0, embedded(body("m-key", input, Map.of("user", "someone"))));
      assertEquals(1, embedded(body("m-key-2", input, Map.of())));
      assertEquals(1, embedded(body("m-key", input, Map.of("dimensions", 4))));
      assertEquals(0, embedded(body("m-key", input, Map.of("dimensions", 4))));
      assertEquals(1, embedded(body("m-key", input, Map.of("encoding_format", "base64"))));
      assertEquals(1, embedded(body("m-key", input, Map.of("input_type", "query"))));
      assertEquals(1, embedded(body("m-key", input, Map.of()), "X-Bound-Namespace", "team-b"));
      assertEquals(1, embedded(body("m-key", input, Map.of()), "Authorization", "Bearer k1"));
      assertEquals(0, embedded(body("m-key", input, Map.of()), "Authorization", "Bearer k1"));
      assertEquals(1, embedded(body("m-key", input, Map.of()), "x-api-key", "k2"));
      assertEquals(0, embedded(body("m-key", input, Map.of()), "x-api-key", "k2"));
    }
  }

  @Nested
  class Controls {
    @Test
    void noStore_looksButKeepsNothing() throws Exception {
      String request = body("m-ctl", "not kept", Map.of());
      assertEquals(1, embedded(request, "Cache-Control", "no-store"));
      assertEquals(1, embedded(request));
      assertEquals(0, embedded(request, "Cache-Control", "no-store"));
    }

    @Test
    void noCache_asksUpstream_andRefreshes() throws Exception {
      String request = body("m-ctl", "refreshed", Map.of());
      assertEquals(1, embedded(request));
      HttpResponse<String> r = bound.post("/embeddings", request, "Cache-Control", "no-cache");
      assertEquals("BYPASS", header(r, "X-Bound-Cache"));
      assertEquals("0/1", header(r, "X-Bound-Embeddings-Cached"));
      assertEquals(0, embedded(request));
    }

    @Test
    void off_passesThrough() throws Exception {
      String request = body("m-ctl", "passed through", Map.of());
      HttpResponse<String> r = bound.post("/embeddings", request, "X-Bound-Cache", "off");
      assertEquals("BYPASS", header(r, "X-Bound-Cache"));
      assertEquals("req-" + upstream.calls.get(), header(r, "X-Request-Id"));
      assertEquals(upstream.direct(request), json(r));
      assertEquals(1, embedded(request));
    }
  }

  @Nested
  class Failures {
    @Test
    void upstreamError_isRelayed_andNothingStored() throws Exception {
      String request = body("m-fail", List.of("fails a", "fails b"), Map.of());
      upstream.failWith = 500;
      try {
        HttpResponse<String> r = bound.post("/embeddings", request);
        assertEquals(500, r.statusCode());
        assertEquals("the model is overloaded", Json.MAPPER.readTree(r.body())
            .at("/error/message").asText());
      } finally {
        upstream.failWith = 0;
      }
      assertEquals(2, embedded(request));
    }

    @Test
    void answerWithAnItemMissing_isRelayed_andNothingStored() throws Exception {
      String request = body("m-drop", List.of("drop a", "drop b"), Map.of());
      upstream.dropOne = true;
      try {
        HttpResponse<String> r = bound.post("/embeddings", request);
        assertEquals(1, json(r).get("data").size());
        assertEquals("MISS", header(r, "X-Bound-Cache"));
      } finally {
        upstream.dropOne = false;
      }
      assertEquals(2, embedded(request));
    }

    @Test
    void badInput_getsTheOpenAiErrorShape_withoutUpstream() throws Exception {
      int calls = upstream.calls.get();
      bad("{\"input\":\"x\"}", "model", "missing_required_parameter");
      bad("{\"model\":\"\",\"input\":\"x\"}", "model", "invalid_type");
      bad("{\"model\":\"m\"}", "input", "missing_required_parameter");
      bad("{\"model\":\"m\",\"input\":[]}", "input", "invalid_value");
      bad("{\"model\":\"m\",\"input\":\"\"}", "input", "invalid_value");
      bad("{\"model\":\"m\",\"input\":5}", "input", "invalid_type");
      bad("{\"model\":\"m\",\"input\":[\"a\",1]}", "input", "invalid_type");
      bad("{\"model\":\"m\",\"input\":[[1],[]]}", "input", "invalid_value");
      bad("{\"model\":\"m\",\"input\":[1,-2]}", "input", "invalid_value");
      bad("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}", "dimensions", "invalid_value");
      bad("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":\"8\"}", "dimensions", "invalid_type");
      bad("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"hex\"}", "encoding_format",
          "invalid_value");
      bad("{\"model\":\"m\",\"input\":\"x\",\"user\":5}", "user", "invalid_type");
      bad("{\"model\":\"m\",\"input\":", null, "invalid_json");
      assertEquals(calls, upstream.calls.get());
    }

    private void bad(String body, String param, String code) throws Exception {
      HttpResponse<String> r = bound.post("/embeddings", body);
      assertEquals(400, r.statusCode(), r.body());
      JsonNode err = Json.MAPPER.readTree(r.body()).get("error");
      assertEquals("invalid_request_error", err.get("type").asText(), r.body());
      assertEquals(param, err.get("param").isNull() ? null : err.get("param").asText(), body);
      assertEquals(code, err.get("code").asText(), body);
      assertFalse(err.get("message").asText().isBlank());
    }
  }

  @Nested
  class Observation {
    @Test
    void outcome_reachesDecisionLogAndMetrics() throws Exception {
      List<String> input = texts("observed", 4);
      embedded(body("text-embedding-3-large", input.subList(0, 2), Map.of()));
      HttpResponse<String> r = bound.post("/embeddings",
          body("text-embedding-3-large", input, Map.of()));
      assertEquals("HIT-PARTIAL", header(r, "X-Bound-Cache"));
      List<String> lines = bound.decisionLog().lines()
          .filter(l -> l.contains("\"path\":\"/v1/embeddings\"")
              && l.contains("text-embedding-3-large")).toList();
      JsonNode last = Json.MAPPER.readTree(lines.get(lines.size() - 1));
      assertEquals("HIT-PARTIAL", last.get("tier").asText());
      assertEquals(2, last.get("cached").asInt());
      assertEquals(2, last.get("forwarded").asInt());
      assertEquals("embedding-small", last.at("/energy/profile").asText());
      long stored = input.subList(0, 2).stream().mapToLong(s -> FakeEmbeddings.tokens(
          Json.MAPPER.getNodeFactory().textNode(s))).sum();
      assertEquals(stored, last.get("prompt_tokens").asLong());
      List<String> names = new java.util.ArrayList<>();
      last.fieldNames().forEachRemaining(names::add);
      assertEquals(List.of("ts", "path", "model", "tenant", "tier", "cached", "forwarded"),
          names.subList(0, 7), "the line's fields in their order: " + names);
      assertEquals(List.of("search_ms", "energy", "latency_ms"),
          names.subList(names.size() - 3, names.size()), names.toString());
      assertTrue(last.at("/energy/wh").isNumber() && last.at("/energy/money_high").isNumber(),
          last.toString());

      String metrics = bound.getOutsideApi("/metrics").body();
      assertTrue(metrics.contains(
          "bound_requests_total{endpoint=\"embeddings\",outcome=\"HIT-PARTIAL\"}"), metrics);
      assertTrue(metrics.contains(
          "bound_requests_total{endpoint=\"embeddings\",outcome=\"BYPASS\"}"), metrics);
    }
  }
}
