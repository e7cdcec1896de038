package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index backlog is a metric and a readiness signal, and repeats are hits while it lasts. */
class BacklogReadinessTest {
  @Test
  void readyz_answers503WhileTheBacklogExceedsStorageMaxBacklog(@TempDir Path dir)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("storage.max-backlog", "1"))) {
      HttpResponse<String> ready = h.getOutsideApi("/readyz");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"backlog\":\"0 answers waiting for the index (limit 1)\""),
          ready.body());

      CountDownLatch release = new CountDownLatch(1);
      h.gateway.cache().later(() -> {
        try {
          release.await(30, TimeUnit.SECONDS); // holds the indexer thread
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        for (String q : new String[] {"What is a journal?", "Why batch the index?"}) {
          assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(q))));
        }
        assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
            Harness.ask("What is a journal?"))), "a queued answer is already an exact hit");
        ready = h.getOutsideApi("/readyz");
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"backlog\":\"2 answers waiting for the index "
            + "(limit 1)\""), ready.body());
        assertTrue(h.getOutsideApi("/metrics").body().contains("bound_index_backlog 2.0"));
      } finally {
        release.countDown();
      }
      h.gateway.awaitIndexed();
      assertEquals(200, h.getOutsideApi("/readyz").statusCode());
      assertTrue(h.getOutsideApi("/metrics").body().contains("bound_index_backlog 0.0"));
      assertEquals(2, h.gateway.entries());
    }
  }

  /**
   * A full disk, or the data directory removed under a running Bound, closes Lucene's writer
   * until it is opened again: every later answer failed to be stored while /readyz still said
   * ready. Removing the
   * index's lock file does the same, without root or a small file system.
   */
  @Test
  void readyz_answers503OnceTheIndexCanNoLongerBeWritten(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of())) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal?"))));
      h.gateway.awaitIndexed();
      assertEquals(200, h.getOutsideApi("/readyz").statusCode());

      Files.delete(dir.resolve("index").resolve("write.lock"));
      assertEquals("MISS", Harness.tier(h.post("/chat/completions",
          Harness.ask("Why batch the index?"))));
      h.gateway.awaitIndexed();

      HttpResponse<String> ready = h.getOutsideApi("/readyz");
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"status\":\"not ready\""), ready.body());
      assertTrue(ready.body().contains("\"index\":\"failed: the answer index at "), ready.body());
      assertTrue(ready.body().contains(" cannot be written (NoSuchFileException: "
          + dir.resolve("index").resolve("write.lock")), ready.body());
      assertTrue(ready.body().contains("new answers wait in the journal and are stored once it "
          + "can be opened again"), ready.body());
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal?"))), "what was stored before is still served");
    }
  }
}
