package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final JsonNodeFactory F = Json.MAPPER.getNodeFactory();

  /**
   * The canonical form as Bound wrote it until 2026-12-01, key by key. Every scope and stored key
   * in existing stores was hashed from this text, so the writer that replaced it must give the
   * same text for every tree.
   */
  private static String keyByKey(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    keyByKey(node, sb);
    return sb.toString();
  }

  private static void keyByKey(JsonNode node, StringBuilder sb) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      sb.append('{');
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(F.textNode(fields.get(i).getKey()).toString()).append(':');
        keyByKey(fields.get(i).getValue(), sb);
      }
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        keyByKey(node.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(node.toString());
    }
  }

  @Test
  void canonical_isTheKeyByKeyForm_onRandomTrees() {
    Random r = new Random(20261201);
    for (int i = 0; i < 3_000; i++) {
      JsonNode tree = randomTree(r, 0);
      assertEquals(keyByKey(tree), Json.canonical(tree), "tree " + i);
    }
  }

  @Test
  void canonical_ofAParsedRequest_isTheKeyByKeyForm() throws Exception {
    JsonNode n = Json.MAPPER.readTree("{\"z\":[1,2.5,-0.0,1e300,12345678901234567890,"
        + "{\"b\":null,\"a\":true}],\"model\":\"m\",\"\\u00e9t\\u00e9\":\"caf\\u00e9 \\\"q\\\" "
        + "\\\\ \\n\\t\\u0001\\u007f/\\ud83d\\ude00\",\"A\":{},\"a\":[]}");
    assertEquals(keyByKey(n), Json.canonical(n));
    // Computed with the key-by-key writer before it was replaced: stored keys depend on it.
    assertEquals("109f51b4cf3bb03898d320a591b790f6ba833605eafdf7afadc23a7b57df3676",
        Json.sha256(Json.canonical(n)));
  }

  private static JsonNode randomTree(Random r, int depth) {
    int kind = depth >= 4 ? 2 + r.nextInt(9) : r.nextInt(11);
    return switch (kind) {
      case 0 -> {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
          o.set(randomText(r), randomTree(r, depth + 1));
        }
        yield o;
      }
      case 1 -> {
        ArrayNode a = F.arrayNode();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.add(randomTree(r, depth + 1));
        }
        yield a;
      }
      case 2 -> F.textNode(randomText(r));
      case 3 -> F.numberNode(r.nextInt());
      case 4 -> F.numberNode(r.nextLong());
      case 5 -> F.numberNode(switch (r.nextInt(6)) {
        case 0 -> 0.1 * r.nextInt(100);
        case 1 -> -0.0;
        case 2 -> Double.MAX_VALUE;
        case 3 -> Double.MIN_VALUE;
        case 4 -> 1e21;
        default -> r.nextGaussian();
      });
      case 6 -> F.numberNode(new BigInteger(90, r));
      case 7 -> F.numberNode(new BigDecimal(new BigInteger(70, r), r.nextInt(30) - 10));
      case 8 -> F.booleanNode(r.nextBoolean());
      case 9 -> F.nullNode();
      default -> F.numberNode(r.nextFloat());
    };
  }

  /** Text with what a writer must escape or pass through: quotes, controls, non-ASCII, emoji. */
  private static String randomText(Random r) {
    String pool = "aZ09 _-\"\\/\n\t\r\b\f\u0000\u0001\u001f\u007f\u00e9\u00a0\u2028\u4e2d";
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      if (r.nextInt(10) == 0) {
        sb.append("\ud83d\ude00");
      } else {
        sb.append(pool.charAt(r.nextInt(pool.length())));
      }
    }
    return sb.toString();
  }

  @Test
  void text_escapesWhatUtf8CannotCarryAlone_andWrittenGivesTheSameText() {
    // An emoji and a lone surrogate: as escapes, so the text survives encoding to bytes.
    String odd = "a\ud83d\ude00b\ud800c\u00e9";
    ObjectNode tree = F.objectNode().put("k", odd).put("n", 1.5);
    String text = Json.text(tree);
    assertEquals("{\"k\":\"a\\uD83D\\uDE00b\\uD800c\u00e9\",\"n\":1.5}", text);
    assertEquals(text, Json.written(g -> {
      g.writeStartObject();
      g.writeStringField("k", odd);
      g.writeNumberField("n", 1.5);
      g.writeEndObject();
    }));
  }
}
