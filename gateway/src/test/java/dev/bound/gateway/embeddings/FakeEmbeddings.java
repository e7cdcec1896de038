package dev.bound.gateway.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that answers {@code POST /v1/embeddings} as the OpenAI API does, with vectors made
 * from a hash of model, dimensions and item, so the same request always gets the same answer. It
 * counts the calls and the input items it embedded, and can be told to fail.
 */
final class FakeEmbeddings implements AutoCloseable {
  static final int DEFAULT_DIMENSIONS = 8;

  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger items = new AtomicInteger();
  /** When not 0, every call is answered with this status and an OpenAI error body. */
  volatile int failWith;
  /** When true, the answer leaves out its last embedding. */
  volatile boolean dropOne;
  /** The {@code input} of the latest call. */
  volatile JsonNode lastInput;
  private final Javalin app;
  private final HttpClient http = HttpClient.newHttpClient();

  FakeEmbeddings() {
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.routes.post("/v1/embeddings", this::answer);
    }).start("127.0.0.1", 0);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + app.port() + "/v1");
  }

  /** Sends {@code body} to this upstream directly, as a client without Bound would. */
  JsonNode direct(String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/embeddings"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body());
  }

  /** What this upstream counts as the tokens of an item: words of a text, ids of a token array. */
  static long tokens(JsonNode item) {
    return item.isTextual() ? item.asText().strip().split("\\s+").length : item.size();
  }

  private void answer(Context ctx) throws Exception {
    calls.incrementAndGet();
    if (failWith != 0) {
      ctx.status(failWith).contentType("application/json").result(
          "{\"error\":{\"message\":\"the model is overloaded\",\"type\":\"server_error\","
              + "\"param\":null,\"code\":null}}");
      return;
    }
    JsonNode req = Json.MAPPER.readTree(ctx.bodyAsBytes());
    JsonNode input = req.get("input");
    lastInput = input;
    List<JsonNode> list = new ArrayList<>();
    if (input.isTextual() || input.get(0).isIntegralNumber()) {
      list.add(input);
    } else {
      input.forEach(list::add);
    }
    items.addAndGet(list.size());
    int dims = req.path("dimensions").asInt(DEFAULT_DIMENSIONS);
    boolean base64 = req.path("encoding_format").asText("float").equals("base64");
    String model = req.get("model").asText();
    ObjectNode out = Json.object().put("object", "list");
    ArrayNode data = out.putArray("data");
    long tokens = 0;
    for (int i = 0; i < list.size() - (dropOne ? 1 : 0); i++) {
      float[] v = vector(model + "|" + dims + "|" + list.get(i), dims);
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        ByteBuffer b = ByteBuffer.allocate(4 * dims).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
          b.putFloat(f);
        }
        e.put("embedding", Base64.getEncoder().encodeToString(b.array()));
      } else {
        ArrayNode a = e.putArray("embedding");
        for (float f : v) {
          a.add(f);
        }
      }
      tokens += tokens(list.get(i));
    }
    out.put("model", model);
    out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    ctx.contentType("application/json").header("X-Request-Id", "req-" + calls.get())
        .result(Json.bytes(out));
  }

  private static float[] vector(String seed, int dims) {
    byte[] h = Json.sha256(seed).getBytes(StandardCharsets.US_ASCII);
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (h[i % h.length] - 80) / 37f + i / 1000f;
    }
    return v;
  }

  @Override
  public void close() {
    app.stop();
  }
}
