package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identical misses that arrive together cost one upstream call: the first asks, the others wait
 * for its answer and get it as an exact hit. The upstream here holds its first answer until every
 * client's request has reached Bound, so the test does not depend on timing.
 */
class CoalescingTest {
  private static final int CLIENTS = 6;

  @Test
  void identicalMisses_together_oneUpstreamCall(@TempDir Path dir) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (FakeUpstream up = FakeUpstream.versioned(() -> "fake-v1", ctx ->
            assertTrue(release.await(30, TimeUnit.SECONDS)));
        Harness h = new Harness(dir, up.url(), Map.of())) {
      String body = Harness.ask("How many moons does Mars have?");
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          sent.add(pool.submit(() -> h.post("/chat/completions", body)));
        }
        // Every request is in: the leader waits on the upstream, the others on the leader (not
        // merely in flight: one still looking itself up when the answer is stored would find it
        // in the semantic tier).
        waitFor(() -> h.gateway.inFlightForTests() == CLIENTS
            && h.gateway.coalescingForTests() == CLIENTS - 1);
        release.countDown();
        List<String> tiers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : sent) {
          HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
          assertEquals(200, r.statusCode(), r.body());
          assertTrue(r.body().contains("The fake-v1 answer to How many moons"), r.body());
          tiers.add(Harness.tier(r));
        }
        assertEquals(1, up.calls.get(), "one upstream call for " + CLIENTS + " clients");
        assertEquals(1, tiers.stream().filter("MISS"::equals).count(), tiers.toString());
        assertEquals(CLIENTS - 1, tiers.stream().filter("HIT-EXACT"::equals).count(),
            tiers.toString());
      } finally {
        pool.shutdownNow();
      }
      h.gateway.awaitIdle();
      assertTrue(h.decisionLog().contains("\"waited_for_identical_ms\""), h.decisionLog());
      String metrics = h.getOutsideApi("/metrics").body();
      assertTrue(metrics.contains("bound_coalesced_total " + (CLIENTS - 1) + ".0"), metrics);
    }
  }

  /** A leader that fails leaves each waiting request to ask the upstream itself. */
  @Test
  void failedLeader_theOthersAskThemselves(@TempDir Path dir) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean failedOnce = new AtomicBoolean();
    try (FakeUpstream good = FakeUpstream.versioned(() -> "fake-v1", ctx -> { });
        FakeUpstream up = new FakeUpstream(ctx -> {
          if (failedOnce.compareAndSet(false, true)) {
            assertTrue(release.await(30, TimeUnit.SECONDS));
            ctx.status(500).contentType("application/json")
                .result("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
            return;
          }
          ctx.contentType("application/json").result(java.net.http.HttpClient.newHttpClient()
              .send(java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(good.url() + "/chat/completions"))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ctx.body()))
                  .build(), HttpResponse.BodyHandlers.ofString()).body());
        });
        Harness h = new Harness(dir, up.url(), Map.of())) {
      String body = Harness.ask("What is the tallest volcano in the solar system?");
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          sent.add(pool.submit(() -> h.post("/chat/completions", body)));
        }
        waitFor(() -> h.gateway.inFlightForTests() == 3 && h.gateway.coalescingForTests() == 2);
        release.countDown();
        int ok = 0;
        for (Future<HttpResponse<String>> f : sent) {
          HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
          ok += r.statusCode() == 200 ? 1 : 0;
        }
        assertEquals(2, ok, "the leader's client gets the upstream's error, the others answers");
        assertTrue(up.calls.get() >= 2, "the others asked for themselves: " + up.calls.get());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(5);
    }
  }
}
