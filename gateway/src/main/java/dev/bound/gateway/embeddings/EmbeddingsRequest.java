package dev.bound.gateway.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A validated body of {@code POST /v1/embeddings}, cut into the input items that are cached one by
 * one. Fields Bound does not know pass through to the upstream untouched, but are part of every
 * item's key: they may change the vectors (some servers take {@code input_type} or
 * {@code truncate}).
 */
final class EmbeddingsRequest {
  /** The fields with a place of their own in the key, and {@code user}, which is bookkeeping. */
  private static final Set<String> NAMED = Set.of("input", "model", "dimensions",
      "encoding_format", "user");
  private static final String INPUT_SHAPES = "'input' must be a string, an array of strings, an "
      + "array of token ids or an array of token-id arrays.";

  final ObjectNode json;
  final String model;
  /** Null when the request does not set it. */
  final Long dimensions;
  /** {@code float} unless the request asks for {@code base64}. */
  final String encodingFormat;
  /** Each a non-empty string or a non-empty array of token ids. */
  final List<JsonNode> items;
  /** Whether {@code input} is one item by itself (a string, or one array of token ids). */
  private final boolean single;

  private EmbeddingsRequest(ObjectNode json, List<JsonNode> items, boolean single) {
    this.json = json;
    this.model = json.get("model").asText();
    this.dimensions = json.hasNonNull("dimensions") ? json.get("dimensions").asLong() : null;
    this.encodingFormat = json.path("encoding_format").asText("float");
    this.items = List.copyOf(items);
    this.single = single;
  }

