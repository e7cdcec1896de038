package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Talks to a simulator over real HTTP: JSON posts, and server-sent events read back. */
final class SimClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final SimulatedUpstream sim;

  SimClient(SimulatedUpstream sim) {
    this.sim = sim;
  }

  /** One server-sent event: its {@code event:} name (null when unnamed) and its data. */
  record Event(String name, JsonNode data) {}

  HttpResponse<String> post(String path, String body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(sim.url() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Posts and reads back a 200 JSON answer. */
  JsonNode json(String path, String body) {
    HttpResponse<String> r = post(path, body);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    return parse(r.body());
  }

  /** Posts and reads back a 200 event stream; OpenAI's {@code [DONE]} comes back as text. */
  List<Event> events(String path, String body) {
    HttpResponse<String> r = post(path, body);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow()
        .startsWith("text/event-stream"));
    return parseEvents(r.body());
  }

  static List<Event> parseEvents(String stream) {
    List<Event> out = new ArrayList<>();
    for (String block : stream.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        out.add(new Event(name, data.equals("[DONE]") ? TextNode.valueOf(data) : parse(data)));
      }
    }
    return out;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** The official OpenAI SDK pointed at the simulator. */
  OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder().baseUrl(sim.url().toString()).apiKey("sk-sim")
        .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
  }
}
