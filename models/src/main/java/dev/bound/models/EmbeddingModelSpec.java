package dev.bound.models;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which embedding model to load and how to use it.
 *
 * @param name a non-blank model name; for built-in models also the key of the bundled files
 * @param directory a folder holding one {@code *.onnx} file and {@code tokenizer.json}, or
 *     {@code null} for a model bundled with Bound
 * @param pooling how token vectors become one sentence vector
 * @param maxTokens input is truncated to this many tokens (8 to 8192)
 */
public record EmbeddingModelSpec(String name, Path directory, Pooling pooling, int maxTokens) {

    static final int MIN_TOKENS = 8;
    static final int MAX_TOKENS = 8192;

    private static final Map<String, EmbeddingModelSpec> BUILTINS = Map.of(
            "all-minilm-l6-v2-q", new EmbeddingModelSpec("all-minilm-l6-v2-q", null, Pooling.MEAN, 256),
            "bge-small-en-v1.5-q", new EmbeddingModelSpec("bge-small-en-v1.5-q", null, Pooling.CLS, 512));
    private static final List<String> BUILTIN_NAMES = BUILTINS.keySet().stream().sorted().toList();

    public EmbeddingModelSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("embedding model name must not be blank");
        }
        Objects.requireNonNull(pooling, "pooling");
        if (maxTokens < MIN_TOKENS || maxTokens > MAX_TOKENS) {
            throw new IllegalArgumentException("maxTokens for embedding model '" + name + "' must be between "
                    + MIN_TOKENS + " and " + MAX_TOKENS + ", got " + maxTokens);
        }
    }

    /**
     * The spec of a model bundled with Bound.
     *
     * @throws IllegalArgumentException if no built-in model has this name
     */
    public static EmbeddingModelSpec builtin(String name) {
        EmbeddingModelSpec spec = name == null ? null : BUILTINS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown built-in embedding model '" + name
                    + "'; known: " + String.join(", ", BUILTIN_NAMES));
        }
        return spec;
    }

    /** Names accepted by {@link #builtin(String)}, sorted. */
    public static List<String> builtinNames() {
        return BUILTIN_NAMES;
    }

    /** Whether the model files come from Bound's own classpath rather than a user folder. */
    boolean isBuiltin() {
        return directory == null;
    }
}
