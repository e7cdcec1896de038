package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.observe.MetricsTest;
import dev.bound.gateway.observe.WrongHitEstimate;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live wrong-hit estimate against a replayed stream whose truth is known: every question
 * belongs to a cluster, the upstream answers by cluster, and plain cosine at 0.8 serves many
 * questions the answer of their opposite ("enable" for "disable"). Half the would-be hits are
 * verified (seeded coins); the test counts, from the decision lines, which would-be hits (served
 * or verified) came from another cluster, and checks that rate against /metrics and /api/quality.
 */
class WrongHitStreamTest {
  private static final String TOKEN = "dashboard-token-0123456789";

  /** Pairs of opposite questions; each is a cluster, with paraphrases asked later. */
  private static final String[][] CLUSTERS = {
      {"How do I enable two-factor authentication on my account?",
          "How can I enable two-factor authentication for my account?",
          "Steps to enable two-factor authentication on my account"},
      {"How do I disable two-factor authentication on my account?",
          "How can I disable two-factor authentication for my account?",
          "Steps to disable two-factor authentication on my account"},
      {"How can I increase the font size in the editor?",
          "How do I increase the font size in the editor?",
          "Way to increase the editor font size"},
      {"How can I decrease the font size in the editor?",
          "How do I decrease the font size in the editor?",
          "Way to decrease the editor font size"},
      {"How do I import contacts from a CSV file?",
          "How can I import my contacts from a CSV file?",
          "Importing contacts from a CSV file"},
      {"How do I export contacts to a CSV file?",
          "How can I export my contacts to a CSV file?",
          "Exporting contacts to a CSV file"},
      {"How do I add a user to the admin group?",
          "How can I add a user to the admin group?",
          "Adding a user to the admin group"},
      {"How do I remove a user from the admin group?",
          "How can I remove a user from the admin group?",
          "Removing a user from the admin group"},
      {"How do I turn on dark mode in the app?",
          "How can I turn on dark mode in the app?",
          "Turning on dark mode in the app"},
      {"How do I turn off dark mode in the app?",
          "How can I turn off dark mode in the app?",
          "Turning off dark mode in the app"},
      {"How do I subscribe to the weekly newsletter?",
          "How can I subscribe to the weekly newsletter?",
          "Subscribing to the weekly newsletter"},
      {"How do I unsubscribe from the weekly newsletter?",
          "How can I unsubscribe from the weekly newsletter?",
          "Unsubscribing from the weekly newsletter"},
  };

  /** Answers on unrelated topics, so that no two clusters' answers embed alike. */
  private static final String[] ANSWERS = {
      "Bananas are rich in potassium and ripen faster in a paper bag.",
      "The Pacific Ocean is the largest and deepest of the world's oceans.",
      "A sonnet has fourteen lines, traditionally in iambic pentameter.",
      "Mount Everest rises about 8,849 metres above sea level.",
      "Photosynthesis turns light, water and carbon dioxide into sugar.",
      "The violin has four strings tuned in perfect fifths.",
      "Chess openings such as the Sicilian Defence begin with e4 c5.",
      "Honey never spoils if it is sealed and kept dry.",
      "The Roman Colosseum could seat around fifty thousand spectators.",
      "Penguins live almost entirely in the Southern Hemisphere.",
      "Sourdough bread rises with wild yeast and lactic acid bacteria.",
      "Jupiter has the shortest day of all the planets in the solar system.",
  };

  private static final Map<String, Integer> CLUSTER_OF = new HashMap<>();

  static {
    for (int c = 0; c < CLUSTERS.length; c++) {
      for (String q : CLUSTERS[c]) {
        CLUSTER_OF.put(q, c);
      }
    }
  }

  private static String answer(int cluster) {
    return "{\"id\":\"chatcmpl-u\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + ANSWERS[cluster] + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":14,\"total_tokens\":26}}";
  }

  private static String ask(String question) {
    return "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\""
        + question + "\"}]}";
  }

