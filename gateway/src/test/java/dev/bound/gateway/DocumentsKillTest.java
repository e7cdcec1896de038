package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creating, editing and revoking a bound document through the admin API, each followed at once
 * by a {@code kill -9} of the Bound process that answered 2xx; a fresh Bound on the same data
 * directory has every change.
 */
class DocumentsKillTest {
  private static final String ADMIN = DocumentsTest.ADMIN;
  private final HttpClient http = HttpClient.newHttpClient();

  /** {@code bound serve} in its own JVM, killed with SIGKILL by {@link #kill}. */
  private JsonNode call(URI base, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(2, r.statusCode() / 100, method + " " + path + ": " + r.statusCode() + " "
        + r.body());
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void everyChange_survivesKill9RightAfterTheAnswer(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    String q = "Where do I find the signing key?";
    try (SimulatedUpstream up = Harness.fastUpstream()) {
      ServeProcess first = new ServeProcess(data, up.url(), "--admin-token", ADMIN);
      String id = call(first.root("/"), "POST", "/admin/documents", "{\"questions\":[\"" + q
          + "\"],\"answer\":\"Under doc-keys in the data directory.\",\"author\":\"ada\"}")
          .get("id").asText();
      first.kill();

      ServeProcess second = new ServeProcess(data, up.url(), "--admin-token", ADMIN);
      assertEquals("Under doc-keys in the data directory.",
          call(second.root("/"), "GET", "/admin/documents/" + id, null).get("answer").asText());
      assertEquals(2, call(second.root("/"), "PUT", "/admin/documents/" + id,
          "{\"answer\":\"See GET /.well-known/bound-keys.\",\"author\":\"grace\"}")
          .get("version").asInt());
      second.kill();

      ServeProcess third = new ServeProcess(data, up.url(), "--admin-token", ADMIN);
      assertEquals(2, call(third.root("/"), "GET", "/admin/documents/" + id, null)
          .get("version").asInt());
      call(third.root("/"), "POST", "/admin/documents/" + id + "/revoke", "{\"author\":\"ada\"}");
      third.kill();

      try (Harness h = new Harness(data, up.url(), Map.of("admin.token", ADMIN))) {
        URI base = URI.create("http://127.0.0.1:" + h.gateway.port());
        JsonNode latest = call(base, "GET", "/admin/documents/" + id, null);
        assertEquals("REVOKED", latest.get("status").asText());
        JsonNode versions = call(base, "GET", "/admin/documents/" + id + "/versions", null)
            .get("versions");
        assertEquals(3, versions.size(), versions.toString());
        assertEquals("Under doc-keys in the data directory.", versions.get(0).get("answer")
            .asText());
        assertEquals("See GET /.well-known/bound-keys.", versions.get(1).get("answer").asText());
        HttpResponse<String> asked = h.post("/chat/completions", "{\"model\":\"sim\","
            + "\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + q + "\"}]}");
        assertEquals(200, asked.statusCode(), asked.body());
        assertNotEquals("HIT-BOUND", asked.headers().firstValue("X-Bound-Cache").orElseThrow());
      }
    }
  }
}
