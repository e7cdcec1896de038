package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Makes malformed requests from valid ones: values of the wrong type, huge numbers, deep
 * nesting, missing and extra fields, invalid UTF-8, random bytes, cut bodies and odd headers.
 * The same index always gives the same request, so a failure can be replayed from its number.
 */
final class RequestFuzz {
  /** One request to send. */
  record Case(String method, String path, String headers, byte[] body) {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[][] SEEDS = {
      {"/v1/chat/completions", "{\"model\":\"fake\",\"temperature\":0,\"messages\":[{\"role\":"
          + "\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"What is "
          + "a fuzzer?\"}],\"max_tokens\":50}"},
      {"/v1/chat/completions", "{\"model\":\"fake\",\"temperature\":0,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
          + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":"
          + "{\"type\":\"object\"}}}]}"},
      {"/v1/completions", "{\"model\":\"fake\",\"temperature\":0,\"prompt\":\"Say hi\"}"},
      {"/v1/responses", "{\"model\":\"fake\",\"temperature\":0,\"input\":[{\"role\":\"user\","
          + "\"content\":\"What is a fuzzer?\"}],\"instructions\":\"Be brief.\"}"},
      {"/v1/messages", "{\"model\":\"fake\",\"temperature\":0,\"max_tokens\":50,\"system\":"
          + "\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"What is a fuzzer?\"}]}]}"},
      {"/v1/embeddings", "{\"model\":\"fake\",\"input\":[\"one\",\"two\"]}"},
      {"/v1/feedback", "{\"id\":\"chatcmpl-x\",\"rating\":\"good\"}"},
  };
  private static final String[] ODD_HEADERS = {
      "X-Bound-Threshold: -1", "X-Bound-Threshold: 2", "X-Bound-Threshold: abc",
      "X-Bound-Threshold: 0.5", "X-Bound-Threshold: NaN", "Cache-Control: no-store",
      "Cache-Control: max-age=abc", "Cache-Control: no-cache, no-cache", "X-Bound-Cache: BYPASS",
      "X-Bound-Cache: \u00ff\u00fe", "X-Bound-Namespace: " + "n".repeat(3000),
      "X-Bound-Namespace: \u00e9t\u00e9", "Authorization: Bearer", "Authorization: \u00ff",
      "x-api-key: ", "Accept-Encoding: gzip, br", "Accept: text/event-stream",
      "Origin: http://127.0.0.1", "Expect: 100-continue", "Content-Encoding: gzip",
      "Cache-Control: " + "x,".repeat(500),
  };
  private static final String[] CONTENT_TYPES = {
      "application/json", "application/json; charset=utf-8", "application/json; charset=latin1",
      "text/plain", "", "application/vnd.api+json", "application/json;;;",
      "multipart/form-data; boundary=x",
  };

  private final long seed;

  RequestFuzz(long seed) {
    this.seed = seed;
  }

  Case make(int index) {
    Random r = new Random(seed * 1_000_003L + index);
    String[] s = SEEDS[r.nextInt(SEEDS.length)];
    String path = r.nextInt(30) == 0 ? "/v1/" + word(r) : s[0];
    byte[] body = r.nextInt(4) == 0 ? bytes(r, s[1]) : tree(r, s[1]);
    StringBuilder h = new StringBuilder("Host: 127.0.0.1\r\n");
    String type = r.nextInt(5) == 0 ? CONTENT_TYPES[r.nextInt(CONTENT_TYPES.length)]
        : "application/json";
    if (!type.isEmpty()) {
      h.append("Content-Type: ").append(type).append("\r\n");
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      h.append(ODD_HEADERS[r.nextInt(ODD_HEADERS.length)]).append("\r\n");
    }
    String method = r.nextInt(25) == 0 ? "GET" : "POST";
    return new Case(method, path, h.toString(), body);
  }

  /** Structural mutations of the parsed seed, one to three of them. */
  private static byte[] tree(Random r, String seedJson) {
    JsonNode root = Json.parseOrNull(seedJson.getBytes(StandardCharsets.UTF_8));
    for (int n = 1 + r.nextInt(3); n > 0; n--) {
      List<ObjectNode> objects = new ArrayList<>();
      collect(root, objects);
      ObjectNode o = objects.get(r.nextInt(objects.size()));
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.isEmpty() || r.nextInt(4) == 0 ? word(r)
          : names.get(r.nextInt(names.size()));
      if (r.nextInt(4) == 0) {
        o.remove(name);
      } else {
        o.set(name, value(r, 0));
      }
    }
    return Json.bytes(root);
  }

  private static void collect(JsonNode n, List<ObjectNode> out) {
    if (n instanceof ObjectNode o) {
      out.add(o);
    }
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      collect(it.next(), out);
    }
  }

  private static JsonNode value(Random r, int depth) {
    return switch (r.nextInt(depth > 2 ? 8 : 11)) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(r.nextBoolean());
      case 2 -> F.numberNode(r.nextInt(5) == 0 ? Long.MIN_VALUE : r.nextLong());
      case 3 -> F.numberNode(new java.math.BigDecimal("1e" + (300 + r.nextInt(100000))));
      case 4 -> F.numberNode(r.nextDouble() * 4 - 1);
      case 5 -> F.textNode(word(r));
      case 6 -> F.textNode("\u0000\ud800\uffff" + "z".repeat(r.nextInt(3) == 0 ? 200_000 : 3));
      case 7 -> F.textNode(r.nextBoolean() ? "user" : "assistant");
      case 8 -> {
        ArrayNode a = F.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth + 1));
        }
        yield a;
      }
      case 9 -> {
        ObjectNode o = F.objectNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.set(r.nextBoolean() ? "role" : word(r), value(r, depth + 1));
        }
        yield o;
      }
      default -> {
        JsonNode deep = F.textNode("bottom");
        for (int i = 100 + r.nextInt(200); i > 0; i--) { // three at most stay under 1,000
          deep = r.nextBoolean() ? F.arrayNode().add(deep) : F.objectNode().set("a", deep);
        }
        yield deep;
      }
    };
  }

  /** Byte-level mutations: cut, flipped or inserted bytes, invalid UTF-8, or noise. */
  private static byte[] bytes(Random r, String seedJson) {
    byte[] b = seedJson.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (r.nextInt(7)) {
      case 0 -> out.writeBytes(java.util.Arrays.copyOf(b, r.nextInt(b.length)));
      case 1 -> {
        byte[] noise = new byte[r.nextInt(2000)];
        r.nextBytes(noise);
        out.writeBytes(noise);
      }
      case 2 -> {
        int at = r.nextInt(b.length);
        out.write(b, 0, at);
        out.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED});
        out.write(b, at, b.length - at);
      }
      case 3 -> {
        for (int i = r.nextInt(5); i >= 0; i--) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        out.writeBytes(b);
      }
      case 4 -> out.writeBytes(("[".repeat(5000 + r.nextInt(100_000))).getBytes(
          StandardCharsets.UTF_8));
      case 5 -> out.writeBytes(seedJson.replaceFirst("\\{", "{\"model\":\"a\",")
          .getBytes(StandardCharsets.UTF_8)); // a key given twice
      default -> { } // empty body
    }
    return out.toByteArray();
  }

  private static String word(Random r) {
    String[] words = {"model", "messages", "content", "stream", "input", "tools", "n",
        "temperature", "max_tokens", "response_format", "stop", "x", "__proto__", "role"};
    return words[r.nextInt(words.length)];
  }
}