  @Test
  void replayedStream_trueWrongHitRateLiesInTheReportedInterval(@TempDir Path dir)
      throws Exception {
    // The stream: one question of every other cluster first, then every paraphrase of every
    // cluster, in an order fixed by the seed.
    List<String> stream = new ArrayList<>();
    List<String> later = new ArrayList<>();
    for (int c = 0; c < CLUSTERS.length; c++) {
      (c % 2 == 0 ? stream : later).add(CLUSTERS[c][0]);
      for (int i = 1; i < CLUSTERS[c].length; i++) {
        later.add(CLUSTERS[c][i]);
      }
    }
    java.util.Collections.shuffle(later, new Random(5));
    stream.addAll(later);

    try (FakeUpstream up = new FakeUpstream(ctx -> {
          JsonNode req = Json.MAPPER.readTree(ctx.body());
          String q = req.at("/messages/0/content").asText();
          ctx.contentType("application/json").result(answer(CLUSTER_OF.get(q)));
        });
        Harness h = new Harness(dir, up.url(), Map.of("cache.matcher", "cosine",
            "cache.threshold", "0.8", "cache.verify-sample-rate", "0.5",
            "dashboard.token", TOKEN), new Random(17))) {
      List<Integer> clusters = new ArrayList<>();
      String wrongServedId = null;
      for (String q : stream) {
        HttpResponse<String> r = h.post("/chat/completions", ask(q));
        assertEquals(200, r.statusCode(), r.body());
        clusters.add(CLUSTER_OF.get(q));
        h.gateway.awaitIndexed(); // stores and comparisons done before the next question
        if (wrongServedId == null && Harness.tier(r).equals("HIT-SEMANTIC")
            && !r.body().contains(ANSWERS[CLUSTER_OF.get(q)])) {
          wrongServedId = Json.MAPPER.readTree(r.body()).get("id").asText();
        }
      }
      List<String> lines = h.decisionLines(stream.size());

      Map<String, Integer> entryCluster = new HashMap<>();
      int wouldBe = 0;
      int wrong = 0;
      int verified = 0;
      int verifiedWrong = 0;
      for (int i = 0; i < lines.size(); i++) {
        JsonNode d = Json.MAPPER.readTree(lines.get(i));
        int cluster = clusters.get(i);
        String entry = d.path("tier").asText().equals("HIT-SEMANTIC") ? d.get("entry").asText()
            : d.path("explore").asText(null);
        if (entry != null) {
          wouldBe++;
          boolean isWrong = entryCluster.get(entry) != cluster;
          wrong += isWrong ? 1 : 0;
          if (d.has("explore")) {
            verified++;
            verifiedWrong += isWrong ? 1 : 0;
          }
        }
        if (d.hasNonNull("stored")) {
          entryCluster.put(d.get("stored").asText(), cluster);
        }
      }
      double truth = (double) wrong / wouldBe;
      String summary = String.format(Locale.ROOT,
          "%d would-be hits, %d wrong (%.3f); %d verified, %d wrong", wouldBe, wrong, truth,
          verified, verifiedWrong);
      System.out.println(summary);
      assertTrue(wrong >= 3 && wouldBe - wrong >= 3, "the stream needs right and wrong hits: "
          + summary);
      assertTrue(verified >= 5 && verified < wouldBe, summary);

      // The sample is what the gateway counted, and the answer comparison agrees with the truth.
      WrongHitEstimate.Counts counts = h.gateway.cache().matching().estimate().overall();
      assertEquals(verified, counts.verified(), summary);
      assertEquals(verifiedWrong, counts.verifiedWrong(), summary);

      Map<String, Double> m = MetricsTest.samples(h.getOutsideApi("/metrics").body());
      double low = m.get("bound_wrong_hit_rate{bound=\"low\"}");
      double high = m.get("bound_wrong_hit_rate{bound=\"high\"}");
      assertEquals((double) verifiedWrong / verified, m.get("bound_wrong_hit_rate{bound=\"estimate\"}"),
          1e-12);
      assertEquals(verified, m.get("bound_wrong_hit_samples{source=\"verification\"}"));
      assertEquals(verifiedWrong, m.get("bound_wrong_hits{source=\"verification\"}"));
      assertTrue(low <= truth && truth <= high,
          "true rate " + truth + " outside [" + low + ", " + high + "]: " + summary);

      // Feedback is counted apart and leaves the estimate alone.
      assertTrue(wrongServedId != null, "a wrong hit was served: " + summary);
      assertEquals(202, h.post("/feedback", "{\"id\":\"" + wrongServedId
          + "\",\"rating\":\"bad\"}").statusCode());
      JsonNode q = Json.MAPPER.readTree(h.getOutsideApi("/api/quality", "Authorization",
          "Bearer " + TOKEN).body());
      assertEquals(verified, q.at("/overall/verified").asLong());
      assertEquals((double) verifiedWrong / verified, q.at("/overall/estimate").asDouble(), 1e-12);
      assertEquals(low, q.at("/overall/low").asDouble(), 1e-12);
      assertEquals(1, q.at("/overall/feedback_bad").asLong());
      assertEquals("m", q.at("/by_model/0/model").asText());
      assertEquals(verified, q.at("/by_model/0/verified").asLong());
      assertTrue(q.get("error_rate").isNull(), q.toString());
    }
  }

  @Test
  void beforeAnyVerification_theEstimateIsAbsent_notZero(@TempDir Path dir) throws Exception {
    try (FakeUpstream up = new FakeUpstream(ctx -> ctx.contentType("application/json")
            .result(answer(0)));
        Harness h = new Harness(dir, up.url(), Map.of("cache.matcher", "cosine",
            "cache.error-rate", "0.02", "dashboard.token", TOKEN))) {
      Map<String, Double> m = MetricsTest.samples(h.getOutsideApi("/metrics").body());
      assertTrue(Double.isNaN(m.get("bound_wrong_hit_rate{bound=\"estimate\"}")), m.toString());
      assertTrue(Double.isNaN(m.get("bound_wrong_hit_rate{bound=\"low\"}")));
      assertEquals(0, m.get("bound_wrong_hit_samples{source=\"verification\"}"));
      assertEquals(0.02, m.get("bound_error_bound_target"));
      double tau = m.get("bound_error_bound_threshold");
      assertTrue(tau > 0.5 && tau < 1, "tau " + tau);
      JsonNode q = Json.MAPPER.readTree(h.getOutsideApi("/api/quality", "Authorization",
          "Bearer " + TOKEN).body());
      assertTrue(q.at("/overall/estimate").isNull(), q.toString());
      assertEquals(0, q.at("/overall/verified").asLong());
      assertEquals(0.02, q.get("error_rate").asDouble());
      assertEquals(tau, q.get("threshold").asDouble(), 1e-12);
      assertTrue(q.get("serving").asBoolean());
      assertEquals(0, q.get("by_model").size());
    }
  }
}
