package dev.bound.models;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslatorFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
        HuggingFaceTokenizer tokenizer = tokenizer(spec, files);
        ZooModel<String, float[]> model;
        try {
            model = load(spec, files, tokenizer);
        } catch (RuntimeException | Error e) {
            tokenizer.close();
            throw e;
        }
        try {
            DjlEmbedder embedder = new DjlEmbedder(spec.name(), model, predictorCount(), spec.maxTokens(), tokenizer);
            LOG.info("Loaded embedding model '{}' from {} ({} dimensions, {} pooling, {} tokens max, {}) in {} ms",
                    spec.name(), files.onnx(), embedder.dimension(), spec.pooling(), spec.maxTokens(),
                    embedder.batchesExactly() ? "batched" : "one pass per text, since batching changes its vectors",
                    (System.nanoTime() - start) / 1_000_000);
            return embedder;
        } catch (RuntimeException e) {
            model.close();
            tokenizer.close();
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

    static ZooModel<String, float[]> load(EmbeddingModelSpec spec, ModelFiles files, HuggingFaceTokenizer tokenizer) {
        // One ONNX Runtime thread per session: the predictor pool already runs one session per
        // core, and sessions that each spread over every core fight for them (measured: 37 % more
        // semantic hits/s on 2 cores, see gateway/PERFORMANCE.md).
        Criteria<String, float[]> criteria = criteria(spec, files, "1", tokenizer);
        try {
            return criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IllegalStateException("cannot load embedding model '" + spec.name() + "' from " + files.onnx()
                    + " (tokenizer " + files.directory().resolve(ModelFiles.TOKENIZER) + "): " + e.getMessage(), e);
        }
    }

    /**
     * The model's tokenizer: long input truncated to the model's token limit, and a batch padded
     * only to its longest member (this overrides whatever the tokenizer.json says; some bundled
     * tokenizers pad every input to a fixed length).
     *
     * @throws IllegalStateException if the tokenizer cannot be read
     */
    static HuggingFaceTokenizer tokenizer(EmbeddingModelSpec spec, ModelFiles files) {
        try {
            return HuggingFaceTokenizer.builder(tokenizerArguments(spec))
                    .optTokenizerPath(files.directory())
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the tokenizer of embedding model '" + spec.name() + "' from "
                    + files.directory().resolve(ModelFiles.TOKENIZER) + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> tokenizerArguments(EmbeddingModelSpec spec) {
        String maxTokens = Integer.toString(spec.maxTokens());
        // DJL silently caps maxLength at modelMaxLength (512 by default), so both are set.
        return Map.of("truncation", "true", "padding", "true", "maxLength", maxTokens,
                "modelMaxLength", maxTokens);
    }

    /**
     * How a model is loaded; the thread count and translator are parameters so the benchmark and
     * the tests can compare.
     *
     * @param intraOpThreads ONNX Runtime threads per session, or null for its own default
     * @param tokenizer the tokenizer for Bound's own {@link PoolingTranslator}, or null for DJL's
     *     {@code TextEmbeddingTranslatorFactory} with the same settings
     */
    static Criteria<String, float[]> criteria(EmbeddingModelSpec spec, ModelFiles files, String intraOpThreads,
            HuggingFaceTokenizer tokenizer) {
        Criteria.Builder<String, float[]> b = Criteria.builder()
                .setTypes(String.class, float[].class)
                .optModelPath(files.directory())
                .optModelName(files.modelName())
                .optEngine("OnnxRuntime");
        if (tokenizer != null) {
            b.optTranslator(new PoolingTranslator(tokenizer, spec.pooling()));
        } else {
            b.optTranslatorFactory(new TextEmbeddingTranslatorFactory())
                    .optArgument("pooling", spec.pooling().djlName())
                    .optArgument("normalize", "true")
                    .optArgument("includeTokenTypes", "true");
            tokenizerArguments(spec).forEach(b::optArgument);
        }
        if (intraOpThreads != null) {
            b.optOption("intraOpNumThreads", intraOpThreads);
        }
        return b.build();
    }

    private static int predictorCount() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
