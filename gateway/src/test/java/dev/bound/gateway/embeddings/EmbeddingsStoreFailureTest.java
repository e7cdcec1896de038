package dev.bound.gateway.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the disk full, the embeddings store's index closed for good and every POST /v1/embeddings
 * was a 500 until a restart, although the upstream could answer. Removing the store's lock file
 * closes it the same way, without root or a small file system.
 */
class EmbeddingsStoreFailureTest {
  @Test
  void aStoreThatCannotBeWritten_leavesTheUpstreamToAnswer(@TempDir Path data) throws Exception {
    try (FakeEmbeddings upstream = new FakeEmbeddings();
        Harness bound = new Harness(data, upstream.url(), Map.of())) {
      HttpResponse<String> first = bound.post("/embeddings",
          EmbeddingsEndpointTest.body("m", List.of("stored before"), Map.of()));
      assertEquals(200, first.statusCode(), first.body());

      Files.delete(data.resolve("embeddings").resolve("write.lock"));
      java.io.PrintStream stderr = System.err;
      java.io.ByteArrayOutputStream caught = new java.io.ByteArrayOutputStream();
      System.setErr(
          new java.io.PrintStream(caught, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        for (String text : List.of("after the store broke", "and another",
            "after the store broke")) {
          int before = upstream.items.get();
          HttpResponse<String> r = bound.post("/embeddings",
              EmbeddingsEndpointTest.body("m", List.of(text), Map.of()));
          assertEquals(200, r.statusCode(), r.body());
          assertEquals(1, Json.MAPPER.readTree(r.body()).get("data").size(), r.body());
          assertEquals(before + 1, upstream.items.get(), "the upstream embeds it");
        }
        Thread.sleep(4_500); // two of the store's two-second commits, which fail
      } finally {
        System.setErr(stderr);
      }
      // Said once, not once a request and again at every commit.
      String log = caught.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(1, log.lines().filter(l -> l.contains("WARN")).count(), log);
    }
  }
}
