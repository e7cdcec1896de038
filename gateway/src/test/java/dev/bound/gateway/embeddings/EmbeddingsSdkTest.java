package dev.bound.gateway.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.bound.gateway.Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK asks Bound for a batch of which some items are stored. */
class EmbeddingsSdkTest {
  @TempDir Path data;

  private static OpenAIClient client(String baseUrl) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-embed").maxRetries(0)
        .timeout(Duration.ofSeconds(30)).build();
  }

  private static EmbeddingCreateParams params(List<String> input) {
    return EmbeddingCreateParams.builder().model("text-embedding-3-small")
        .inputOfArrayOfStrings(input).build();
  }

  @Test
  void partialHit_throughTheSdk_equalsADirectCall() {
    List<String> all = List.of("sdk first", "sdk second", "sdk third", "sdk fourth");
    try (FakeEmbeddings upstream = new FakeEmbeddings();
        Harness bound = new Harness(data, upstream.url(), Map.of())) {
      OpenAIClient viaBound = client(bound.base());
      viaBound.embeddings().create(params(List.of(all.get(0), all.get(2))));
      int items = upstream.items.get();

      HttpResponseFor<CreateEmbeddingResponse> r =
          viaBound.embeddings().withRawResponse().create(params(all));
      CreateEmbeddingResponse answer = r.parse();

      assertEquals("HIT-PARTIAL", r.headers().values("X-Bound-Cache").get(0));
      assertEquals("2/4", r.headers().values("X-Bound-Embeddings-Cached").get(0));
      assertEquals(items + 2, upstream.items.get());
      CreateEmbeddingResponse direct = client(upstream.url().toString()).embeddings()
          .create(params(all));
      assertEquals(vectors(direct), vectors(answer));
      assertEquals(List.of(0L, 1L, 2L, 3L), answer.data().stream().map(Embedding::index)
          .toList());
      assertEquals(direct.usage().promptTokens() / 2, answer.usage().promptTokens());
      assertEquals("text-embedding-3-small", answer.model());
    }
  }

  private static List<List<Float>> vectors(CreateEmbeddingResponse r) {
    return r.data().stream().map(Embedding::embedding).toList();
  }
}
