package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.cli.Main;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creating, editing and revoking a bound document through the admin API, each followed at once
 * by a {@code kill -9} of the Bound process that answered 2xx; a fresh Bound on the same data
 * directory has every change.
 */
class DocumentsKillTest {
  private static final String ADMIN = DocumentsTest.ADMIN;
  private static final String LISTENING = " is listening on ";
  private final HttpClient http = HttpClient.newHttpClient();

  /** {@code bound serve} in its own JVM, killed with SIGKILL by {@link #kill}. */
  private static final class Child {
    final Process process;
    final URI admin;
    final StringBuffer output = new StringBuffer();

    Child(Path data, URI upstream) throws Exception {
      String java = ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Dai.djl.offline=true", Main.class.getName(), "serve", "--port", "0",
          "--host", "127.0.0.1", "--data", data.toString(), "--upstream", upstream.toString(),
          "--admin-token", ADMIN)
          .redirectErrorStream(true).start();
      CompletableFuture<String> url = new CompletableFuture<>();
      Thread drain = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            output.append(line).append('\n');
            int at = line.indexOf(LISTENING);
            if (at >= 0) {
              url.complete(line.substring(at + LISTENING.length()).strip());
            }
          }
        } catch (Exception e) {
          // the process was killed; what it printed so far is in output
        }
        url.complete(null);
      });
      drain.setDaemon(true);
      drain.start();
      String v1 = url.get(90, TimeUnit.SECONDS);
      assertTrue(v1 != null, "bound serve did not start:\n" + output);
      URI base = URI.create(v1);
      admin = URI.create("http://" + base.getHost() + ":" + base.getPort());
    }

    /** SIGKILL on Linux: no shutdown hook, no close, no flush. */
    void kill() throws Exception {
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not die");
      assertNotEquals(0, process.exitValue());
    }
  }

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
      Child first = new Child(data, up.url());
      String id = call(first.admin, "POST", "/admin/documents", "{\"questions\":[\"" + q
          + "\"],\"answer\":\"Under doc-keys in the data directory.\",\"author\":\"ada\"}")
          .get("id").asText();
      first.kill();

      Child second = new Child(data, up.url());
      assertEquals("Under doc-keys in the data directory.",
          call(second.admin, "GET", "/admin/documents/" + id, null).get("answer").asText());
      assertEquals(2, call(second.admin, "PUT", "/admin/documents/" + id,
          "{\"answer\":\"See GET /.well-known/bound-keys.\",\"author\":\"grace\"}")
          .get("version").asInt());
      second.kill();

      Child third = new Child(data, up.url());
      assertEquals(2, call(third.admin, "GET", "/admin/documents/" + id, null)
          .get("version").asInt());
      call(third.admin, "POST", "/admin/documents/" + id + "/revoke", "{\"author\":\"ada\"}");
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
