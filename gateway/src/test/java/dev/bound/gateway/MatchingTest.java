package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The semantic tier's judgement: the verifier, the language guard, feedback and exploration. */
class MatchingTest {
  static SimulatedUpstream upstream;

  @BeforeAll
  static void start() {
    upstream = Harness.fastUpstream();
  }

  @AfterAll
  static void stop() {
    upstream.close();
  }

  @Test
  void oppositeQuestion_refusedByTheVerifier_servedByPlainCosine(@TempDir Path dir)
      throws Exception {
    try (Harness verified = new Harness(dir.resolve("v"), upstream.url(), Map.of());
        Harness cosine = new Harness(dir.resolve("c"), upstream.url(),
            Map.of("cache.matcher", "cosine"))) {
      for (Harness h : new Harness[] {verified, cosine}) {
        h.post("/chat/completions", Harness.ask("How do I enable 2FA on my account?"));
        h.gateway.awaitIndexed();
      }
      HttpResponse<String> v = verified.post("/chat/completions",
          Harness.ask("How do I disable 2FA on my account?"));
      HttpResponse<String> c = cosine.post("/chat/completions",
          Harness.ask("How do I disable 2FA on my account?"));
      assertEquals("MISS", Harness.tier(v), "the verifier sees the antonym");
      assertEquals("HIT-SEMANTIC", Harness.tier(c), "plain cosine serves the wrong answer: "
          + c.headers().firstValue("X-Bound-Similarity").orElse("?"));
    }
  }

  /**
   * Two questions about software from the held-out developer batches: with the default
   * cache.software-second-model the verifier reads bge-small's vectors for them and refuses the
   * look-alike that the lexical verifier alone serves.
   */
  @Test
  void developerLookAlike_refusedWithTheSecondModel_servedWithoutIt(@TempDir Path dir)
      throws Exception {
    try (Harness both = new Harness(dir.resolve("b"), upstream.url(), Map.of());
        Harness lexical = new Harness(dir.resolve("l"), upstream.url(),
            Map.of("cache.software-second-model", "false"))) {
      for (Harness h : new Harness[] {both, lexical}) {
        h.post("/chat/completions",
            Harness.ask("JUnit 5: run setup code once before all tests in a class"));
        h.gateway.awaitIndexed();
      }
      String each = "JUnit 5: run setup code before each test in a class";
      HttpResponse<String> b = both.post("/chat/completions", Harness.ask(each));
      HttpResponse<String> l = lexical.post("/chat/completions", Harness.ask(each));
      assertEquals("MISS", Harness.tier(b), "the second model tells once from each");
      assertEquals("HIT-SEMANTIC", Harness.tier(l), "the lexical verifier alone serves it: "
          + l.headers().firstValue("X-Bound-Score").orElse("?"));
    }
  }

  /**
   * Pairs written for this test, which the lexical verifier scores in cache.second-opinion's
   * default band: judged again with bge-small's vectors, a rewording in other words is served and
   * a fridge put for a freezer refused; with the band turned off the lexical verifier decides
   * both the other way.
   */
  @Test
  void secondOpinion_servesARewordingAndRefusesALookAlike_theLexicalVerifierAloneTheOtherWay(
      @TempDir Path dir) throws Exception {
    try (Harness band = new Harness(dir.resolve("b"), upstream.url(), Map.of());
        Harness lexical = new Harness(dir.resolve("l"), upstream.url(),
            Map.of("cache.second-opinion", "none"))) {
      for (Harness h : new Harness[] {band, lexical}) {
        h.post("/chat/completions",
            Harness.ask("What is the tallest mountain in South America?"));
        h.post("/chat/completions",
            Harness.ask("How long can cooked rice stay in the fridge?"));
        h.gateway.awaitIndexed();
      }
      String reworded = "Name the highest peak on the South American continent.";
      String freezer = "How long can cooked rice stay in the freezer?";
      assertEquals("HIT-SEMANTIC", Harness.tier(band.post("/chat/completions",
          Harness.ask(reworded))));
      assertEquals("MISS", Harness.tier(lexical.post("/chat/completions",
          Harness.ask(reworded))));
      HttpResponse<String> refused = band.post("/chat/completions", Harness.ask(freezer));
      assertEquals("MISS", Harness.tier(refused));
      assertEquals("verifier_refused", refused.headers().firstValue("X-Bound-Reason").orElse("?"));
      assertEquals("HIT-SEMANTIC", Harness.tier(lexical.post("/chat/completions",
          Harness.ask(freezer))));
    }
  }

