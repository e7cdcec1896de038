package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * With the data directory's disk full, creating or importing a bound document answered a 500
 * "the details are in its log". A disk cannot be filled in a test without root, so a route
 * throws what the document store threw then, over the error pages Bound registers.
 */
class DiskFullErrorTest {
  @Test
  void aWriteThatFoundTheDiskFull_isA507ThatSaysSo() throws Exception {
    Javalin app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.routes.post("/admin/documents", ctx -> {
        throw new UncheckedIOException("Could not write document doc_x in the document store at "
            + "/data/documents", new IOException("No space left on device"));
      });
      c.routes.post("/admin/other", ctx -> {
        throw new UncheckedIOException("Could not write", new IOException("Input/output error"));
      });
      ErrorPages.register(c.routes);
    }).start("127.0.0.1", 0);
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + app.port() + "/admin/documents")).POST(HttpRequest.BodyPublishers.ofString("{}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(507, r.statusCode(), r.body());
      assertEquals(new String(Json.error("The disk of Bound's data directory is full, so this change could "
          + "not be written; free some space and try again.", "server_error", null,
          "insufficient_storage"), java.nio.charset.StandardCharsets.UTF_8), r.body());

      HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + app.port() + "/admin/other")).POST(HttpRequest.BodyPublishers.ofString("{}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(500, other.statusCode(), "any other failure stays an internal error");
    } finally {
      app.stop();
    }
  }
}
