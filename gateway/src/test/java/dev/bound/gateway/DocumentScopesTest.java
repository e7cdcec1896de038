package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who a bound document reaches, and what the admin API takes to say so; each case was found by a
 * tester who saw no code: a promoted answer scoped to a model name no client asks for and to every
 * tenant, an edit that widened the scope it left out, misspelt fields dropped without a word, the
 * threshold header reaching below the documents' floor, the dashboard's cookie sent upstream and
 * promotion candidates joined across tenants.
 */
class DocumentScopesTest {
  private static final String ADMIN = "admin-token-0123456789abcdef";
  private static final String READER = "reader-token-0123456789abcdef";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> call(Harness h, String method, String path, String body,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + h.gateway.port() + path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + ADMIN);
    if (headers.length > 0) {
      b.headers(headers);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r) throws Exception {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  /** The response is a 400 in the OpenAI error shape naming {@code param}. */
  private static void refused(HttpResponse<String> r, String code, String param) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    JsonNode e = Json.MAPPER.readTree(r.body()).get("error");
    assertEquals(code, e.get("code").asText(), r.body());
    assertEquals(param, e.get("param").asText(), r.body());
  }

  private static String ask(String model, String q) {
    return "{\"model\":\"" + model + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + q + "\"}]}";
  }

