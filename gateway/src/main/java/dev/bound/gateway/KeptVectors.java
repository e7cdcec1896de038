package dev.bound.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.models.Embedder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An embedder with the vectors of the texts it embedded kept, up to a number of bytes (each
 * text's characters and its vector counted; Caffeine's eviction, by how often and how lately a
 * text was asked, picks what goes). One model pass gives the same vector for the same text, so
 * keeping it changes no decision; it only saves the pass when a text comes back. Texts come
 * back in two places:
 *
 * <ul>
 *   <li>The slots the matcher compares ({@link #SLOTS}). They are short and recur: prompts made
 *       from one template differ in the same few fillings ("…, bitter and snarky." / "…,
 *       gracious and kind."), so a query is checked against each of its candidates with the
 *       same slot of its own, and a stored prompt's slot comes back with every query near it.
 *       Each slot pair costs about as much as embedding a whole prompt (two short texts, 2.9–3.9
 *       ms on two cores), and a lookup may check five candidates.
 *   <li>Whole prompts that are looked up but are not exact hits ({@code cache.prompt-vectors},
 *       8 MiB per model by default, about 4,500 prompts of 100 characters): a paraphrase
 *       served from another prompt's answer is not stored under its own words, so the same
 *       wording asked again is embedded again by both models; so is a prompt sent with {@code
 *       Cache-Control: no-store}, or one shed and asked again. The second model's also sees the
 *       stored candidates' texts, whose prepared form {@link Matching} keeps by entry, so they
 *       are not asked again; Caffeine's eviction weighs how often a text was asked, so these,
 *       asked once, are the likelier to go.
 * </ul>
 *
 * <p>Thread-safe. The vectors handed out are shared: callers read them and never write. Closing
 * it leaves the wrapped embedder open; its owner closes that.
 */
final class KeptVectors implements Embedder {

  /** Bytes of slots kept: about 10,000 short texts at 384 dimensions. */
  static final long SLOTS = 16L << 20;
  /** What an entry costs beyond its text and vector: the cache's node and both headers. */
  private static final int OVERHEAD = 96;

  private final Embedder model;
  private final Cache<String, float[]> vectors;

  KeptVectors(Embedder model, long bytes) {
    this.model = Objects.requireNonNull(model, "model");
    this.vectors = Caffeine.newBuilder().maximumWeight(bytes)
        .weigher((String text, float[] v) -> OVERHEAD + 2 * text.length() + 4 * v.length)
        .build();
  }

  /** {@code model} with up to {@code bytes} of its vectors kept, or itself for 0. */
  static Embedder of(Embedder model, long bytes) {
    return bytes == 0 ? model : new KeptVectors(model, bytes);
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

  /** What the kept vectors and their texts weigh now, in bytes as counted against the bound. */
  long keptBytes() {
    return vectors.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  /** How many texts have their vector kept now. */
  long count() {
    return vectors.estimatedSize();
  }

  /** Runs the cache's pending evictions now (tests). */
  void cleanUp() {
    vectors.cleanUp();
  }

  /** Forgets the kept vectors; the wrapped embedder stays open. */
  @Override
  public void close() {
    vectors.invalidateAll();
  }
}
