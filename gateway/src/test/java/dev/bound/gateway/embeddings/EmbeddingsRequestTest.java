package dev.bound.gateway.embeddings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the embeddings cache that need no server: parsing, keys, sub-batches, shares. */
class EmbeddingsRequestTest {
  private static EmbeddingsRequest parse(String body) {
    return EmbeddingsRequest.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(byte[] b) throws Exception {
    return Json.MAPPER.readTree(b);
  }

  @Test
  void apportion_addsUpAndFollowsTheWeights() {
    assertArrayEquals(new long[] {1, 2, 3}, EmbeddingsRequest.apportion(6, new long[] {1, 2, 3}));
    assertArrayEquals(new long[] {4, 3, 3}, EmbeddingsRequest.apportion(10, new long[] {1, 1, 1}));
    assertArrayEquals(new long[] {0, 1}, EmbeddingsRequest.apportion(1, new long[] {1, 2}));
    assertArrayEquals(new long[] {1, 1}, EmbeddingsRequest.apportion(2, new long[] {0, 0}));
    assertArrayEquals(new long[] {0, 0}, EmbeddingsRequest.apportion(0, new long[] {5, 5}));
    long[] many = EmbeddingsRequest.apportion(1001, new long[] {7, 13, 29, 1, 50});
    assertEquals(1001, java.util.Arrays.stream(many).sum());
  }

  @Test
  void tokenShares_tokenArraysCountTheirIds() {
    EmbeddingsRequest r = parse("{\"model\":\"m\",\"input\":[[1,2,3],[4],[5,6,7,8,9,10]]}");
    assertArrayEquals(new long[] {3, 6}, r.tokenShares(List.of(0, 2), 9));
  }

  @Test
  void bodyWith_keepsOtherFields_andTheShapeOfALoneItem() throws Exception {
    EmbeddingsRequest batch = parse("{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"],"
        + "\"dimensions\":4,\"user\":\"u\"}");
    assertEquals(json("{\"model\":\"m\",\"input\":[\"c\",\"a\"],\"dimensions\":4,\"user\":\"u\"}"
        .getBytes(StandardCharsets.UTF_8)), json(batch.bodyWith(List.of(2, 0))));
    EmbeddingsRequest lone = parse("{\"model\":\"m\",\"input\":[7,8,9]}");
    assertEquals(1, lone.items.size());
    assertEquals(json("{\"model\":\"m\",\"input\":[7,8,9]}".getBytes(StandardCharsets.UTF_8)),
        json(lone.bodyWith(List.of(0))));
  }

  @Test
  void keys_ignoreUserAndKeyOrder_butNotTheEncoding() {
    String a = parse("{\"model\":\"m\",\"input\":\"x\",\"user\":\"u\"}").keys("t").get(0);
    String b = parse("{\"input\":[\"x\"],\"model\":\"m\",\"encoding_format\":\"float\"}")
        .keys("t").get(0);
    String c = parse("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"base64\"}")
        .keys("t").get(0);
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertNotEquals(a, parse("{\"model\":\"m\",\"input\":\"x\"}").keys("t2").get(0));
    // A text and a token array never share a key, even when they print alike.
    assertNotEquals(parse("{\"model\":\"m\",\"input\":[\"1\"]}").keys("t").get(0),
        parse("{\"model\":\"m\",\"input\":[[1]]}").keys("t").get(0));
  }

  @Test
  void decision_followsTheHeaders() {
    assertEquals(new EmbeddingsDecision(true, true, null),
        EmbeddingsDecision.of(true, null, null));
    assertEquals(new EmbeddingsDecision(false, true, "Cache-Control: no-cache"),
        EmbeddingsDecision.of(true, "No-Cache", null));
    assertEquals(new EmbeddingsDecision(true, false, null),
        EmbeddingsDecision.of(true, "no-store", null));
    assertEquals(new EmbeddingsDecision(false, false, "X-Bound-Cache: off"),
        EmbeddingsDecision.of(true, null, " OFF "));
    assertEquals(new EmbeddingsDecision(false, false, "cache.enabled is false"),
        EmbeddingsDecision.of(false, null, null));
  }

  @Test
  void inOrder_sortsByIndex_andRefusesAnythingElse() throws Exception {
    // One as floats, one as base64 (encoding_format: base64; 4 bytes, one float).
    JsonNode ok = json(("{\"data\":[{\"index\":1,\"embedding\":[0.5,0.25]},"
        + "{\"index\":0,\"embedding\":\"AACAPw==\"}]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("\"AACAPw==\"", "[0.5,0.25]"), StoredEmbedding.inOrder(ok, 2).stream()
        .map(e -> e.get("embedding").toString()).toList());
    assertNull(StoredEmbedding.inOrder(ok, 3));
    for (String bad : new String[] {"\"oops\"", "[]", "[1,\"x\",null]", "[[1]]", "{\"a\":1}",
        "\"AAAA\""}) {
      assertNull(StoredEmbedding.inOrder(json(("{\"data\":[{\"index\":0,\"embedding\":" + bad
          + "}]}").getBytes(StandardCharsets.UTF_8)), 1), bad);
    }
    JsonNode twice = json(("{\"data\":[{\"index\":0,\"embedding\":[1]},"
        + "{\"index\":0,\"embedding\":[2]}]}").getBytes(StandardCharsets.UTF_8));
    assertNull(StoredEmbedding.inOrder(twice, 2));
    JsonNode none = json("{\"data\":[{\"index\":0}]}".getBytes(StandardCharsets.UTF_8));
    assertNull(StoredEmbedding.inOrder(none, 1));
  }
}
