package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic tier's work runs on its own bounded pool: when that pool is busy, requests get the
 * exact tier only and go upstream at once as {@code overloaded}, and health checks and exact hits
 * are never held up behind it. The time bounds here are liveness bounds, not speed claims.
 */
class AdmissionTest {
  /**
   * Far above any healthy request here, and far below the 16–23 s that requests once stood stuck
   * behind native work. Generous because parsing a 4 MB body and the in-process upstream's work
   * on it also take CPU: on a loaded two-core machine a health check has waited up to 2.8 s.
   */
  private static final long LIVENESS_MILLIS = 5_000;

  /** A value of {@code /metrics}, by its exact name. */
  static double metric(Harness h, String name) throws Exception {
    for (String line : h.getOutsideApi("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).strip());
      }
    }
    throw new AssertionError(name + " not in /metrics");
  }

  @Test
  void theShareOfLookupsThatFoundSomething_fallsWithMissesAndRisesWithHits(@TempDir Path dir)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of("admin.token", DocumentsTest.ADMIN))) {
      assertEquals(1.0, metric(h, "bound_semantic_found_share"));
      for (String q : List.of("What is a journal?", "How tall is Mount Everest?",
          "Why is the sky blue?")) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(q))));
      }
      h.gateway.awaitIdle();
      double afterMisses = metric(h, "bound_semantic_found_share");
      assertEquals(Math.pow(31.0 / 32, 3), afterMisses, 1e-9, "three lookups found nothing");
      assertEquals(1.0, metric(h, "bound_semantic_admitted_share"), "still far above a fifth");

      h.gateway.awaitIndexed();
      assertEquals("HIT-SEMANTIC", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal, please?"))));
      h.gateway.awaitIdle();
      assertEquals(afterMisses + (1 - afterMisses) / 32,
          metric(h, "bound_semantic_found_share"), 1e-9);
      // With a document bound, an exact hit runs on the pool too (the documents are searched
      // first), but it says nothing of what the semantic tier finds.
      HttpResponse<String> doc = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + h.gateway.port() + "/admin/documents"))
          .header("Authorization", "Bearer " + DocumentsTest.ADMIN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"questions\":[\"How do I rotate the "
              + "signing key?\"],\"answer\":\"Run bound keys rotate.\",\"author\":\"ada\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, doc.statusCode(), doc.body());
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
          Harness.ask("Why is the sky blue?"))));
      h.gateway.awaitIdle();
      assertEquals(afterMisses + (1 - afterMisses) / 32,
          metric(h, "bound_semantic_found_share"), 1e-9, "an exact hit is no semantic lookup");
    }
  }

  /** Makes {@code tenant}'s recent lookups, as the pool counts them, all find nothing. */
  private static void toTheFloor(Harness h, String tenant) {
    for (int i = 0; i < 300; i++) {
      h.gateway.semantic().found(tenant, false);
    }
    assertEquals(SemanticPool.MIN_SHARE, h.gateway.semantic().admittedShare(tenant));
  }

  private static String askStreamed(String question) {
    return "{\"model\":\"sim\",\"temperature\":0,\"stream\":true,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"" + question + "\"}]}";
  }

  @Test
  void aTenantWhoseLookupsFindNothing_goesUpstreamAtOnce_andALookupBesideThatFindsAHit_cutsTheCallShort(
      @TempDir Path dir) throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    // An upstream that takes half a second, far longer than a lookup, except that questions
    // ending in "please?" take it until the test ends.
    try (SimulatedUpstream up = SimulatedUpstream.start(Duration.ofMillis(500), 0, q -> {
          if (q.endsWith("please?")) {
            try {
              hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return null;
        });
        Harness h = new Harness(dir, up.url(), Map.of())) {
      try {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions",
            Harness.ask("What is a journal?"))));
        h.gateway.awaitIndexed();
        String tenant = Scope.tenant(null, null);
        toTheFloor(h, tenant); // its lookups have found nothing lately

        HttpResponse<String> novel = h.post("/chat/completions",
            Harness.ask("How tall is Mount Everest?"));
        assertEquals("MISS", Harness.tier(novel));
        String line = h.decisionLines(2).get(1);
        assertEquals("looked_up_beside", novel.headers().firstValue("X-Bound-Reason").orElse(""),
            line);
        assertTrue(line.contains("\"reason_code\":\"looked_up_beside\""), line);
        assertFalse(line.contains("\"embed_ms\":0.0"), "the lookup beside is timed: " + line);
        assertTrue(line.contains("; the lookup: no_candidate")
            || line.contains("; the lookup: verifier_refused"), "and its judgement given: " + line);

        toTheFloor(h, tenant);
        long t0 = System.nanoTime();
        HttpResponse<String> plain = h.post("/chat/completions",
            Harness.ask("What is a journal, please?"));
        assertEquals("HIT-SEMANTIC", Harness.tier(plain), plain.body());
        assertTrue(plain.headers().firstValue("X-Bound-Reason").isEmpty(),
            "a hit carries no miss reason");
        assertTrue(plain.body().contains("chat.completion"), plain.body());

        toTheFloor(h, tenant);
        HttpResponse<String> streamed = h.post("/chat/completions",
            askStreamed("What is a journal, please?"));
        assertEquals("HIT-SEMANTIC", Harness.tier(streamed), streamed.body());
        assertTrue(streamed.body().contains("[DONE]"), streamed.body());
        // Liveness, not speed: the upstream would have held both until the test ended. (The
        // second may be cut short before it is sent: its prompt's vector is kept from the first.)
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30),
            "served while the upstream still worked on it");

        // This upstream sends a stream's headers at once and its first event half a second
        // later: until that event nothing has gone to the client, and the call may be cut.
        toTheFloor(h, tenant);
        HttpResponse<String> early = h.post("/chat/completions",
            askStreamed("What is a journal, please"));
        assertEquals("HIT-SEMANTIC", Harness.tier(early), early.body());
        assertTrue(early.body().contains("[DONE]"), early.body());
        assertEquals("text/event-stream", early.headers().firstValue("Content-Type").orElse(""));
        List<String> lines = h.decisionLines(5);
        for (String hit : lines.subList(2, 5)) {
          assertTrue(hit.contains("\"tier\":\"HIT-SEMANTIC\""), hit);
          assertTrue(hit.contains("\"upstream_cancelled\":true"), hit);
        }
      } finally {
        hold.countDown();
      }
    }
  }

  @Test
  void aMissDoesNotWaitForTheLookupBesideIt_whoseVectorIsStoredWithTheAnswerOnceItComes(
      @TempDir Path dir) throws Exception {
    // Coins that always come up "taken", so that a lookup that must queue is not refused.
    java.util.random.RandomGenerator taken = () -> 0L;
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of(), taken)) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal?"))));
      h.gateway.awaitIndexed();
      toTheFloor(h, Scope.tenant(null, null));
      // Every thread of the semantic pool held, so that the lookup beside the next miss cannot
      // run until the test lets it.
      SemanticPool pool = h.gateway.semantic();
      CountDownLatch release = new CountDownLatch(1);
      int threads = pool.threads();
      CountDownLatch held = new CountDownLatch(threads);
      ExecutorService holders = Executors.newFixedThreadPool(threads);
      try {
        for (int i = 0; i < threads; i++) {
          holders.submit(() -> pool.call(() -> {
            held.countDown();
            return release.await(60, TimeUnit.SECONDS);
          }));
        }
        assertTrue(held.await(30, TimeUnit.SECONDS));
        // The harness's semantic budget is 30 s: a request that waited for its lookup within
        // it would not be answered within this client's 10 s.
        HttpResponse<String> novel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(h.base() + "/chat/completions")).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Harness.ask("How tall is Mount Everest?")))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("MISS", Harness.tier(novel));
        String line = h.decisionLines(2).get(1);
        assertEquals("looked_up_beside", novel.headers().firstValue("X-Bound-Reason").orElse(""),
            line);
        assertFalse(line.contains("; the lookup:"), "answered before its lookup ran: " + line);
      } finally {
        release.countDown();
        holders.shutdown();
      }
      h.gateway.awaitIndexed();
      String line = h.decisionLines(2).get(1);
      String id = line.replaceAll(".*\"stored\":\"(ent_[0-9a-f]+)\".*", "$1");
      assertTrue(id.startsWith("ent_"), line);
      float[] stored = h.gateway.cache().store().get(id).orElseThrow().vector();
      assertTrue(stored != null && stored.length > 0, "stored with the lookup's vector");
      assertEquals(1.0, AnswerCache.dot(stored,
          h.gateway.cache().embedder().embed("How tall is Mount Everest?")), 1e-4);
    }
  }

  @Test
  void aLookupIsNotRunBesideAnUpstreamThatAnswersBeforeItCouldFinish(@TempDir Path dir)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of())) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal?"))));
      // Long prompts, each embedded for longer than this upstream takes to answer it.
      String words = String.join(" ", java.util.Collections.nCopies(50,
          "the quick brown fox jumps over"));
      // Six in a row whose lookup comes second take the share below half.
      for (int i = 0; i < 6; i++) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions",
            Harness.ask(words + " " + i), "X-Bound-Threshold", "1")));
      }
      h.gateway.awaitIndexed();
      String tenant = Scope.tenant(null, null);
      toTheFloor(h, tenant);
      HttpResponse<String> novel = h.post("/chat/completions", Harness.ask(words + " 6"),
          "X-Bound-Threshold", "1");
      assertEquals("MISS", Harness.tier(novel));
      String reason = novel.headers().firstValue("X-Bound-Reason").orElse("");
      assertTrue(Set.of("no_candidate", "verifier_refused", "language_guard").contains(reason),
          "looked up before the request, as a lookup beside could find nothing in time: "
              + reason);
      // Such a lookup still serves what it finds.
      assertEquals("HIT-SEMANTIC", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal, please?"))));
    }
  }

  @Nested
  class WhenThePoolIsFull {
    @Test
    void distinctPrompts_areForwardedAsOverloaded_countedAndLogged(@TempDir Path dir)
        throws Exception {
      ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      try (SimulatedUpstream up = Harness.fastUpstream();
          Harness h = new Harness(dir, up.url(), Map.of("cache.semantic-threads", "1",
              "cache.semantic-queue", "1", "cache.semantic-budget", "50ms"))) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions",
            Harness.ask("What is a journal?"))));
        h.gateway.awaitIndexed();
        // The blocker is itself held to the 50 ms budget: on a loaded machine its start can miss
        // it and it is dropped unrun, so it is offered again until it holds the one thread.
        for (int attempt = 0; attempt < 40 && busy.getCount() > 0; attempt++) {
          side.submit(() -> h.gateway.semantic().call(() -> {
            busy.countDown();
            return release.await(60, TimeUnit.SECONDS); // holds the one semantic thread
          }));
          busy.await(250, TimeUnit.MILLISECONDS);
        }
        assertEquals(0, busy.getCount(), "the blocker never got the semantic thread");

        List<Future<HttpResponse<String>>> asked = new ArrayList<>();
        List<Long> took = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String q = "Distinct question number " + i + " about admission?";
          asked.add(side.submit(() -> h.post("/chat/completions", Harness.ask(q))));
        }
        for (Future<HttpResponse<String>> f : asked) {
          HttpResponse<String> r = f.get(LIVENESS_MILLIS, TimeUnit.MILLISECONDS);
          assertEquals(200, r.statusCode(), r.body());
          assertEquals("MISS", Harness.tier(r));
          assertEquals("overloaded", r.headers().firstValue("X-Bound-Reason").orElse(""));
          assertTrue(r.body().contains("\"choices\""), r.body());
        }
        long t0 = System.nanoTime();
        HttpResponse<String> exact = h.post("/chat/completions",
            Harness.ask("What is a journal?"));
        took.add((System.nanoTime() - t0) / 1_000_000);
        assertEquals("HIT-EXACT", Harness.tier(exact), "exact hits need no semantic thread");
        assertTrue(took.get(0) < LIVENESS_MILLIS, "exact hit took " + took + " ms");

        h.gateway.awaitIdle(); // a miss's answer goes out before its bookkeeping counts it
        assertTrue(h.getOutsideApi("/metrics").body().contains("bound_overloaded_total 8.0"),
            "eight overloaded requests counted");
        assertTrue(h.decisionLog().contains("\"reason_code\":\"overloaded\""),
            h.decisionLog());

        release.countDown();
        h.gateway.awaitIndexed();
        HttpResponse<String> again = h.post("/chat/completions",
            Harness.ask("Distinct question number 3 about admission?"));
        assertEquals("HIT-EXACT", Harness.tier(again), "an overloaded miss is still stored");

        // Their answers were stored without embedding while the tier shed (all eight unless
        // the indexer reached one only after a second of calm), and get their vector after it.
        double deferred = metric(h, "bound_index_deferred_total");
        assertTrue(deferred >= 1 && deferred <= 8, "deferred " + deferred);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (metric(h, "bound_index_deferred_waiting") > 0 && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertEquals(0.0, metric(h, "bound_index_deferred_waiting"));
        HttpResponse<String> near = h.post("/chat/completions",
            Harness.ask("Distinct question number 5 about admission, please?"));
        assertEquals("HIT-SEMANTIC", Harness.tier(near),
            "a deferred answer is a semantic hit once it has its vector; reason "
                + near.headers().firstValue("X-Bound-Reason").orElse("none"));
      } finally {
        release.countDown();
        side.shutdown();
      }
    }
  }

  @Nested
  class WithHugePrompts {
    @Test
    void healthzAndExactHits_stayServedWhileTwoHugePromptsAreJudged(@TempDir Path dir)
        throws Exception {
      ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
      try (SimulatedUpstream up = Harness.fastUpstream();
          Harness h = new Harness(dir, up.url(), Map.of())) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions",
            Harness.ask("What is a journal?"))));
        h.gateway.awaitIndexed();

        List<Future<HttpResponse<String>>> huge = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          String prompt = hugePrompt(i, 3_900_000);
          huge.add(side.submit(() -> h.post("/chat/completions", Harness.ask(prompt))));
        }
        AtomicBoolean done = new AtomicBoolean();
        long worst = 0;
        int rounds = 0;
        while (!done.get() || rounds < 20) {
          long t0 = System.nanoTime();
          HttpResponse<String> health = h.getOutsideApi("/healthz");
          long t1 = System.nanoTime();
          HttpResponse<String> exact = h.post("/chat/completions",
              Harness.ask("What is a journal?"));
          long t2 = System.nanoTime();
          assertEquals(200, health.statusCode(), health.body());
          assertEquals("HIT-EXACT", Harness.tier(exact));
          worst = Math.max(worst, Math.max(t1 - t0, t2 - t1) / 1_000_000);
          rounds++;
          done.set(huge.stream().allMatch(Future::isDone));
        }
        System.out.printf("two huge prompts: slowest health check or exact hit %d ms over %d "
            + "rounds%n", worst, rounds);
        assertTrue(worst < LIVENESS_MILLIS, "slowest health check or exact hit: " + worst
            + " ms over " + rounds + " rounds");
        for (Future<HttpResponse<String>> f : huge) {
          HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
          assertEquals(200, r.statusCode(), r.body());
        }
      } finally {
        side.shutdown();
      }
    }
  }

  /** About {@code bytes} of plain words, different for each {@code seed}. */
  private static String hugePrompt(int seed, int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 32);
    sb.append("Prompt ").append(seed).append(':');
    for (int i = 0; sb.length() < bytes; i++) {
      sb.append(" word").append((i * 31 + seed) % 997);
    }
    return sb.toString();
  }
}
