package dev.bound.models;

import java.util.List;

/**
 * Turns text into unit-length dense vectors so that cosine similarity is a plain dot product.
 * Implementations are thread-safe and hold native resources until {@link #close()}.
 */
public interface Embedder extends AutoCloseable {

    /** The model name, as given in its {@link EmbeddingModelSpec}. */
    String name();

    /** The length of every vector this embedder returns. */
    int dimension();

    /**
     * Embeds one text; input longer than the model's token limit is truncated.
     *
     * @throws IllegalStateException if the embedder is closed or inference fails
     */
    float[] embed(String text);

    /**
     * Embeds several texts in as few forward passes as possible; element {@code i} of the result
     * matches {@code embed(texts.get(i))} within float tolerance.
     *
     * @throws IllegalStateException if the embedder is closed or inference fails
     */
    List<float[]> embedAll(List<String> texts);

    /** Releases the model; waits for calls in progress, and later calls fail. */
    @Override
    void close();
}
