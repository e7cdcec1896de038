package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recomputing bound documents after a model change, through the admin API: drafts with diffs,
 * the hourly budget on an injected clock, approve (a new signed version) and reject (the old one
 * keeps serving), drafts kept across a restart and never served.
 */
class DocumentRecomputeTest {
  private static final String ADMIN = DocumentsTest.ADMIN;
  private static final String KEY = "sk-recompute-test";
  private final HttpClient http = HttpClient.newHttpClient();

  private final AtomicReference<String> version = new AtomicReference<>("fake-v1");
  private final List<JsonNode> asked = new CopyOnWriteArrayList<>();
  private final List<String> keys = new CopyOnWriteArrayList<>();

  /** Answers every chat with the text "The <version> answer to <question>". */
  private FakeUpstream upstream() {
    return FakeUpstream.versioned(version::get, ctx -> {
      asked.add(Json.MAPPER.readTree(ctx.body()));
      keys.add(String.valueOf(ctx.header("Authorization")));
    });
  }

  private HttpResponse<String> admin(Harness h, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + h.gateway.port() + path)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + ADMIN);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private String create(Harness h, String question, String answer) throws Exception {
    return ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"" + question + "\"],"
        + "\"answer\":\"" + answer + "\",\"author\":\"ada\",\"scope\":{\"model\":\"sim\"}}"))
        .get("id").asText();
  }

  private JsonNode pass(Harness h) throws Exception {
    return ok(admin(h, "POST", "/admin/documents/recompute", null));
  }

  /** Asks a document's question as a client would and checks which version answered. */
  private static String served(Harness h, String question, String docAtVersion) throws Exception {
    HttpResponse<String> r = h.post("/chat/completions", Harness.ask(question));
    assertEquals("HIT-BOUND", Harness.tier(r));
    assertEquals(docAtVersion, r.headers().firstValue("X-Bound-Document").orElseThrow());
    return Json.MAPPER.readTree(r.body()).at("/choices/0/message/content").asText();
  }

  @Test
  void modelChange_draftsWithDiffs_approveSigns_rejectKeepsOld(@TempDir Path dir)
      throws Exception {
    MutableClock clock = new MutableClock();
    Map<String, String> cfg = Map.of("admin.token", ADMIN, "upstream.api-key", KEY,
        "documents.recompute.per-hour", "1");
    String a;
    String b;
    try (FakeUpstream up = upstream()) {
      try (Harness h = new Harness(dir.resolve("data"), up.url(), cfg, clock)) {
        a = create(h, "Is this bound?", "Yes, this is bound by hand.");
        b = create(h, "Who signs the documents?", "The admin signs them.");
        assertEquals(0, pass(h).get("drafted").asInt(), "no model change yet");
        h.post("/chat/completions", Harness.ask("A first question"));
        version.set("fake-v2");
        h.post("/chat/completions", Harness.ask("Something else entirely"));

        // One re-ask an hour: the first document now, the second waits for the next hour.
        int calls = up.calls.get();
        JsonNode first = pass(h);
        assertEquals(1, first.get("drafted").asInt(), first.toString());
        assertEquals(1, first.get("waiting").asInt(), first.toString());
        assertEquals(calls + 1, up.calls.get());
        JsonNode req = asked.getLast();
        assertEquals("sim", req.get("model").asText());
        assertEquals(0, req.get("temperature").asDouble());
        assertEquals("Is this bound?", req.at("/messages/0/content").asText());
        assertEquals("Bearer " + KEY, keys.getLast());

        JsonNode draft = ok(admin(h, "GET", "/admin/documents/" + a + "/draft", null));
        assertEquals("The fake-v2 answer to Is this bound?", draft.get("answer").asText());
        assertEquals("fake-v2", draft.get("model_version").asText());
        assertEquals(1, draft.get("base_version").asInt());
        assertEquals(clock.millis(), draft.get("created").asLong());
        StringBuilder after = new StringBuilder();
        StringBuilder removed = new StringBuilder();
        for (JsonNode part : draft.get("diff")) {
          switch (part.get("op").asText()) {
            case "same", "added" -> after.append(part.get("text").asText());
            case "removed" -> removed.append(part.get("text").asText());
            default -> throw new AssertionError(part.toString());
          }
        }
        assertEquals(draft.get("answer").asText(), after.toString());
        assertTrue(removed.toString().contains("Yes,") && removed.toString().contains("hand."),
            draft.get("diff").toString());
        assertEquals(404, admin(h, "GET", "/admin/documents/" + b + "/draft", null).statusCode());

        assertEquals(0, pass(h).get("drafted").asInt(), "the hour's budget is spent");
        clock.advance(Duration.ofMinutes(61));
        assertEquals(1, pass(h).get("drafted").asInt());
        assertEquals(0, pass(h).get("waiting").asInt(), "nothing left to ask");

        // A draft is never served.
        assertEquals("Yes, this is bound by hand.", served(h, "Is this bound?", a + "@1"));
      }

      // Drafts survive a restart.
      try (Harness h = new Harness(dir.resolve("data"), up.url(), cfg, clock)) {
        assertEquals("The fake-v2 answer to Who signs the documents?", ok(admin(h, "GET",
            "/admin/documents/" + b + "/draft", null)).get("answer").asText());

        JsonNode approved = ok(admin(h, "POST", "/admin/documents/" + a + "/draft/approve",
            "{\"author\":\"grace\"}"));
        assertEquals(2, approved.get("version").asInt());
        assertEquals("grace", approved.get("author").asText());
        assertEquals(0, approved.get("review").size(), "approval clears the review flag");
        assertEquals("fake-v2", approved.at("/provenance/upstreamModel").asText(),
            approved.toString());
        assertEquals("The fake-v2 answer to Is this bound?",
            served(h, "Is this bound?", a + "@2"));
        assertEquals(404, admin(h, "GET", "/admin/documents/" + a + "/draft", null).statusCode());
        assertEquals(404, admin(h, "POST", "/admin/documents/" + a + "/draft/approve",
            "{\"author\":\"grace\"}").statusCode());

        ok(admin(h, "POST", "/admin/documents/" + b + "/draft/reject", "{\"author\":\"grace\"}"));
        assertEquals(404, admin(h, "GET", "/admin/documents/" + b + "/draft", null).statusCode());
        assertEquals("The admin signs them.", served(h, "Who signs the documents?", b + "@1"));
        assertEquals(1, ok(admin(h, "GET", "/admin/documents/" + b, null)).get("review").size(),
            "a rejected draft leaves the document flagged");
        clock.advance(Duration.ofHours(2));
        int calls = up.calls.get();
        assertEquals(0, pass(h).get("drafted").asInt(), "a rejected change is not asked again");
        assertEquals(calls, up.calls.get());

        // The approved version verifies offline like any other.
        Path keyFile = dir.resolve("keys.json");
        Files.writeString(keyFile, h.getOutsideApi("/.well-known/bound-keys").body());
        Path export = dir.resolve("export.json");
        Files.writeString(export, ok(admin(h, "GET", "/admin/export", null)).toString());
        assertTrue(Files.readString(export).contains("The fake-v2 answer to Is this bound?"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertEquals(0, Verify.run(export, keyFile, quiet, quiet));
      }
    }
  }

  @Test
  void draft_ofEditedDocument_noLongerApplies(@TempDir Path dir) throws Exception {
    Map<String, String> cfg = Map.of("admin.token", ADMIN, "upstream.api-key", KEY);
    try (FakeUpstream up = upstream();
        Harness h = new Harness(dir, up.url(), cfg, new MutableClock())) {
      String a = create(h, "Is this bound?", "Yes.");
      h.post("/chat/completions", Harness.ask("A first question"));
      version.set("fake-v2");
      h.post("/chat/completions", Harness.ask("Something else entirely"));
      assertEquals(1, pass(h).get("drafted").asInt());
      ok(admin(h, "PUT", "/admin/documents/" + a, "{\"answer\":\"Yes, by hand.\","
          + "\"author\":\"ada\"}"));
      assertEquals(404, admin(h, "GET", "/admin/documents/" + a + "/draft", null).statusCode());
      HttpResponse<String> stale = admin(h, "POST", "/admin/documents/" + a + "/draft/approve",
          "{\"author\":\"ada\"}");
      assertEquals(409, stale.statusCode(), stale.body());
      JsonNode err = Json.MAPPER.readTree(stale.body()).get("error");
      assertEquals("draft_stale", err.get("code").asText(), stale.body());
      assertTrue(err.get("message").asText().contains("made for version 1")
          && err.get("message").asText().contains("now version 2"), stale.body());
      assertEquals(409, admin(h, "POST", "/admin/documents/" + a + "/draft/reject",
          "{\"author\":\"ada\"}").statusCode());
      assertEquals(0, pass(h).get("drafted").asInt(), "the edit cleared the review flag");
      assertEquals(404, admin(h, "POST", "/admin/documents/" + a + "/draft/approve",
          "{\"author\":\"ada\"}").statusCode(), "the pass dropped the stale draft");
      assertEquals("Yes, by hand.", served(h, "Is this bound?", a + "@2"));
      assertEquals(404, admin(h, "GET", "/admin/documents/doc_00000000000000000000/draft",
          null).statusCode());
    }
  }

  @Test
  void recompute_withoutUpstreamKey_isOff_documentsOnlyFlagged(@TempDir Path dir)
      throws Exception {
    try (FakeUpstream up = upstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN), new MutableClock())) {
      String a = create(h, "Is this bound?", "Yes.");
      h.post("/chat/completions", Harness.ask("A first question"));
      version.set("fake-v2");
      h.post("/chat/completions", Harness.ask("Something else entirely"));
      HttpResponse<String> r = admin(h, "POST", "/admin/documents/recompute", null);
      assertEquals(409, r.statusCode(), r.body());
      assertTrue(r.body().contains("upstream.api-key"), r.body());
      assertEquals(1, ok(admin(h, "GET", "/admin/documents/" + a, null)).get("review").size());
      assertEquals(404, admin(h, "GET", "/admin/documents/" + a + "/draft", null).statusCode());
    }
  }
}
