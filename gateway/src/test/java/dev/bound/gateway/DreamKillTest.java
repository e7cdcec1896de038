package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while pre-generation is running: every variant the dreamer reported stored
 * before the kill is in the index of a fresh Bound on the same data directory, which starts and
 * answers as usual.
 */
class DreamKillTest {
  private static final String ADMIN = "admin-token-for-dream-kill";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  @Test
  void killDuringPreGeneration_losesNoStoredVariant(@TempDir Path data) throws Exception {
    List<String> stored;
    try (SimulatedUpstream up = SimulatedUpstream.start(Duration.ofMillis(20), 0)
        .sampling(true)) {
      ServeProcess child = new ServeProcess(data, up.url(), "--admin-token", ADMIN,
          "--upstream-key", "sk-upstream-key-for-dreams", "--dream", "true",
          "--dream-clean-hours", "24", "--dream-interval", "100ms", "--dream-min-asks", "1",
          "--variant-pool-size", "64", "--dream-concurrency", "4",
          "--dream-requests-per-hour", "1000000", "--dream-pause-above-rps", "1000");
      try {
        for (String topic : List.of("tea", "rain", "trains")) {
          HttpResponse<String> r = post(child.v1.resolve("/v1/chat/completions"),
              "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":"
                  + "\"Write a haiku about " + topic + ".\"}]}");
          assertEquals("MISS", Harness.tier(r), r.body());
        }
        stored = waitForDreams(child, 12);
      } finally {
        child.kill();
      }
      assertTrue(stored.size() >= 12, stored.toString());
    }
    try (SimulatedUpstream up = Harness.fastUpstream()) {
      ServeProcess again = new ServeProcess(data, up.url(), "--admin-token", ADMIN);
      try {
        for (String id : stored) {
          HttpResponse<String> r = get(again.root("/admin/entries/" + id));
          assertEquals(200, r.statusCode(), "variant " + id + " was lost: " + r.body());
          assertTrue(r.body().contains("haiku"), r.body());
        }
        assertEquals(200, get(again.root("/readyz")).statusCode());
        HttpResponse<String> savings = get(again.root("/api/savings?granularity=day"));
        assertEquals(200, savings.statusCode(), savings.body());
        JsonNode carbon = Json.MAPPER.readTree(savings.body()).at("/totals/carbon_shifted");
        assertTrue(carbon.path("pregenerated_stored").asLong() >= stored.size(),
            "every variant counted as stored before the kill is charged: " + carbon);
        assertTrue(carbon.path("pregeneration_wh").asDouble() > 0, carbon.toString());
      } finally {
        again.stop();
      }
    }
  }

  /** Polls the pools until at least {@code n} variants were pre-generated; returns their ids. */
  private List<String> waitForDreams(ServeProcess child, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode pools = Json.MAPPER.readTree(get(child.root("/admin/variants/pools")).body())
          .path("pools");
      List<String> ids = new ArrayList<>();
      for (JsonNode p : pools) {
        p.path("pregenerated_ids").forEach(id -> ids.add(id.asText()));
      }
      if (ids.size() >= n) {
        return ids;
      }
      Thread.sleep(50); // polling the child, not timing an assertion
    }
    throw new AssertionError("the child pre-generated too little:\n" + child.output);
  }

  private HttpResponse<String> post(URI uri, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .header("Authorization", "Bearer sk-client")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
