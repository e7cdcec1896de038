package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Embeddings, {@code POST /v1/embeddings}: deterministic unit vectors in OpenAI's shape. */
class EmbeddingsTest {
  SimulatedUpstream sim;
  SimClient client;

  @BeforeEach
  void start() {
    sim = SimulatedUpstream.start(Duration.ZERO, 0);
    client = new SimClient(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  JsonNode embed(String input, String more) {
    return client.json("/embeddings", "{\"model\":\"sim-embed\",\"input\":" + input + more + "}");
  }

  static float[] floats(JsonNode embedding) {
    float[] v = new float[embedding.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) embedding.get(i).asDouble();
    }
    return v;
  }

  static double dot(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      d += (double) a[i] * b[i];
    }
    return d;
  }

  @Test
  void embed_oneString_hasOpenAisShapeAndAUnitVector() {
    JsonNode r = embed("\"What is a cache?\"", "");
    assertEquals("list", r.path("object").asText());
    assertEquals("sim-embed", r.path("model").asText());
    assertEquals(1, r.path("data").size());
    JsonNode e = r.at("/data/0");
    assertEquals("embedding", e.path("object").asText());
    assertEquals(0, e.path("index").asInt());
    float[] v = floats(e.path("embedding"));
    assertEquals(384, v.length);
    assertEquals(1.0, dot(v, v), 1e-5);
    assertEquals(SimClient.parse("{\"prompt_tokens\":5,\"total_tokens\":5}"), r.path("usage"));
  }

  @Test
  void embed_sameInput_sameVector_otherInput_unrelated() {
    float[] a = floats(embed("\"What is a cache?\"", "").at("/data/0/embedding"));
    float[] again = floats(embed("\"What is a cache?\"", "").at("/data/0/embedding"));
    float[] b = floats(embed("\"What is a cache ?\"", "").at("/data/0/embedding"));
    assertArrayEquals(a, again);
    assertTrue(Math.abs(dot(a, b)) < 0.3, "cosine " + dot(a, b));
  }

  @Test
  void embed_batch_keepsOrderAndMatchesSingleRequests() {
    JsonNode r = embed("[\"alpha\",\"beta\",\"gamma\"]", "");
    assertEquals(3, r.path("data").size());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, r.at("/data/" + i + "/index").asInt());
    }
    assertArrayEquals(floats(embed("\"beta\"", "").at("/data/0/embedding")),
        floats(r.at("/data/1/embedding")));
    assertEquals(3, r.at("/usage/prompt_tokens").asInt());
  }

  @Test
  void embed_dimensions_shortensAndRenormalises() {
    float[] full = floats(embed("\"alpha\"", "").at("/data/0/embedding"));
    float[] short64 = floats(embed("\"alpha\"", ",\"dimensions\":64").at("/data/0/embedding"));
    assertEquals(64, short64.length);
    assertEquals(1.0, dot(short64, short64), 1e-5);
    float[] prefix = Arrays.copyOf(full, 64);
    double prefixNorm = Math.sqrt(dot(prefix, prefix));
    assertEquals(1.0, dot(full, short64) / prefixNorm, 1e-5); // the same direction
  }

  @Test
  void embed_base64_isLittleEndianFloat32() {
    float[] plain = floats(embed("\"alpha\"", ",\"dimensions\":16").at("/data/0/embedding"));
    JsonNode r = embed("\"alpha\"", ",\"dimensions\":16,\"encoding_format\":\"base64\"");
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder()
        .decode(r.at("/data/0/embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
    float[] decoded = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(decoded);
    assertArrayEquals(plain, decoded);
  }

  @Test
  void embed_tokenIds_areOneItemAndTokenArraysOneEach() {
    JsonNode one = embed("[1,2,3]", "");
    assertEquals(1, one.path("data").size());
    assertEquals(3, one.at("/usage/prompt_tokens").asInt());
    JsonNode two = embed("[[1,2,3],[4]]", "");
    assertEquals(2, two.path("data").size());
    assertArrayEquals(floats(one.at("/data/0/embedding")), floats(two.at("/data/0/embedding")));
    assertEquals(4, two.at("/usage/total_tokens").asInt());
  }

  @Test
  void embeddedItems_countsEveryItemOfEveryRequest() {
    assertEquals(0, sim.embeddedItems());
    embed("\"alpha\"", "");
    embed("[\"a\",\"b\",\"c\"]", "");
    embed("[[1],[2]]", "");
    assertEquals(6, sim.embeddedItems());
    assertEquals(3, sim.calls());
    assertEquals(400, client.post("/embeddings", "{\"model\":\"m\",\"input\":[]}").statusCode());
    assertEquals(6, sim.embeddedItems());
    assertEquals(3, sim.calls());
  }

  @Test
  void embed_badRequests_sayWhatIsWrong() {
    assertEquals("'dimensions' must be an integer from 1 to 16384",
        refusal("{\"model\":\"m\",\"input\":\"a\",\"dimensions\":0}"));
    assertEquals("'encoding_format' must be 'float' or 'base64'",
        refusal("{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"hex\"}"));
    String input = "'input' must be a string, an array of strings, an array of token ids or an "
        + "array of arrays of token ids, none of them empty";
    assertEquals(input, refusal("{\"model\":\"m\",\"input\":[1,\"a\"]}"));
    assertEquals(input, refusal("{\"model\":\"m\",\"input\":\"\"}"));
    assertEquals(input, refusal("{\"model\":\"m\"}"));
  }

  String refusal(String body) {
    var r = client.post("/embeddings", body);
    assertEquals(400, r.statusCode());
    return SimClient.parse(r.body()).at("/error/message").asText();
  }

  @Test
  void officialSdk_readsTheVectors() {
    CreateEmbeddingResponse r = client.openAi().embeddings().create(EmbeddingCreateParams
        .builder().model("sim-embed").inputOfArrayOfStrings(List.of("alpha", "beta"))
        .dimensions(8).build());
    r.validate();
    assertEquals(2, r.data().size());
    List<Float> sdk = r.data().get(1).embedding();
    float[] raw = floats(embed("\"beta\"", ",\"dimensions\":8").at("/data/0/embedding"));
    for (int i = 0; i < raw.length; i++) {
      assertEquals(raw[i], sdk.get(i), 0f);
    }
  }
}