  /** Parses and checks a body, failing with an {@link ApiException} in the OpenAI error shape. */
  static EmbeddingsRequest parse(byte[] body) {
    JsonNode root = dev.bound.gateway.protocol.Checks.parseJson(body);
    if (!root.isObject()) {
      throw ApiException.invalid("The request body must be a JSON object.", null, "invalid_json");
    }
    ObjectNode o = (ObjectNode) root;
    JsonNode model = required(o, "model");
    if (!model.isTextual() || model.asText().isBlank()) {
      throw ApiException.invalid("'model' must be a non-empty string.", "model", "invalid_type");
    }
    JsonNode dims = o.get("dimensions");
    if (dims != null && !dims.isNull()
        && !(dims.isIntegralNumber() && dims.canConvertToLong() && dims.asLong() > 0)) {
      throw ApiException.invalid("'dimensions' must be a positive integer.", "dimensions",
          dims.isIntegralNumber() ? "invalid_value" : "invalid_type");
    }
    JsonNode format = o.get("encoding_format");
    if (format != null && !format.isNull() && !(format.isTextual()
        && (format.asText().equals("float") || format.asText().equals("base64")))) {
      throw ApiException.invalid("'encoding_format' must be \"float\" or \"base64\".",
          "encoding_format", "invalid_value");
    }
    JsonNode user = o.get("user");
    if (user != null && !user.isNull() && !user.isTextual()) {
      throw ApiException.invalid("'user' must be a string.", "user", "invalid_type");
    }
    JsonNode input = required(o, "input");
    if (input.isTextual()) {
      return new EmbeddingsRequest(o, List.of(text(input, "input")), true);
    }
    if (!input.isArray()) {
      throw ApiException.invalid(INPUT_SHAPES, "input", "invalid_type");
    }
    if (input.isEmpty()) {
      throw ApiException.invalid("'input' must not be an empty array.", "input", "invalid_value");
    }
    if (input.get(0).isIntegralNumber()) {
      return new EmbeddingsRequest(o, List.of(tokens(input, "input")), true);
    }
    List<JsonNode> items = new ArrayList<>(input.size());
    boolean strings = input.get(0).isTextual();
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      String at = "input[" + i + "]";
      if (strings ? !item.isTextual() : !item.isArray()) {
        throw ApiException.invalid(INPUT_SHAPES, "input", "invalid_type");
      }
      items.add(strings ? text(item, at) : tokens(item, at));
    }
    return new EmbeddingsRequest(o, items, false);
  }

  /**
   * The key of each item, in order: a SHA-256 of the canonical JSON of everything that decides
   * its vector, so a different tenant, model, dimension, encoding or other parameter never hits.
   */
  List<String> keys(String tenant) {
    ObjectNode basis = Json.object();
    basis.put("tenant", tenant);
    basis.put("model", model);
    if (dimensions == null) {
      basis.putNull("dimensions");
    } else {
      basis.put("dimensions", dimensions);
    }
    basis.put("encoding_format", encodingFormat);
    ObjectNode params = basis.putObject("params");
    json.properties().forEach(e -> {
      if (!NAMED.contains(e.getKey())) {
        params.set(e.getKey(), e.getValue());
      }
    });
    List<String> keys = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      basis.set("item", item);
      keys.add(Json.sha256(Json.canonical(basis)));
    }
    return keys;
  }

  /**
   * This body with {@code input} cut down to the items at {@code positions}, in their order. A
   * lone item stays lone, so the upstream sees the shape the client sent.
   */
  byte[] bodyWith(List<Integer> positions) {
    ObjectNode copy = json.deepCopy();
    if (single) {
      copy.set("input", items.get(positions.get(0)));
    } else {
      ArrayNode input = copy.putArray("input");
      positions.forEach(p -> input.add(items.get(p)));
    }
    return Json.bytes(copy);
  }

  /**
   * Each item's share of the {@code total} prompt tokens the upstream reported for the items at
   * {@code positions}. The upstream reports only a batch total, so it is split in proportion to
   * each item's length: code points of a text, ids of a token array (exact when the upstream
   * counts ids as tokens).
   */
  long[] tokenShares(List<Integer> positions, long total) {
    long[] weights = new long[positions.size()];
    for (int i = 0; i < weights.length; i++) {
      JsonNode item = items.get(positions.get(i));
      weights[i] = item.isTextual() ? item.asText().codePointCount(0, item.asText().length())
          : item.size();
    }
    return apportion(total, weights);
  }

  /**
   * Splits {@code total} in proportion to {@code weights} into whole numbers that add up to it:
   * each gets the floor of its share, and what is left goes one each to the largest remainders,
   * the earlier first among equals. Equal parts when all weights are 0.
   */
  static long[] apportion(long total, long[] weights) {
    long[] out = new long[weights.length];
    if (weights.length == 0 || total <= 0) {
      return out;
    }
    long sum = Arrays.stream(weights).sum();
    double[] rest = new double[weights.length];
    long given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = total * (sum == 0 ? 1.0 / weights.length : (double) weights[i] / sum);
      out[i] = (long) Math.floor(exact);
      rest[i] = exact - out[i];
      given += out[i];
    }
    for (long left = total - given; left > 0; left--) {
      int best = 0;
      for (int i = 1; i < rest.length; i++) {
        if (rest[i] > rest[best]) {
          best = i;
        }
      }
      out[best]++;
      rest[best] = -1;
    }
    return out;
  }

  private static JsonNode required(ObjectNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw ApiException.invalid("Missing required parameter: '" + field + "'.", field,
          "missing_required_parameter");
    }
    return v;
  }

  private static JsonNode text(JsonNode item, String at) {
    if (item.asText().isEmpty()) {
      throw ApiException.invalid("'" + at + "' must not be an empty string.", "input",
          "invalid_value");
    }
    return item;
  }

  private static JsonNode tokens(JsonNode item, String at) {
    if (item.isEmpty()) {
      throw ApiException.invalid("'" + at + "' must not be an empty array.", "input",
          "invalid_value");
    }
    for (JsonNode t : item) {
      if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 0) {
        throw ApiException.invalid("'" + at + "' must hold token ids (non-negative integers) "
            + "only.", "input", t.isIntegralNumber() ? "invalid_value" : "invalid_type");
      }
    }
    return item;
  }
}
