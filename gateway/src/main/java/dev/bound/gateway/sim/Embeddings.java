package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * OpenAI's embeddings, {@code POST /v1/embeddings}. Each input gets a unit vector drawn from a
 * hash of it: the same input always the same vector, different inputs unrelated ones. A shorter
 * {@code dimensions} gives the longer vector's start, renormalised, as OpenAI's models do.
 */
final class Embeddings {
  static final int DEFAULT_DIMENSIONS = 384;
  static final int MAX_DIMENSIONS = 16_384;

  private final Pacer pacer;
  private final LongSupplier nextCall;
  private final LongConsumer embedded;

  /** @param embedded told how many items each request embeds */
  Embeddings(Pacer pacer, LongSupplier nextCall, LongConsumer embedded) {
    this.pacer = pacer;
    this.nextCall = nextCall;
    this.embedded = embedded;
  }

  /** One input: what its vector is drawn from, and its size in tokens. */
  private record Item(String key, int tokens) {}

  void handle(Context ctx) {
    ObjectNode req = Requests.body(ctx);
    List<Item> items = items(req.path("input"));
    int dimensions = dimensions(req.path("dimensions"));
    boolean base64 = base64(req.path("encoding_format"));
    nextCall.getAsLong();
    embedded.accept(items.size());
    pacer.firstToken();
    ObjectNode resp = JSON.createObjectNode().put("object", "list");
    ArrayNode data = resp.putArray("data");
    int tokens = 0;
    for (int i = 0; i < items.size(); i++) {
      float[] v = vector(items.get(i).key(), dimensions);
      ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        e.put("embedding", base64(v));
      } else {
        ArrayNode floats = e.putArray("embedding");
        for (float f : v) {
          floats.add(f);
        }
      }
      tokens += items.get(i).tokens();
    }
    resp.put("model", req.get("model").asText());
    resp.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    ctx.contentType("application/json").result(resp.toString());
  }

  private static List<Item> items(JsonNode input) {
    List<Item> out = new ArrayList<>();
    if (input.isTextual() && !input.asText().isEmpty()) {
      out.add(new Item(input.asText(), Tokens.count(input.asText())));
    } else if (input.isArray() && !input.isEmpty() && isTokens(input)) {
      out.add(tokens(input));
    } else if (input.isArray() && !input.isEmpty()) {
      for (JsonNode one : input) {
        if (one.isTextual() && !one.asText().isEmpty()) {
          out.add(new Item(one.asText(), Tokens.count(one.asText())));
        } else if (one.isArray() && !one.isEmpty() && isTokens(one)) {
          out.add(tokens(one));
        } else {
          throw badInput();
        }
      }
    } else {
      throw badInput();
    }
    return out;
  }

  private static BadRequest badInput() {
    return new BadRequest("'input' must be a string, an array of strings, an array of token ids "
        + "or an array of arrays of token ids, none of them empty");
  }

  private static boolean isTokens(JsonNode array) {
    for (JsonNode t : array) {
      if (!t.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }

  /** Token ids are their own item, kept apart from any text that reads the same. */
  private static Item tokens(JsonNode ids) {
    StringBuilder key = new StringBuilder("\u0000tokens");
    ids.forEach(t -> key.append(',').append(t.asLong()));
    return new Item(key.toString(), ids.size());
  }

  private static int dimensions(JsonNode d) {
    if (d.isMissingNode() || d.isNull()) {
      return DEFAULT_DIMENSIONS;
    }
    if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > MAX_DIMENSIONS) {
      throw new BadRequest("'dimensions' must be an integer from 1 to " + MAX_DIMENSIONS);
    }
    return d.asInt();
  }

  private static boolean base64(JsonNode format) {
    String f = format.isMissingNode() || format.isNull() ? "float" : format.asText();
    return switch (f) {
      case "float" -> false;
      case "base64" -> true;
      default -> throw new BadRequest("'encoding_format' must be 'float' or 'base64'");
    };
  }

  /** The unit vector for an input: normal draws seeded by the input's hash, then scaled. */
  static float[] vector(String key, int dimensions) {
    SplittableRandom rnd = new SplittableRandom(SimulatedUpstream.seed("embedding\u0000" + key));
    double[] raw = new double[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      raw[i] = rnd.nextGaussian();
      norm += raw[i] * raw[i];
    }
    norm = Math.sqrt(norm);
    float[] v = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      v[i] = (float) (raw[i] / norm);
    }
    return v;
  }

  /** The vector as OpenAI sends it in base64: little-endian float32s. */
  static String base64(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      bytes.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
