package dev.bound.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.models.Embedder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The primary embedder as the matcher's slot check sees it, with the vectors of the texts it
 * embedded kept. The slots it compares are short and recur: prompts made from one template differ
 * in the same few fillings ("…, bitter and snarky." / "…, gracious and kind."), so a query is
 * checked against each of its candidates with the same slot of its own, and a stored prompt's slot
 * comes back with every query near it. Each slot pair costs about as much as embedding a whole
 * prompt (two short texts, 2.9–3.9 ms on two cores), and a lookup may check five candidates.
 *
 * <p>Thread-safe. The vectors handed out are shared: callers read them and never write. Closing
 * it leaves the wrapped embedder open; its owner closes that.
 */
final class SlotVectors implements Embedder {

  /** Texts whose vectors are kept: about 15 MB at 384 dimensions. */
  static final int KEPT = 10_000;

  private final Embedder model;
  private final Cache<String, float[]> vectors = Caffeine.newBuilder().maximumSize(KEPT).build();

  SlotVectors(Embedder model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public float[] embed(String text) {
    return vectors.get(text, model::embed);
  }

  /** The texts not kept yet are embedded together, in one call to the model. */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    Map<String, float[]> found = vectors.getAll(texts, missing -> {
      List<String> todo = List.copyOf(missing);
      List<float[]> embedded = model.embedAll(todo);
      Map<String, float[]> out = new HashMap<>();
      for (int i = 0; i < todo.size(); i++) {
        out.put(todo.get(i), embedded.get(i));
      }
      return out;
    });
    return texts.stream().map(found::get).toList();
  }

  /** Forgets the kept vectors; the wrapped embedder stays open. */
  @Override
  public void close() {
    vectors.invalidateAll();
  }
}
