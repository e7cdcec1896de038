package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.index.docs.DocEdit;
import dev.bound.index.docs.DocScope;
import dev.bound.index.docs.DocumentSigner;
import dev.bound.index.docs.DocumentStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bound documents end to end: the admin API, serving first, signatures, versions, revocation. */
class DocumentsTest {
  static final String ADMIN = "admin-token-0123456789abcdef";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> admin(Harness h, String method, String path, String body,
      String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + h.gateway.port() + path)).header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  private static String ask(String q, boolean stream) {
    return "{\"model\":\"sim\",\"temperature\":0,\"stream\":" + stream + ",\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + q + "\"}]}";
  }

  @Test
  void adminApi_offWithoutToken_401WithWrongOrMissing(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness off = new Harness(dir.resolve("a"), up.url(), Map.of());
        Harness on = new Harness(dir.resolve("b"), up.url(), Map.of("admin.token", ADMIN))) {
      assertEquals(404, admin(off, "GET", "/admin/documents", null, ADMIN).statusCode());
      assertEquals(401, admin(on, "GET", "/admin/documents", null, null).statusCode());
      HttpResponse<String> wrong = admin(on, "GET", "/admin/documents", null,
          "not-the-admin-token-000");
      assertEquals(401, wrong.statusCode());
      assertEquals("invalid_token", Json.MAPPER.readTree(wrong.body()).at("/error/code").asText());
      assertEquals(200, admin(on, "GET", "/admin/documents", null, ADMIN).statusCode());
      assertTrue(!on.decisionLog().contains(ADMIN));
    }
  }

  @Test
  void documentsDirectoryRemovedWhileRunning_isA503SayingSo(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      try (var all = java.nio.file.Files.walk(dir.resolve("documents"))) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
      HttpResponse<String> r = admin(h, "POST", "/admin/documents", "{\"questions\":[\"Q?\"],"
          + "\"answer\":\"A.\",\"author\":\"ada\"}", ADMIN);
      assertEquals(503, r.statusCode(), r.body());
      JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
      assertEquals("data_missing", error.get("code").asText(), r.body());
      assertTrue(error.get("message").asText().contains("documents"), r.body());
    }
  }

  @Test
  void documentList_namesWhatTheStoreSetAside(@TempDir Path dir) throws Exception {
    String id;
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      JsonNode listed = ok(admin(h, "GET", "/admin/documents", null, ADMIN));
      assertEquals(0, listed.get("problems").size(), listed.toString());
      id = ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"What is Bound?\"],"
          + "\"answer\":\"A caching gateway.\",\"author\":\"ada\"}", ADMIN)).get("id").asText();
    }
    // Someone edits the signed file by hand: it no longer verifies, and is set aside at start.
    Path v1 = dir.resolve("documents").resolve(id).resolve("v1.json");
    java.nio.file.Files.writeString(v1, java.nio.file.Files.readString(v1)
        .replace("A caching gateway.", "A toaster."));
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      JsonNode listed = ok(admin(h, "GET", "/admin/documents", null, ADMIN));
      assertEquals(0, listed.get("documents").size(), listed.toString());
      String problems = listed.get("problems").toString();
      assertTrue(problems.contains(id + "/v1.json: its signature does not verify")
          && problems.contains("document " + id + " has no readable version"), problems);
    }
  }

  @Test
  void document_isServedFirst_signed_versioned_revoked(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      String q = "How do I rotate the signing key?";
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", ask(q, false))));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", ask(q, false))));

      JsonNode doc = ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"" + q + "\"],"
          + "\"answer\":\"Run bound keys rotate, then restart.\",\"author\":\"ada\"}", ADMIN));
      String id = doc.get("id").asText();
      assertEquals(1, doc.get("version").asInt());

      long calls = up.calls();
      HttpResponse<String> bound = h.post("/chat/completions", ask(q.toLowerCase(), false));
      assertEquals("HIT-BOUND", Harness.tier(bound));
      assertEquals(id + "@1", bound.headers().firstValue("X-Bound-Document").orElseThrow());
      assertTrue(bound.headers().firstValue("X-Bound-Signature").orElseThrow()
          .startsWith("kid=" + doc.get("kid").asText() + "; sig="));
      assertEquals("Run bound keys rotate, then restart.",
          Json.MAPPER.readTree(bound.body()).at("/choices/0/message/content").asText());
      HttpResponse<String> streamed = h.post("/chat/completions", ask(q, true));
      assertEquals("HIT-BOUND", Harness.tier(streamed));
      assertTrue(streamed.body().contains("rotate") && streamed.body().endsWith("[DONE]\n\n"));
      assertEquals(calls, up.calls());

      // Edit: version 2 supersedes 1, which stays readable.
      ok(admin(h, "PUT", "/admin/documents/" + id, "{\"answer\":\"Use the admin API.\","
          + "\"author\":\"grace\",\"expected_version\":1}", ADMIN));
      HttpResponse<String> v2 = h.post("/chat/completions", ask(q, false));
      assertEquals(id + "@2", v2.headers().firstValue("X-Bound-Document").orElseThrow());
      JsonNode versions = ok(admin(h, "GET", "/admin/documents/" + id + "/versions", null, ADMIN));
      assertEquals(2, versions.get("versions").size());
      assertEquals("SUPERSEDED", ok(admin(h, "GET", "/admin/documents/" + id + "/versions/1",
          null, ADMIN)).get("status").asText());
      assertEquals(409, admin(h, "PUT", "/admin/documents/" + id, "{\"answer\":\"x\","
          + "\"author\":\"bob\",\"expected_version\":1}", ADMIN).statusCode());

      // Signatures verify offline against the published key; a changed byte does not.
      Path keys = dir.resolve("keys.json");
      Files.writeString(keys, h.getOutsideApi("/.well-known/bound-keys").body());
      Path export = dir.resolve("export.json");
      Files.writeString(export, ok(admin(h, "GET", "/admin/export", null, ADMIN)).toString());
      PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
      assertEquals(0, Verify.run(export, keys, quiet, quiet));
      Path tampered = dir.resolve("tampered.json");
      Files.writeString(tampered, Files.readString(export).replace("Use the admin API.",
          "Use the admin API!"));
      assertEquals(1, Verify.run(tampered, keys, quiet, quiet));
      // A field given twice: a lenient reader takes the last, the import refuses it; so does this.
      Path doubled = dir.resolve("doubled.json");
      Files.writeString(doubled, Files.readString(export).replaceFirst("\\{",
          "{\"answer\": \"TAMPERED\","));
      assertEquals(2, Verify.run(doubled, keys, quiet, quiet));
      Path empty = Files.writeString(dir.resolve("empty.json"), "[]");
      assertEquals(1, Verify.run(empty, keys, quiet, quiet));
      Path bundle = Files.writeString(dir.resolve("bundle.json"), "{\"documents\": "
          + Files.readString(export) + ", \"keys\": " + Files.readString(keys) + "}");
      assertEquals(0, Verify.run(bundle, keys, quiet, quiet));
      Path otherKey = Files.writeString(dir.resolve("other-key.json"),
          dev.bound.index.docs.DocumentSigner.open(dir.resolve("other-keys")).publicJwk());
      ByteArrayOutputStream said = new ByteArrayOutputStream();
      assertEquals(1, Verify.run(export, otherKey, new PrintStream(said, true), quiet));
      assertTrue(said.toString().contains("no key in " + otherKey + " has that key id"),
          said.toString());

      // Revoked: never served again, kept for the record.
      ok(admin(h, "POST", "/admin/documents/" + id + "/revoke", "{\"author\":\"ada\"}", ADMIN));
      assertNotEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions", ask(q, false))));
      assertEquals("REVOKED", ok(admin(h, "GET", "/admin/documents/" + id, null, ADMIN))
          .get("status").asText());

      // The export from before the revocation is an earlier point of the same history.
      JsonNode imported = ok(admin(h, "POST", "/admin/import", Files.readString(export), ADMIN));
      assertEquals(0, imported.get("imported").asInt());
      assertEquals(0, imported.get("updated").asInt());
      assertEquals(1, imported.get("unchanged").asInt());
      assertEquals("REVOKED", ok(admin(h, "GET", "/admin/documents/" + id, null, ADMIN))
          .get("status").asText());
    }
  }

  @Test
  void edits_refuseWhatWouldWidenScopeOrSkipTheVersionCheck(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      JsonNode doc = ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"What is Bound?\"],"
          + "\"answer\":\"A gateway.\",\"author\":\"ada\",\"scope\":{\"model\":\"sim\","
          + "\"namespace\":\"team-a\"}}", ADMIN));
      String path = "/admin/documents/" + doc.get("id").asText();
      String[][] refused = {
          {"{\"author\":\"b\",\"expected_version\":\"stale\"}", "expected_version"},
          {"{\"author\":\"b\",\"expected_version\":4294967297}", "expected_version"},
          {"{\"author\":\"b\",\"scope\":null}", "scope"},
          {"{\"author\":\"b\",\"scope\":\"x\"}", "scope"},
          {"{\"author\":\"b\",\"scope\":{\"model\":5}}", "scope.model"},
          {"{\"author\":\"b\",\"scope\":{\"namespace\":{}}}", "scope.namespace"},
          {"{\"author\":\"b\",\"answer\":5}", "answer"}};
      for (String[] r : refused) {
        HttpResponse<String> res = admin(h, "PUT", path, r[0], ADMIN);
        assertEquals(400, res.statusCode(), r[0] + " -> " + res.body());
        assertEquals(r[1], Json.MAPPER.readTree(res.body()).at("/error/param").asText(), r[0]);
      }
      assertEquals(400, admin(h, "POST", "/admin/documents", "{\"questions\":[\"Q?\"],"
          + "\"answer\":\"A.\",\"author\":\"ada\",\"scope\":5}", ADMIN).statusCode());
      // Nothing above changed the document: still version 1, its scope as it was.
      JsonNode now = ok(admin(h, "GET", path, null, ADMIN));
      assertEquals(1, now.get("version").asInt());
      assertEquals("sim", now.at("/scope/model").asText(), now.toString());

      HttpResponse<String> badTag = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + h.gateway.port() + path)).header("Authorization", "Bearer "
          + ADMIN).header("Content-Type", "application/json").header("If-Match", "abc")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"author\":\"b\",\"answer\":\"B.\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, badTag.statusCode(), badTag.body());
      assertTrue(badTag.body().contains("If-Match"), badTag.body());
      HttpResponse<String> weakTag = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + h.gateway.port() + path)).header("Authorization", "Bearer "
          + ADMIN).header("Content-Type", "application/json").header("If-Match", "W/\"1\"")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"author\":\"b\",\"answer\":\"B.\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(2, ok(weakTag).get("version").asInt());

      for (String q : new String[] {"/admin/entries?max_age=9999999999999999d",
          "/admin/entries?max_age=9223372036854775807s", "/admin/documents?status=bogus"}) {
        HttpResponse<String> res = admin(h, "GET", q, null, ADMIN);
        assertEquals(400, res.statusCode(), q + " -> " + res.body());
        assertTrue(res.body().startsWith("{\"error\":"), res.body());
      }
      assertEquals(200, admin(h, "GET", "/admin/entries?max_age=7d", null, ADMIN).statusCode());
    }
  }

  /**
   * An import signed documents as they came, where creating, editing and promoting refuse a
   * question holding a control character.
   */
  @Test
  void import_questionWithAControlCharacter_refusesAllAndNamesTheDocument(@TempDir Path dir)
      throws Exception {
    String nul;
    String export;
    String keys;
    try (DocumentStore there = DocumentStore.open(dir.resolve("there"),
        DocumentSigner.open(dir.resolve("there-keys")))) {
      there.create(List.of("Where is the help desk?"), "Room 4.", DocScope.any(), "ada", null);
      nul = there.create(List.of("Opening hours?", "When do you open?\u0000"), "Nine to five.",
          DocScope.any(), "ada", null).id();
      // One in a version since edited is history, never served, so it does not count.
      String fixed = there.create(List.of("Parking?\u001b"), "Level 2.", DocScope.any(), "ada",
          null).id();
      there.edit(fixed, DocEdit.by("bob").withQuestions(List.of("Parking?")));
      export = there.exportAll();
      keys = there.keySet();
      there.revoke(nul, "bob");
    }
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir.resolve("here"), up.url(), Map.of("admin.token", ADMIN))) {
      HttpResponse<String> r = admin(h, "POST", "/admin/import", "{\"documents\": " + export
          + ", \"keys\": " + keys + "}", ADMIN);
      assertEquals(400, r.statusCode(), r.body());
      JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
      assertEquals("rejected", error.get("code").asText(), r.body());
      assertEquals("document " + nul + " version 1: questions[1] holds a control character "
          + "(such as a NUL), which the embedding does not see: the document would also answer "
          + "the text without it. Remove it where the export came from; nothing was imported",
          error.get("message").asText());
      assertEquals(0, ok(admin(h, "GET", "/admin/documents", null, ADMIN)).get("documents")
          .size());
      // Revoked there, it is never served, and the import takes all three.
      String revoked;
      try (DocumentStore there = DocumentStore.open(dir.resolve("there"),
          DocumentSigner.open(dir.resolve("there-keys")))) {
        revoked = there.exportAll();
      }
      JsonNode imported = ok(admin(h, "POST", "/admin/import", "{\"documents\": " + revoked
          + ", \"keys\": " + keys + "}", ADMIN));
      assertEquals(3, imported.get("imported").asInt(), imported.toString());
    }
  }

  @Test
  void document_answersOnlyWhatPlainTextCanAnswer(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      String q = "What are the opening hours of the help desk?";
      ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"" + q + "\"],\"answer\":"
          + "\"Nine to five on weekdays.\",\"author\":\"ada\"}", ADMIN));
      String user = "\"messages\":[{\"role\":\"user\",\"content\":\"" + q + "\"}]";
      assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions",
          "{\"model\":\"sim\",\"temperature\":0," + user + "}")));
      assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions",
          "{\"model\":\"sim\",\"temperature\":0,\"seed\":7,\"response_format\":{\"type\":"
          + "\"text\"}," + user + "}")));
      String[] refused = {
          "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup_hours\","
              + "\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"required\",",
          "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"h\","
              + "\"schema\":{\"type\":\"object\"}}},",
          "\"stop\":[\"five\"],",
          "\"logprobs\":true,"};
      for (String extra : refused) {
        HttpResponse<String> r = h.post("/chat/completions", "{\"model\":\"sim\","
            + "\"temperature\":0," + extra + user + "}");
        assertEquals(200, r.statusCode(), r.body());
        assertNotEquals("HIT-BOUND", Harness.tier(r), extra);
      }
      HttpResponse<String> completion = h.post("/completions", "{\"model\":\"sim\","
          + "\"temperature\":0,\"prompt\":\"" + q + "\"}");
      assertNotEquals("HIT-BOUND", Harness.tier(completion), completion.body());
      HttpResponse<String> forced = h.post("/messages", "{\"model\":\"sim\",\"temperature\":0,"
          + "\"max_tokens\":300,\"tools\":[{\"name\":\"lookup_hours\",\"input_schema\":"
          + "{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"tool\",\"name\":"
          + "\"lookup_hours\"}," + user + "}");
      assertNotEquals("HIT-BOUND", Harness.tier(forced), forced.body());
      assertEquals("HIT-BOUND", Harness.tier(h.post("/messages", "{\"model\":\"sim\","
          + "\"temperature\":0,\"max_tokens\":300," + user + "}")));
      // With a NUL it is another question, which the embedding alone cannot tell apart.
      HttpResponse<String> nul = h.post("/chat/completions", "{\"model\":\"sim\","
          + "\"temperature\":0," + user.replace("?\"}", "?\\u0000\"}") + "}");
      assertEquals("MISS", Harness.tier(nul), nul.headers().map().toString());
      // Nor may a document's own question hold one: it would answer the text without it.
      HttpResponse<String> made = admin(h, "POST", "/admin/documents", "{\"questions\":[\"Where "
          + "is the help desk?\\u0000\"],\"answer\":\"Room 4.\",\"author\":\"ada\"}", ADMIN);
      assertEquals(400, made.statusCode(), made.body());
      assertTrue(made.body().contains("questions[0] holds a control character"), made.body());
      // and the entry stored for the question with the NUL is not promoted under it
      h.gateway.awaitIndexed();
      String entry = null;
      for (var e : Json.MAPPER.readTree(admin(h, "GET", "/admin/entries?limit=50", null, ADMIN)
          .body()).path("entries")) {
        if (e.path("prompt").asText().contains("\u0000")) {
          entry = e.path("id").asText();
        }
      }
      assertNotNull(entry, "the entry stored for the question with the NUL");
      HttpResponse<String> promoted = admin(h, "POST", "/admin/entries/" + entry + "/promote",
          "{\"author\":\"ada\"}", ADMIN);
      assertEquals(400, promoted.statusCode(), promoted.body());
      assertTrue(promoted.body().contains("give the questions yourself"), promoted.body());
    }
  }

  @Test
  void promote_fromBrowsedEntry_survivesRestart(@TempDir Path dir) throws Exception {
    String q = "What is the default port of Bound?";
    String id;
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      h.post("/chat/completions", ask(q, false));
      h.gateway.awaitIndexed();
      JsonNode entries = ok(admin(h, "GET", "/admin/entries?q=default%20port", null, ADMIN));
      assertEquals(1, entries.get("entries").size());
      String entry = entries.at("/entries/0/id").asText();
      assertEquals("anonymous", entries.at("/entries/0/namespace").asText());
      JsonNode doc = ok(admin(h, "POST", "/admin/entries/" + entry + "/promote",
          "{\"author\":\"ada\",\"scope\":{\"model\":\"*\"}}", ADMIN));
      id = doc.get("id").asText();
      assertEquals(entry, doc.at("/provenance/sourceEntryId").asText());
    }
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      HttpResponse<String> r = h.post("/chat/completions", ask(q, false));
      assertEquals("HIT-BOUND", Harness.tier(r));
      assertEquals(id + "@1", r.headers().firstValue("X-Bound-Document").orElseThrow());
      assertTrue(Double.parseDouble(r.headers().firstValue("X-Bound-Energy-Saved")
          .orElseThrow()) > 0);
    }
  }

  @Test
  void candidates_groupParaphrases_keepUnrelatedApart(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      String[] pair = SharedData.positives().get(0);
      h.post("/chat/completions", ask(pair[0], false));
      // A strict threshold for this one request stores the paraphrase as an entry of its own.
      h.post("/chat/completions", ask(pair[1], false), "X-Bound-Threshold", "0.999");
      h.post("/chat/completions", ask("Which river flows through Vienna?", false));
      h.gateway.awaitIndexed();
      h.post("/chat/completions", ask(pair[0], false));
      h.post("/chat/completions", ask(pair[0], false));
      h.gateway.awaitIdle(); // a hit is counted after its body has gone out
      JsonNode c = ok(admin(h, "GET", "/admin/candidates?min_count=1", null, ADMIN))
          .get("candidates");
      assertEquals(2, c.size(), c.toString());
      JsonNode top = c.get(0);
      assertEquals(4, top.get("count").asLong());
      assertEquals(2, top.get("examples").size());
      assertTrue(top.get("wh_per_month").asDouble() > 0);
      assertEquals(1, c.get(1).get("count").asLong());
      assertTrue(c.get(1).get("examples").get(0).asText().contains("Vienna"));

      // What a document answers is no longer a candidate: the group promoted from one of its
      // entries, then the question a document was written for by hand.
      ok(admin(h, "POST", "/admin/entries/" + top.get("entry").asText() + "/promote",
          "{\"author\":\"ada\"}", ADMIN));
      c = ok(admin(h, "GET", "/admin/candidates?min_count=1", null, ADMIN)).get("candidates");
      assertEquals(1, c.size(), c.toString());
      assertTrue(c.get(0).get("examples").get(0).asText().contains("Vienna"), c.toString());
      ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"which river flows  through "
          + "vienna?\"],\"answer\":\"The Danube.\",\"author\":\"ada\"}", ADMIN));
      c = ok(admin(h, "GET", "/admin/candidates?min_count=1", null, ADMIN)).get("candidates");
      assertEquals(0, c.size(), c.toString());
    }
  }

  /** Issue 11: the registry groups with the cache's own matcher, not a looser cosine. */
  @Test
  void candidates_neverJoinPromptsThatAskForOppositeThings(@TempDir Path dir) throws Exception {
    String[] prompts = {
      "What are the pros of remote work?", "What are the cons of remote work?",
      "What is the best time to visit Japan?", "What is the worst time to visit Japan?",
      "Convert 30 degrees Celsius to Fahrenheit.", "Convert 30 degrees Fahrenheit to Celsius.",
    };
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      for (String p : prompts) {
        // Each stored as an entry of its own, whatever the matcher would serve.
        h.post("/chat/completions", ask(p, false), "X-Bound-Threshold", "1");
      }
      h.gateway.awaitIndexed();
      JsonNode c = ok(admin(h, "GET", "/admin/candidates?min_count=1", null, ADMIN))
          .get("candidates");
      assertEquals(prompts.length, c.size(), c.toString());
      for (JsonNode group : c) {
        assertEquals(1, group.get("examples").size(), group.toString());
      }
    }
  }

  @Test
  void newUpstreamModelVersion_retiresOldEntries_flagsDocuments(@TempDir Path dir)
      throws Exception {
    AtomicReference<String> version = new AtomicReference<>("fake-v1");
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json").result(
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + version.get()
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
            + "\"answer from " + version.get() + "\"},\"finish_reason\":\"stop\"}],\"usage\":"
            + "{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}"));
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", ADMIN))) {
      String q = "Which version answers?";
      h.post("/chat/completions", ask(q, false));
      h.gateway.awaitIndexed();
      JsonNode doc = ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"Is this bound?"
          + "\"],\"answer\":\"Yes.\",\"author\":\"ada\",\"scope\":{\"model\":\"sim\"}}", ADMIN));
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", ask(q, false))));

      version.set("fake-v2");
      h.post("/chat/completions", ask("Something else entirely", false));
      HttpResponse<String> r = h.post("/chat/completions", ask(q, false));
      assertEquals("MISS", Harness.tier(r), "an answer of fake-v1 is not served once fake-v2 answers");
      assertTrue(r.body().contains("answer from fake-v2"));
      // The document keeps serving, flagged for review.
      assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions", ask("Is this bound?", false))));
      JsonNode flags = ok(admin(h, "GET", "/admin/documents/" + doc.get("id").asText(), null,
          ADMIN)).get("review");
      assertEquals(1, flags.size());
      assertTrue(flags.get(0).get("reason").asText().contains("fake-v1 to fake-v2"));
    }
  }

  private static String chat(String... messages) {
    StringBuilder b = new StringBuilder("{\"model\":\"sim\",\"temperature\":0,\"messages\":[");
    for (int i = 0; i < messages.length; i++) {
      b.append(i == 0 ? "" : ",").append(messages[i]);
    }
    return b.append("]}").toString();
  }

  private static String msg(String role, String text) {
    return "{\"role\":\"" + role + "\",\"content\":\"" + text + "\"}";
  }

  @Test
  void followUps_matchTheLastUserMessage_unlessTurnedOff_neverWithAnImage(@TempDir Path dir)
      throws Exception {
    String q = "How do I reset my password?";
    String afterTurns = chat(msg("user", "I use the mobile app."), msg("assistant", "Noted."),
        msg("user", q));
    try (SimulatedUpstream up = Harness.fastUpstream()) {
      try (Harness h = new Harness(dir.resolve("a"), up.url(), Map.of("admin.token", ADMIN))) {
        ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"" + q + "\"],"
            + "\"answer\":\"Use the reset link on the sign-in page.\",\"author\":\"ada\"}",
            ADMIN));
        assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions", afterTurns)));
        // A follow-up that leans on the earlier turns is far from the canonical question.
        assertNotEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions", chat(msg("user", q),
            msg("assistant", "Use the reset link on the sign-in page."),
            msg("user", "And on the mobile app?")))));
        String withImage = chat("{\"role\":\"user\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"" + q + "\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
            + "\"data:image/png;base64,iVBORw0KGgo=\"}}]}");
        HttpResponse<String> image = h.post("/chat/completions", withImage);
        assertEquals(200, image.statusCode(), image.body());
        assertNotEquals("HIT-BOUND", Harness.tier(image));
      }
      try (Harness h = new Harness(dir.resolve("b"), up.url(), Map.of("admin.token", ADMIN,
          "documents.follow-ups", "false"))) {
        ok(admin(h, "POST", "/admin/documents", "{\"questions\":[\"" + q + "\"],"
            + "\"answer\":\"Use the reset link on the sign-in page.\",\"author\":\"ada\"}",
            ADMIN));
        assertNotEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions", afterTurns)));
        assertEquals("HIT-BOUND", Harness.tier(h.post("/chat/completions", chat(
            msg("system", "Be brief."), msg("user", q)))));
      }
    }
  }
}
