package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes up a JSON value that fits a JSON Schema, for structured output and tool arguments. It
 * covers the subset models are given in practice: {@code type} (one or a list), object
 * properties and {@code required}, arrays with {@code items} and item counts, strings with
 * {@code enum}, {@code format} and lengths, numbers within bounds, {@code const}, {@code anyOf} and
 * {@code oneOf} (the first choice), {@code allOf} (merged) and local {@code $ref}s. Strings and
 * numbers come from the prompt's own words where they fit.
 */
final class SchemaFiller {
  /** From this depth on, objects get only their required properties and arrays their minimum. */
  private static final int DEEP = 6;
  /** Deeper than this the schema must be recursive with nothing optional to stop it. */
  private static final int TOO_DEEP = 40;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode root;
  private final PromptWords words;
  private final SplittableRandom rnd;
  private final Map<JsonNode, Integer> enumUses = new IdentityHashMap<>();

  SchemaFiller(JsonNode root, PromptWords words, long seed) {
    this.root = root;
    this.words = words;
    this.rnd = new SplittableRandom(seed);
  }

  /** A value for the whole schema. */
  JsonNode fill() {
    return fill(root, 0);
  }

  private JsonNode fill(JsonNode schema, int depth) {
    if (depth > TOO_DEEP) {
      throw new BadRequest("the schema nests deeper than " + TOO_DEEP + " levels");
    }
    JsonNode s = deref(schema);
    if (!s.isObject()) {
      return TextNode.valueOf(words.phrase(2)); // the schema "true": anything goes
    }
    if (s.has("const")) {
      return s.get("const").deepCopy();
    }
    if (s.path("enum").isArray() && !s.get("enum").isEmpty()) {
      return pick(s.get("enum"));
    }
    for (String choice : new String[] {"anyOf", "oneOf"}) {
      if (s.path(choice).isArray() && !s.get(choice).isEmpty()) {
        return fill(s.get(choice).get(0), depth + 1);
      }
    }
    if (s.path("allOf").isArray()) {
      return fill(merged(s), depth + 1);
    }
    return switch (type(s)) {
      case "object" -> object(s, depth);
      case "array" -> array(s, depth);
      case "integer" -> integer(s);
      case "number" -> number(s);
      case "boolean" -> BooleanNode.valueOf(rnd.nextBoolean());
      case "null" -> NullNode.getInstance();
      default -> TextNode.valueOf(Scalars.fit(s, text(s), words));
    };
  }

  /** Follows {@code $ref}s to a definition in the same document ({@code #/$defs/...}). */
  private JsonNode deref(JsonNode schema) {
    JsonNode s = schema;
    for (int hops = 0; s.path("$ref").isTextual(); hops++) {
      String ref = s.get("$ref").asText();
      JsonNode target = ref.equals("#") ? root
          : ref.startsWith("#/") ? root.at(ref.substring(1)) : null;
      if (target == null || target.isMissingNode() || hops > TOO_DEEP) {
        throw new BadRequest("the schema's $ref '" + ref + "' does not point into the schema");
      }
      s = target;
    }
    return s;
  }

  private static String type(JsonNode s) {
    JsonNode t = s.path("type");
    if (t.isTextual()) {
      return t.asText();
    }
    if (t.isArray()) {
      for (JsonNode one : t) {
        if (!one.asText().equals("null")) {
          return one.asText();
        }
      }
      return "null";
    }
    if (s.has("properties") || s.has("required") || s.has("additionalProperties")) {
      return "object";
    }
    if (s.has("items") || s.has("prefixItems")) {
      return "array";
    }
    return s.has("minimum") || s.has("maximum") ? "number" : "string";
  }

  private JsonNode pick(JsonNode values) {
    int uses = enumUses.merge(values, 1, Integer::sum) - 1;
    JsonNode mentioned = uses == 0 ? words.mentioned(values) : null;
    return (mentioned != null ? mentioned : values.get(uses % values.size())).deepCopy();
  }

  /** One schema with the properties and requirements of all its {@code allOf} parts. */
  private ObjectNode merged(JsonNode s) {
    ObjectNode all = s.deepCopy();
    all.remove("allOf");
    ObjectNode props = NODES.objectNode();
    ArrayNode required = NODES.arrayNode();
    if (s.path("properties").isObject()) {
      props.setAll((ObjectNode) s.get("properties"));
    }
    s.path("required").forEach(required::add);
    for (JsonNode part : s.get("allOf")) {
      JsonNode p = deref(part);
      p.properties().forEach(e -> all.putIfAbsent(e.getKey(), e.getValue()));
      p.path("properties").properties().forEach(e -> props.putIfAbsent(e.getKey(), e.getValue()));
      p.path("required").forEach(required::add);
    }
    if (!props.isEmpty()) {
      all.set("properties", props);
    }
    if (!required.isEmpty()) {
      all.set("required", required);
    }
    return all;
  }

  private ObjectNode object(JsonNode s, int depth) {
    Set<String> required = new HashSet<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    ObjectNode out = NODES.objectNode();
    s.path("properties").properties().forEach(e -> {
      if (depth < DEEP || required.contains(e.getKey())) {
        out.set(e.getKey(), fill(e.getValue(), depth + 1));
      }
    });
    for (String r : required) {
      if (!out.has(r)) { // required but never described: any value will do
        out.put(r, words.phrase(1));
      }
    }
    return out;
  }

  private ArrayNode array(JsonNode s, int depth) {
    int min = s.path("minItems").asInt(0);
    int max = s.path("maxItems").isNumber() ? s.get("maxItems").asInt() : Integer.MAX_VALUE;
    int n = Math.min(max, Math.max(min, depth < DEEP ? 2 : 0));
    JsonNode prefix = s.path("prefixItems");
    JsonNode items = s.path("items");
    boolean unique = s.path("uniqueItems").asBoolean(false);
    ArrayNode out = NODES.arrayNode();
    for (int tries = 0; out.size() < n && tries < 4 * n; tries++) {
      int i = out.size();
      JsonNode itemSchema = i < prefix.size() ? prefix.get(i)
          : items.isArray() ? items.path(i) : items;
      JsonNode v = fill(itemSchema.isMissingNode() ? NODES.objectNode() : itemSchema, depth + 1);
      if (!unique || !contains(out, v)) {
        out.add(v);
      }
    }
    return out;
  }

  private static boolean contains(ArrayNode a, JsonNode v) {
    for (JsonNode x : a) {
      if (x.equals(v)) {
        return true;
      }
    }
    return false;
  }

  private String text(JsonNode s) {
    String format = s.path("format").asText("");
    String fixed = Scalars.formatted(format, words, rnd);
    if (fixed != null) {
      return fixed;
    }
    String key = words.keyOnce();
    return key != null ? key : words.phrase(1 + rnd.nextInt(3));
  }

  private JsonNode integer(JsonNode s) {
    Scalars.Range r = Scalars.range(s, true);
    Double fromPrompt = words.number(r.lo(), r.hi(), true);
    double v = fromPrompt != null ? fromPrompt : Scalars.draw(r, rnd);
    return LongNode.valueOf((long) Scalars.multipleOf(s, v, r));
  }

  private JsonNode number(JsonNode s) {
    Scalars.Range r = Scalars.range(s, false);
    Double fromPrompt = words.number(r.lo(), r.hi(), false);
    double v = fromPrompt != null ? fromPrompt : Scalars.inside(r, rnd);
    return DoubleNode.valueOf(Scalars.multipleOf(s, v, r));
  }
}
