package dev.bound.index.docs;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the subset documents use: objects, arrays, strings,
 * integers up to 2^53-1, booleans and null. Floating-point numbers are refused rather than
 * formatted, since nothing signed needs them and their ECMAScript formatting is the one hard part
 * of the scheme. The one maintained-looking Maven Central artifact
 * (io.github.erdtman:java-json-canonicalization 1.1) dates from 2018 and follows a draft, so this
 * short writer is kept here and pinned by tests instead.
 */
final class Jcs {

  private static final BigInteger MAX = BigInteger.valueOf(Checks.MAX_SAFE_INTEGER);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Jcs() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  static String string(JsonNode node) {
    StringBuilder out = new StringBuilder(256);
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        // String.compareTo orders by UTF-16 code units, which is exactly the order RFC 8785 asks.
        Map<String, JsonNode> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          sorted.put(e.getKey(), e.getValue());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          writeString(e.getKey(), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new IllegalArgumentException(
              "canonical JSON here holds integers only, not " + node.asText());
        }
        BigInteger v = node.bigIntegerValue();
        if (v.abs().compareTo(MAX) > 0) {
          throw new IllegalArgumentException(
              "canonical JSON here holds integers up to 2^53-1 in magnitude, not " + v);
        }
        out.append(v);
      }
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default ->
          throw new IllegalArgumentException("no canonical JSON for a " + node.getNodeType());
    }
  }

  /**
   * RFC 8785 section 3.2.2.2: only the quote, the backslash and control characters are escaped,
   * with the two-character forms where JSON has one and lower-case \\u00xx otherwise.
   */
  static void writeString(String s, StringBuilder out) {
    Checks.wellFormed(s, "string");
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
