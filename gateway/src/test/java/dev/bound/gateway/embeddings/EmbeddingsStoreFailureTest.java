package dev.bound.gateway.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.gateway.FullDisk;
import dev.bound.gateway.Harness;
import dev.bound.gateway.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * A full disk closed the store's writer until a restart, though space was freed: every item was
   * asked of the upstream again. Its files are written through a directory that fails as a full
   * disk does while {@code full} is set.
   */
  @Test
  void aFullDisk_thenSpaceFreed_storesAgainWithoutARestart(@TempDir Path data) throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    try (FakeEmbeddings upstream = new FakeEmbeddings()) {
      try (Harness bound = new Harness(data, upstream.url(), Map.of(),
          d -> new FullDisk(d, full))) {
        assertEquals("MISS", Harness.tier(embed(bound, "stored before")));
        Thread.sleep(2_500); // committed: what was not is lost with the writer the disk closes
        full.set(true);
        embed(bound, "while the disk is full");
        Thread.sleep(2_500); // a two-second commit meets the full disk and closes the writer
        assertEquals("MISS", Harness.tier(embed(bound, "not kept")));
        assertEquals("MISS", Harness.tier(embed(bound, "not kept")), "the store took nothing");
        assertEquals("HIT-EXACT", Harness.tier(embed(bound, "stored before")),
            "what it holds is still read");

        full.set(false);
        long deadline = System.nanoTime() + 20_000_000_000L;
        String tier = "MISS";
        while (!tier.equals("HIT-EXACT") && System.nanoTime() < deadline) {
          Thread.sleep(200);
          tier = Harness.tier(embed(bound, "after the disk was freed"));
        }
        assertEquals("HIT-EXACT", tier, "stored again without a restart");
        Thread.sleep(2_500); // committed
      }
      try (Harness again = new Harness(data, upstream.url(), Map.of())) {
        assertEquals("HIT-EXACT", Harness.tier(embed(again, "after the disk was freed")),
            "kept across a restart");
        assertEquals("HIT-EXACT", Harness.tier(embed(again, "stored before")));
      }
    }
  }

  private static HttpResponse<String> embed(Harness bound, String text) throws Exception {
    HttpResponse<String> r = bound.post("/embeddings",
        EmbeddingsEndpointTest.body("m", List.of(text), Map.of()));
    assertEquals(200, r.statusCode(), r.body());
    return r;
  }
}
