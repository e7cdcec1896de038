package dev.bound.models;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** An {@link Embedder} over a DJL model, sharing one ONNX session among a fixed set of predictors. */
final class DjlEmbedder implements Embedder {

    /** Bounds the padded tensor of one forward pass; texts beyond this go in further passes. */
    static final int MAX_BATCH = 64;
    /** Floats this close count as equal when checking that batching does not change results. */
    static final float BATCH_TOLERANCE = 1e-4f;
    private static final List<String> PROBES =
            List.of("probe", "a longer probe sentence, so that the batch needs padding");

    private final String name;
    private final ZooModel<String, float[]> model;
    // DJL predictors keep per-call native state, so each is used by one thread at a time.
    private final BlockingQueue<Predictor<String, float[]>> predictors;
    // Read side: calls in progress; write side: close, so resources are not freed under a running call.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final int dimension;
    private final int maxTokens;
    private final boolean batchesExactly;
    private final HuggingFaceTokenizer tokenizer;
    private boolean closed;

    /**
     * @param maxTokens the tokens the model reads; longer texts are cut before tokenizing
     *     ({@link ModelInput#readable})
     * @param tokenizer the model's translator's tokenizer, closed with the model (null when the
     *     translator owns its own)
     */
    DjlEmbedder(String name, ZooModel<String, float[]> model, int predictorCount, int maxTokens,
            HuggingFaceTokenizer tokenizer) {
        this.name = name;
        this.model = model;
        this.maxTokens = maxTokens;
        this.tokenizer = tokenizer;
        this.predictors = new ArrayBlockingQueue<>(predictorCount);
        for (int i = 0; i < predictorCount; i++) {
            predictors.add(model.newPredictor());
        }
        List<float[]> alone = PROBES.stream().map(this::embed).toList();
        this.dimension = alone.get(0).length;
        this.batchesExactly = sameVectors(alone, run(predictor -> predictor.batchPredict(PROBES)));
    }

    private static boolean sameVectors(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            if (x.length != y.length) {
                return false;
            }
            for (int j = 0; j < x.length; j++) {
                if (Math.abs(x[j] - y[j]) > BATCH_TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /**
     * Whether a batched forward pass gives the same vectors as one pass per text. Dynamically
     * quantized models (both built-ins) fail this: they pick one quantization scale per input
     * tensor, so each text's vector would depend on the other texts in its batch.
     */
    boolean batchesExactly() {
        return batchesExactly;
    }

    @Override
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        String read = ModelInput.readable(text, maxTokens);
        return run(predictor -> predictor.predict(read));
    }

    @Override
    public List<float[]> embedAll(List<String> all) {
        all.forEach(t -> Objects.requireNonNull(t, "texts must not contain null"));
        if (all.isEmpty()) {
            return List.of();
        }
        List<String> texts = all.stream().map(t -> ModelInput.readable(t, maxTokens)).toList();
        return run(predictor -> {
            List<float[]> out = new ArrayList<>(texts.size());
            if (!batchesExactly) {
                // A cache must give a prompt the same vector however it arrives, so consistency wins over speed.
                for (String text : texts) {
                    out.add(predictor.predict(text));
                }
                return out;
            }
            for (int from = 0; from < texts.size(); from += MAX_BATCH) {
                out.addAll(predictor.batchPredict(texts.subList(from, Math.min(texts.size(), from + MAX_BATCH))));
            }
            return out;
        });
    }

    private <T> T run(Call<T> call) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("embedder '" + name + "' is closed");
            }
            Predictor<String, float[]> predictor = predictors.take();
            try {
                return call.apply(predictor);
            } finally {
                predictors.add(predictor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedder '" + name + "'", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("embedding with model '" + name + "' failed: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            predictors.forEach(Predictor::close);
            predictors.clear();
            model.close();
            if (tokenizer != null) {
                tokenizer.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T apply(Predictor<String, float[]> predictor) throws TranslateException;
    }
}