  @Test
  void promote_scopedToTheModelAskedFor_andToTheEntrysTenant(@TempDir Path dir) throws Exception {
    AtomicReference<String> version = new AtomicReference<>("fake-2024-01-01");
    try (FakeUpstream up = FakeUpstream.versioned(version::get, ctx -> {});
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      String q = "Summarize my account notes for customer 4711";
      String alice = "Bearer sk-alice-0123456789";
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", ask("fake", q),
          "Authorization", alice)));
      h.gateway.awaitIndexed();
      JsonNode entry = ok(call(h, "GET", "/admin/entries", null)).get("entries").get(0);
      assertEquals("fake-2024-01-01", entry.get("model").asText()); // the model that answered

      JsonNode doc = ok(call(h, "POST", "/admin/entries/" + entry.get("id").asText()
          + "/promote", "{\"author\":\"ada\"}"));
      assertEquals("fake", doc.at("/scope/model").asText());
      assertEquals(entry.get("namespace").asText(), doc.at("/scope/namespace").asText());
      assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions",
          ask("fake", q.toLowerCase()), "Authorization", alice)));
      assertNotEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions",
          ask("fake", q.toLowerCase()), "Authorization", "Bearer sk-bob-0123456789")));

      // Once the upstream answers with another version, the old entry's model is nobody's name.
      version.set("fake-2024-06-01");
      h.post("/chat/completions", ask("fake", "Something new"), "Authorization", alice);
      HttpResponse<String> stale = call(h, "POST", "/admin/entries/"
          + entry.get("id").asText() + "/promote", "{\"author\":\"ada\"}");
      refused(stale, "missing_required_parameter", "scope.model");
      assertTrue(stale.body().contains("fake-2024-01-01"), stale.body());
      JsonNode named = ok(call(h, "POST", "/admin/entries/" + entry.get("id").asText()
          + "/promote", "{\"author\":\"ada\",\"scope\":{\"model\":\"*\",\"namespace\":\"*\"}}"));
      assertEquals("*", named.at("/scope/model").asText());
      assertEquals("*", named.at("/scope/namespace").asText());
    }
  }

  @Test
  void edits_keepWhatTheyLeaveOut_andMisspeltFieldsAreRefused(@TempDir Path dir)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      JsonNode doc = ok(call(h, "POST", "/admin/documents", "{\"questions\":[\"What is Bound?\"],"
          + "\"answer\":\"A gateway.\",\"author\":\"ada\",\"scope\":{\"model\":\"sim\","
          + "\"namespace\":\"team-a\"}}"));
      String path = "/admin/documents/" + doc.get("id").asText();

      JsonNode v2 = ok(call(h, "PUT", path, "{\"author\":\"k\",\"scope\":{\"namespace\":"
          + "\"team-b\"}}"));
      assertEquals("sim", v2.at("/scope/model").asText());
      assertEquals("ns:team-b", v2.at("/scope/namespace").asText());
      JsonNode v3 = ok(call(h, "PUT", path, "{\"author\":\"k\",\"scope\":{}}"));
      assertEquals("sim", v3.at("/scope/model").asText());
      assertEquals("ns:team-b", v3.at("/scope/namespace").asText());

      // A stale edit whose version check was misspelt is refused, not made.
      refused(call(h, "PUT", path, "{\"author\":\"y\",\"answer\":\"stale\","
          + "\"expectedVersion\":1}"), "unknown_parameter", "expectedVersion");
      refused(call(h, "POST", "/admin/documents", "{\"questions\":[\"Q?\"],\"answer\":\"A\","
          + "\"author\":\"ada\",\"scope\":{\"namespace\":\"team-a\",\"modle\":\"gpt-4o\"}}"),
          "unknown_parameter", "scope.modle");
      refused(call(h, "POST", path + "/revoke", "{\"author\":\"ada\",\"why\":\"x\"}"),
          "unknown_parameter", "why");
      refused(call(h, "PUT", path, "{\"author\":\"y\",\"answer\":\"x\",\"expected_version\":3}",
          "If-Match", "\"2\""), "invalid_value", "expected_version");
      assertEquals(3, ok(call(h, "GET", path, null)).get("version").asInt());
      assertEquals(1, ok(call(h, "GET", "/admin/documents", null)).get("documents").size());
    }
  }

  @Test
  void thresholdHeader_neverReachesBelowTheDocumentsFloor(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      ok(call(h, "POST", "/admin/documents", "{\"questions\":[\"How do I reset my password?\"],"
          + "\"answer\":\"Use the reset link.\",\"author\":\"ada\"}"));
      for (String t : List.of("0", "0.3", "0.9")) {
        assertNotEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions",
            ask("sim", "Write a haiku about the ocean at night."), "X-Bound-Threshold", t)), t);
      }
      assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions",
          ask("sim", "How do I reset my password?"), "X-Bound-Threshold", "0")));
      h.gateway.awaitIdle();
      JsonNode top = ok(h.getOutsideApi("/api/top", "Authorization", "Bearer " + ADMIN));
      assertTrue(top.at("/documents/0/version").isInt(), top.toString()); // as the admin API
      assertEquals(1, top.at("/documents/0/version").asInt());
    }
  }

  @Test
  void theDashboardCookie_isNotSentUpstream(@TempDir Path dir) throws Exception {
    List<String> cookies = new CopyOnWriteArrayList<>();
    try (FakeUpstream up = FakeUpstream.versioned(() -> "m",
            ctx -> cookies.add(String.valueOf(ctx.header("Cookie"))));
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      h.post("/chat/completions", ask("m", "one"), "Cookie", "bound_token=" + ADMIN + "; other=1");
      h.post("/chat/completions", ask("m", "two"), "Cookie", "bound_token=" + ADMIN);
      h.post("/chat/completions", ask("m", "three"), "Cookie", "a=1;bound_token=x; b=2");
      assertEquals(List.of("other=1", "null", "a=1; b=2"), cookies);
    }
  }

  @Test
  void candidates_joinOnlyWhatTheCacheWould_andTheReaderSeesNoPromptsUnlessAllowed(
      @TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN,
            "dashboard.token", READER))) {
      String q = "How do I set up the office VPN on my laptop?";
      for (String ns : List.of("alpha", "beta")) {
        for (int i = 0; i < 2; i++) {
          h.post("/chat/completions", ask("sim", q), "X-Bound-Namespace", ns);
          h.gateway.awaitIndexed();
        }
      }
      JsonNode groups = ok(call(h, "GET", "/admin/candidates?min_count=1", null))
          .get("candidates");
      assertEquals(2, groups.size(), groups.toString());
      assertEquals(List.of("anonymous/ns:alpha", "anonymous/ns:beta"), java.util.stream.Stream.of(
          groups.get(0), groups.get(1)).map(g -> g.get("namespace").asText()).sorted().toList());
      assertEquals(2, groups.get(0).get("count").asInt());
      assertEquals(q, groups.get(0).get("examples").get(0).asText());

      HttpResponse<String> reader = h.getOutsideApi("/api/candidates?min_count=1",
          "Authorization", "Bearer " + READER);
      JsonNode seen = ok(reader);
      assertFalse(seen.get("show_prompts").asBoolean());
      assertEquals(2, seen.get("candidates").size());
      assertFalse(reader.body().contains("VPN"), reader.body());

      // Entries by namespace: the plain name under any credential, or the tenant as shown.
      for (String ns : List.of("alpha", "anonymous/ns:alpha")) {
        JsonNode e = ok(call(h, "GET", "/admin/entries?namespace=" + ns, null)).get("entries");
        assertEquals(1, e.size(), ns + " " + e);
        assertEquals("anonymous/ns:alpha", e.get(0).get("namespace").asText());
      }
    }
  }
}
