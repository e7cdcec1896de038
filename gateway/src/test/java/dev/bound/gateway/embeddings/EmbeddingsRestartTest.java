package dev.bound.gateway.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embeddings store lives in the data directory: a restarted Bound still has it. */
class EmbeddingsRestartTest {
  @TempDir Path data;

  @Test
  void restart_onTheSameDataDir_stillHits() throws Exception {
    String request = EmbeddingsEndpointTest.body("text-embedding-3-small",
        List.of("kept across", "a restart", "of Bound"), Map.of("encoding_format", "base64"));
    try (FakeEmbeddings upstream = new FakeEmbeddings()) {
      String first;
      try (Harness bound = new Harness(data, upstream.url(), Map.of())) {
        HttpResponse<String> r = bound.post("/embeddings", request);
        assertEquals("MISS", r.headers().firstValue("X-Bound-Cache").orElseThrow());
        first = r.body();
      }
      int calls = upstream.calls.get();
      // No hot tier: the answer must come from the index on disk.
      try (Harness bound = new Harness(data, upstream.url(),
          Map.of("cache.embeddings.hot-tier", "0"))) {
        HttpResponse<String> r = bound.post("/embeddings", request);
        assertEquals("HIT-EXACT", r.headers().firstValue("X-Bound-Cache").orElseThrow());
        assertEquals(calls, upstream.calls.get());
        assertEquals(Json.MAPPER.readTree(first).get("data"),
            Json.MAPPER.readTree(r.body()).get("data"));
      }
    }
  }

  @Test
  void disabled_passesTheEndpointThrough() throws Exception {
    String request = EmbeddingsEndpointTest.body("m", "not cached", Map.of());
    try (FakeEmbeddings upstream = new FakeEmbeddings();
        Harness bound = new Harness(data, upstream.url(),
            Map.of("cache.embeddings.enabled", "false"))) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = bound.post("/embeddings", request);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("X-Bound-Cache").isEmpty());
      }
      assertEquals(2, upstream.items.get());
    }
  }
}
