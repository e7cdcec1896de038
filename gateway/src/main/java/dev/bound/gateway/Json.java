package dev.bound.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** JSON helpers shared by the request path: one mapper, canonical form, hashing. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static {
    // Nesting deeper than any real request is a sign of abuse, not of a conversation.
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(200).build());
  }

  /**
   * Reads what clients send. A key given twice is refused: Bound and the upstream might each take
   * a different one, and the answer stored would then not be the answer to the request scoped.
   */
  public static final ObjectReader REQUEST_READER =
      MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(JsonNode node) {
    return new String(bytes(node), StandardCharsets.UTF_8);
  }

  /** The error body of the OpenAI API. */
  public static byte[] error(String message, String type, String param, String code) {
    ObjectNode err = object();
    err.put("message", message);
    err.put("type", type);
    err.put("param", param);
    err.put("code", code);
    ObjectNode root = object();
    root.set("error", err);
    return bytes(root);
  }

  /**
   * Writes a node with object keys sorted, so two requests that differ only in key order hash
   * alike. Numbers keep Jackson's own text, which is stable for equal inputs.
   */
  public static String canonical(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    canonical(node, sb);
    return sb.toString();
  }

  private static void canonical(JsonNode node, StringBuilder sb) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      sb.append('{');
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(MAPPER.getNodeFactory().textNode(fields.get(i).getKey()).toString()).append(':');
        canonical(fields.get(i).getValue(), sb);
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        canonical(node.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(node.toString());
    }
  }

  public static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses JSON, or returns null when the bytes are not JSON. */
  public static JsonNode parseOrNull(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