  /**
   * With the second opinion on, a stored prompt is embedded with the second model on the
   * indexer's thread, so that a lookup asking about it as a candidate finds its vector kept;
   * while the semantic tier sheds, it is not, so that the cores go to forwarding.
   */
  @Test
  void aStoredPrompt_isEmbeddedWithTheSecondModelOffTheRequestPath_unlessTheTierSheds(
      @TempDir Path dir) throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      Matching m = h.gateway.cache().matching();
      assertEquals(0, m.secondVectorsKept());
      h.post("/chat/completions", Harness.ask("What is the tallest mountain in South America?"));
      h.gateway.awaitIdle(); // the answer is handed to the indexer in the request's bookkeeping
      h.gateway.awaitIndexed(); // and the indexer's thread embeds it after indexing it
      assertEquals(1, m.secondVectorsKept());
      h.gateway.cache().shed();
      h.post("/chat/completions", Harness.ask("How long can cooked rice stay in the fridge?"));
      h.gateway.awaitIdle();
      h.gateway.awaitIndexed();
      assertEquals(1, m.secondVectorsKept(), "nothing embedded while the tier sheds");
      assertEquals(2, h.gateway.entries());
    }
  }

  @Test
  void slotsThatMeanDifferentThings_refusedOnTheServingPath_theSameSlotInOtherWordsServed(
      @TempDir Path dir) throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      h.post("/chat/completions",
          Harness.ask("Write a toast for my best friend's divorce party, bitter and snarky."));
      h.post("/chat/completions",
          Harness.ask("Explain how compound interest works in plain English."));
      h.gateway.awaitIndexed();
      // no word list names either tone: the gateway's own embedder compares the two slots
      HttpResponse<String> tone = h.post("/chat/completions",
          Harness.ask("Write a toast for my best friend's divorce party, gracious and kind."));
      assertEquals("MISS", Harness.tier(tone));
      assertEquals("verifier_refused", tone.headers().firstValue("X-Bound-Reason").orElse("?"));
      HttpResponse<String> same = h.post("/chat/completions",
          Harness.ask("Explain how compound interest works in simple terms."));
      assertEquals("HIT-SEMANTIC", Harness.tier(same));
    }
  }

  @Test
  void languageGuard_russianPromptsGetExactHitsOnly(@TempDir Path dir) throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of("cache.matcher", "cosine",
        "cache.threshold", "0.5"))) {
      String a = "Как сбросить мой пароль?";
      h.post("/chat/completions", Harness.ask(a));
      h.gateway.awaitIndexed();
      HttpResponse<String> near = h.post("/chat/completions", Harness.ask("Как мне сбросить пароль?"));
      assertEquals("MISS", Harness.tier(near));
      String line = h.decisionLines(2).get(1);
      assertTrue(Json.MAPPER.readTree(line).has("semantic_skipped"), line);
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", Harness.ask(a))));
    }
  }

  @Test
  void feedback_onASemanticHit(@TempDir Path dir) throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      String[] pair = SharedData.positives().get(0);
      h.post("/chat/completions", Harness.ask(pair[0]));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", Harness.ask(pair[1]));
      assertEquals("HIT-SEMANTIC", Harness.tier(hit));
      assertTrue(Double.parseDouble(hit.headers().firstValue("X-Bound-Score").orElseThrow())
          >= 0.718);
      String id = Json.MAPPER.readTree(hit.body()).get("id").asText();

      assertEquals(202, h.post("/feedback", "{\"id\":\"" + id + "\",\"rating\":\"bad\"}")
          .statusCode());
      assertEquals(404, h.post("/feedback", "{\"id\":\"" + id + "\",\"rating\":\"bad\"}",
          "X-Bound-Namespace", "someone-else").statusCode());
      assertEquals(404, h.post("/feedback", "{\"id\":\"chatcmpl-unknown\",\"rating\":\"good\"}")
          .statusCode());
      // One response, one observation: a client cannot tip the calibration by repeating itself.
      HttpResponse<String> again = h.post("/feedback", "{\"id\":\"" + id
          + "\",\"rating\":\"good\"}");
      assertEquals(409, again.statusCode(), again.body());
      assertEquals("already_rated", Json.MAPPER.readTree(again.body()).at("/error/code").asText());
      JsonNode err = Json.MAPPER.readTree(h.post("/feedback", "{\"id\":\"" + id
          + "\",\"rating\":\"meh\"}").body()).get("error");
      assertEquals("rating", err.get("param").asText());
    }
    String states = Files.readString(dir.resolve("entry-thresholds.json"));
    assertTrue(states.contains("ent_"), states);
  }

  @Test
  void errorRate_servesFromTheFirstRequest_andABadRatingStopsThatEntryThere(@TempDir Path dir)
      throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of("cache.matcher", "cosine",
        "cache.error-rate", "0.05"))) {
      String paraphrase = "How can I enable two-factor authentication for my account?";
      h.post("/chat/completions",
          Harness.ask("How do I enable two-factor authentication on my account?"));
      h.gateway.awaitIndexed();
      HttpResponse<String> hit = h.post("/chat/completions", Harness.ask(paraphrase));
      assertEquals("HIT-SEMANTIC", Harness.tier(hit), "served from the first request: score "
          + hit.headers().firstValue("X-Bound-Score").orElse("?"));
      String id = Json.MAPPER.readTree(hit.body()).get("id").asText();
      assertEquals(202, h.post("/feedback", "{\"id\":\"" + id + "\",\"rating\":\"bad\"}")
          .statusCode());
      long calls = upstream.calls();
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(paraphrase))),
          "the entry was wrong at this score");
      assertEquals(calls + 1, upstream.calls());
      JsonNode line = Json.MAPPER.readTree(h.decisionLines(3).get(2));
      assertEquals("error_bound", line.get("reason").asText(), line.toString());
    }
    assertTrue(Files.readString(dir.resolve("error-bound.json")).contains("\"calibration\""));
  }

  @Test
  void paraphrase_sentWhileTheFirstAnswerIsStillQueued_isSemanticHit(@TempDir Path dir)
      throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of())) {
      String[] pair = SharedData.positives().get(0);
      CountDownLatch hold = new CountDownLatch(1);
      // The indexer runs queued work in order: while this waits, the answer below stays queued.
      h.gateway.cache().later(() -> {
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(pair[0]))));
        long calls = upstream.calls();
        assertEquals(0, h.gateway.entries(), "the first answer must not be in the index yet");
        HttpResponse<String> r = h.post("/chat/completions", Harness.ask(pair[1]));
        assertEquals("HIT-SEMANTIC", Harness.tier(r));
        assertEquals(calls, upstream.calls());
      } finally {
        hold.countDown();
      }
      h.gateway.awaitIndexed();
      assertEquals(1, h.gateway.entries());
    }
  }

  @Test
  void sampledVerification_sendsTheWouldBeHitUpstream_andLearns(@TempDir Path dir)
      throws Exception {
    try (Harness h = new Harness(dir, upstream.url(), Map.of("cache.verify-sample-rate", "1"))) {
      String[] pair = SharedData.positives().get(0);
      h.post("/chat/completions", Harness.ask(pair[0]));
      h.gateway.awaitIndexed();
      long calls = upstream.calls();
      HttpResponse<String> r = h.post("/chat/completions", Harness.ask(pair[1]));
      assertEquals("MISS", Harness.tier(r));
      assertEquals(calls + 1, upstream.calls());
      String line = h.decisionLines(2).get(1);
      assertTrue(Json.MAPPER.readTree(line).get("explore").asText().startsWith("ent_"), line);
    }
    // The comparison runs after the answer, before close returns; closing saves what it learned.
    assertTrue(Files.readString(dir.resolve("entry-thresholds.json")).contains("ent_"));
  }
}
