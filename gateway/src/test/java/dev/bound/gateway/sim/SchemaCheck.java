package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small JSON Schema validator for the tests, written apart from the simulator's generator so
 * that one checks the other: it covers the same subset and lists every problem it finds.
 */
final class SchemaCheck {
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern DATE_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[a-z]+");
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final JsonNode root;
  private final List<String> problems = new ArrayList<>();

  private SchemaCheck(JsonNode root) {
    this.root = root;
  }

  /** Every way {@code value} breaks {@code schema}; empty when it fits. */
  static List<String> problems(JsonNode schema, JsonNode value) {
    SchemaCheck c = new SchemaCheck(schema);
    c.check(schema, value, "$");
    return c.problems;
  }

  private void check(JsonNode s, JsonNode v, String at) {
    while (s.path("$ref").isTextual()) {
      s = root.at(s.get("$ref").asText().substring(1));
    }
    if (s.has("const") && !s.get("const").equals(v)) {
      problems.add(at + " is not the const");
    }
    if (s.has("enum") && !contains(s.get("enum"), v)) {
      problems.add(at + " = " + v + " is not in the enum");
    }
    if (s.has("anyOf") && count(s.get("anyOf"), v) == 0) {
      problems.add(at + " fits no anyOf choice");
    }
    if (s.has("oneOf") && count(s.get("oneOf"), v) != 1) {
      problems.add(at + " does not fit exactly one oneOf choice");
    }
    s.path("allOf").forEach(part -> check(part, v, at));
    if (s.has("type") && !typeFits(s.get("type"), v)) {
      problems.add(at + " = " + v + " is not of type " + s.get("type"));
      return;
    }
    if (v.isObject()) {
      object(s, v, at);
    } else if (v.isArray()) {
      array(s, v, at);
    } else if (v.isTextual()) {
      string(s, v.asText(), at);
    } else if (v.isNumber()) {
      number(s, v.asDouble(), at);
    }
  }

  private int count(JsonNode choices, JsonNode v) {
    int fits = 0;
    for (JsonNode c : choices) {
      if (fits(c, v)) {
        fits++;
      }
    }
    return fits;
  }

  /** Whether the value fits a part of the same document, checked on its own. */
  private boolean fits(JsonNode s, JsonNode v) {
    SchemaCheck c = new SchemaCheck(root);
    c.check(s, v, "$");
    return c.problems.isEmpty();
  }

  private static boolean contains(JsonNode values, JsonNode v) {
    for (JsonNode x : values) {
      if (x.equals(v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean typeFits(JsonNode type, JsonNode v) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeFits(t, v)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
  }

  private void object(JsonNode s, JsonNode v, String at) {
    s.path("required").forEach(r -> {
      if (!v.has(r.asText())) {
        problems.add(at + " lacks required " + r.asText());
      }
    });
    JsonNode props = s.path("properties");
    JsonNode extra = s.path("additionalProperties");
    v.properties().forEach(e -> {
      String where = at + "." + e.getKey();
      if (props.has(e.getKey())) {
        check(props.get(e.getKey()), e.getValue(), where);
      } else if (extra.isBoolean() && !extra.asBoolean()) {
        problems.add(where + " is not allowed");
      } else if (extra.isObject()) {
        check(extra, e.getValue(), where);
      }
    });
  }

  private void array(JsonNode s, JsonNode v, String at) {
    if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
      problems.add(at + " has fewer than minItems");
    }
    if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
      problems.add(at + " has more than maxItems");
    }
    if (s.path("uniqueItems").asBoolean(false)) {
      Set<JsonNode> seen = new HashSet<>();
      v.forEach(x -> {
        if (!seen.add(x)) {
          problems.add(at + " repeats " + x);
        }
      });
    }
    JsonNode prefix = s.path("prefixItems");
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = i < prefix.size() ? prefix.get(i) : s.path("items");
      if (item.isObject()) {
        check(item, v.get(i), at + "[" + i + "]");
      }
    }
  }

  private void string(JsonNode s, String v, String at) {
    int length = v.codePointCount(0, v.length());
    if (length < s.path("minLength").asInt(0)) {
      problems.add(at + " is shorter than minLength");
    }
    if (s.has("maxLength") && length > s.get("maxLength").asInt()) {
      problems.add(at + " is longer than maxLength");
    }
    Pattern format = switch (s.path("format").asText("")) {
      case "date" -> DATE;
      case "date-time" -> DATE_TIME;
      case "email" -> EMAIL;
      case "uuid" -> UUID;
      default -> null;
    };
    if (format != null && !format.matcher(v).matches()) {
      problems.add(at + " = " + v + " is not a " + s.get("format").asText());
    }
  }

  private void number(JsonNode s, double v, String at) {
    if (s.has("minimum") && v < s.get("minimum").asDouble()
        || s.has("exclusiveMinimum") && v <= s.get("exclusiveMinimum").asDouble()
        || s.has("maximum") && v > s.get("maximum").asDouble()
        || s.has("exclusiveMaximum") && v >= s.get("exclusiveMaximum").asDouble()) {
      problems.add(at + " = " + v + " is out of bounds");
    }
    double m = s.path("multipleOf").asDouble(0);
    if (m > 0 && Math.abs(v / m - Math.rint(v / m)) > 1e-9) {
      problems.add(at + " = " + v + " is not a multiple of " + m);
    }
  }
}
