package dev.bound.gateway;

import dev.bound.models.Embedder;
import dev.bound.models.Embedders;
import dev.bound.models.EmbeddingModelSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * A built-in embedding model opened on its first use, not at start: the second model that judges
 * prompts about software ({@code cache.software-second-model}) costs neither start-up time nor
 * memory where no such prompts come.
 */
final class LazyEmbedder implements Embedder {

  private final EmbeddingModelSpec spec;
  private final Path models;
  private volatile Embedder model;
  private boolean closed;

  LazyEmbedder(EmbeddingModelSpec spec, Path models) {
    this.spec = spec;
    this.models = models;
  }

  private Embedder model() {
    Embedder m = model;
    if (m != null) {
      return m;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("embedding model '" + spec.name() + "' is closed");
      }
      if (model == null) {
        model = Embedders.open(spec, models);
      }
      return model;
    }
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public int dimension() {
    return model().dimension();
  }

  @Override
  public float[] embed(String text) {
    return model().embed(text);
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    return model().embedAll(texts);
  }

  /** Closes the model if it was opened; later calls fail. */
  @Override
  public synchronized void close() {
    closed = true;
    if (model != null) {
      model.close();
    }
  }
}
