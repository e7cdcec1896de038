package dev.bound.models;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.translator.TextEmbeddingTranslatorFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens {@link Embedder}s from built-in or user-supplied ONNX models. */
public final class Embedders {

    private static final Logger LOG = LoggerFactory.getLogger(Embedders.class);

    static {
        // Must be set before DJL's classes initialise; otherwise DJL may try to reach the network.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private Embedders() {
    }

    /**
     * Loads a model; built-in models are first unpacked into {@code cacheDir/<name>/}.
     *
     * @throws IllegalArgumentException if a custom directory lacks the model or tokenizer file
     * @throws IllegalStateException if the files exist but cannot be loaded
     * @throws java.io.UncheckedIOException if a built-in model cannot be unpacked
     */
    public static Embedder open(EmbeddingModelSpec spec, Path cacheDir) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBuiltin()) {
            Objects.requireNonNull(cacheDir, "cacheDir is needed to unpack built-in models");
        }
        ModelFiles files = ModelFiles.resolve(spec, cacheDir);
        long start = System.nanoTime();
        ZooModel<String, float[]> model = load(spec, files);
        try {
            DjlEmbedder embedder = new DjlEmbedder(spec.name(), model, predictorCount(), spec.maxTokens());
            LOG.info("Loaded embedding model '{}' from {} ({} dimensions, {} pooling, {} tokens max, {}) in {} ms",
                    spec.name(), files.onnx(), embedder.dimension(), spec.pooling(), spec.maxTokens(),
                    embedder.batchesExactly() ? "batched" : "one pass per text, since batching changes its vectors",
                    (System.nanoTime() - start) / 1_000_000);
            return embedder;
        } catch (RuntimeException e) {
            model.close();
            throw new IllegalStateException("embedding model '" + spec.name() + "' at " + files.onnx()
                    + " loaded but cannot embed text: " + e.getMessage(), e);
        }
    }

    /**
     * The {@code tokenizer.json} of a model, unpacking a built-in model into {@code cacheDir/<name>/}
     * first; for tools that must see the model's own word pieces, such as a language guard.
     *
     * @throws IllegalArgumentException if a custom directory lacks the model or tokenizer file
     * @throws java.io.UncheckedIOException if a built-in model cannot be unpacked
     */
    public static Path tokenizerFile(EmbeddingModelSpec spec, Path cacheDir) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBuiltin()) {
            Objects.requireNonNull(cacheDir, "cacheDir is needed to unpack built-in models");
        }
        return ModelFiles.resolve(spec, cacheDir).directory().resolve(ModelFiles.TOKENIZER);
    }

    static ZooModel<String, float[]> load(EmbeddingModelSpec spec, ModelFiles files) {
        // One ONNX Runtime thread per session: the predictor pool already runs one session per
        // core, and sessions that each spread over every core fight for them (measured: 37 % more
        // semantic hits/s on 2 cores, see README Performance).
        Criteria<String, float[]> criteria = criteria(spec, files, "1");
        try {
            return criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IllegalStateException("cannot load embedding model '" + spec.name() + "' from " + files.onnx()
                    + " (tokenizer " + files.directory().resolve(ModelFiles.TOKENIZER) + "): " + e.getMessage(), e);
        }
    }

    /**
     * How a model is loaded; the thread count is a parameter so the benchmark can compare.
     *
     * @param intraOpThreads ONNX Runtime threads per session, or null for its own default
     */
    static Criteria<String, float[]> criteria(EmbeddingModelSpec spec, ModelFiles files, String intraOpThreads) {
        String maxTokens = Integer.toString(spec.maxTokens());
        Criteria.Builder<String, float[]> b = Criteria.builder()
                .setTypes(String.class, float[].class)
                .optModelPath(files.directory())
                .optModelName(files.modelName())
                .optEngine("OnnxRuntime")
                .optTranslatorFactory(new TextEmbeddingTranslatorFactory())
                .optArgument("pooling", spec.pooling().djlName())
                .optArgument("normalize", "true")
                .optArgument("includeTokenTypes", "true")
                // Overrides whatever the tokenizer.json says: truncate long input, and pad a batch only
                // to its longest member (some bundled tokenizers pad every input to a fixed length).
                .optArgument("truncation", "true")
                .optArgument("padding", "true")
                .optArgument("maxLength", maxTokens)
                // DJL silently caps maxLength at modelMaxLength (512 by default).
                .optArgument("modelMaxLength", maxTokens);
        if (intraOpThreads != null) {
            b.optOption("intraOpNumThreads", intraOpThreads);
        }
        return b.build();
    }

    private static int predictorCount() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
