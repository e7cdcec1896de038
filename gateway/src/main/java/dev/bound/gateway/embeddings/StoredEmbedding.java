package dev.bound.gateway.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.util.List;

/**
 * What Bound keeps for one embedded input item: the upstream's {@code data} element as it came
 * (a base64 {@code embedding} is a string and replays byte for byte), the model that answered, and
 * the item's share of the prompt tokens, which a later hit reports as avoided.
 */
record StoredEmbedding(ObjectNode item, String model, long tokens) {

  byte[] bytes() {
    ObjectNode n = Json.object();
    n.put("model", model);
    n.put("tokens", tokens);
    n.set("item", item);
    return Json.bytes(n);
  }

  /** Reads what {@link #bytes} wrote; null when the bytes are not such a record. */
  static StoredEmbedding parse(byte[] bytes) {
    try {
      JsonNode n = Json.MAPPER.readTree(bytes);
      if (n == null || !n.path("item").isObject() || !n.path("model").isTextual()) {
        return null;
      }
      return new StoredEmbedding((ObjectNode) n.get("item"), n.get("model").asText(),
          n.path("tokens").asLong(0));
    } catch (IOException e) {
      return null;
    }
  }

  /** The stored element as element {@code index} of a new answer. */
  ObjectNode at(int index) {
    ObjectNode copy = item.deepCopy();
    copy.put("index", index);
    return copy;
  }

  /**
   * The upstream's {@code data} elements in the order of the items sent (by their
   * {@code index}); null unless there is exactly one element with an embedding per item.
   */
  /**
   * Whether an item's embedding is one: a non-empty array of numbers, or base64 text (what
   * {@code encoding_format: base64} returns). Anything else is not kept.
   */
  static boolean vector(JsonNode v) {
    if (v == null) {
      return false;
    }
    if (v.isTextual()) {
      String b64 = v.asText();
      if (b64.isEmpty() || b64.length() % 4 != 0) {
        return false;
      }
      try {
        return java.util.Base64.getDecoder().decode(b64).length % 4 == 0;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (!v.isArray() || v.isEmpty()) {
      return false;
    }
    for (JsonNode x : v) {
      if (!x.isNumber()) {
        return false;
      }
    }
    return true;
  }

  static List<ObjectNode> inOrder(JsonNode answer, int sent) {
    JsonNode data = answer.path("data");
    if (!answer.isObject() || !data.isArray() || data.size() != sent) {
      return null;
    }
    ObjectNode[] out = new ObjectNode[sent];
    for (JsonNode e : data) {
      JsonNode index = e.path("index");
      if (!e.isObject() || !vector(e.get("embedding")) || !index.canConvertToInt()
          || !index.isIntegralNumber() || index.asInt() < 0 || index.asInt() >= sent
          || out[index.asInt()] != null) {
        return null;
      }
      out[index.asInt()] = (ObjectNode) e;
    }
    return List.of(out);
  }
}
