package dev.bound.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bound's own translator must give the vectors DJL's {@code TextEmbeddingTranslatorFactory} gives
 * with the same settings (mean pooling for MiniLM, cls for bge, token types included, unit length,
 * truncation and padding to the longest text), one text at a time and in padded batches, or every
 * stored vector would change meaning.
 */
class PoolingTranslatorTest {

    /** Float rounding of a different summation order; a pooling or padding error is far larger. */
    private static final float TOLERANCE = 1e-5f;

    private static final List<String> TEXTS = new ArrayList<>(MiniLmEmbedderTest.MIXED_LENGTHS);

    static {
        TEXTS.add("Ünïcödé, emoji 🙂 and 日本語 in one prompt.");
        TEXTS.add("What is the capital of France? Please be brief.");
    }

    @TempDir
    Path cache;

    @ParameterizedTest
    @MethodSource("dev.bound.models.EmbeddingModelSpec#builtinNames")
    void givesDjlsVectors_oneAtATimeAndBatched(String name) throws Exception {
        EmbeddingModelSpec spec = EmbeddingModelSpec.builtin(name);
        ModelFiles files = ModelFiles.resolve(spec, cache);
        List<String> texts = TEXTS.stream().map(t -> ModelInput.readable(t, spec.maxTokens())).toList();
        try (HuggingFaceTokenizer tokenizer = Embedders.tokenizer(spec, files);
                ZooModel<String, float[]> ours = Embedders.criteria(spec, files, "1", tokenizer).loadModel();
                ZooModel<String, float[]> djl = Embedders.criteria(spec, files, "1", null).loadModel();
                Predictor<String, float[]> a = ours.newPredictor();
                Predictor<String, float[]> b = djl.newPredictor()) {
            for (String text : texts) {
                assertClose(b.predict(text), a.predict(text), name + ": " + text);
            }
            List<float[]> batchA = a.batchPredict(texts);
            List<float[]> batchB = b.batchPredict(texts);
            assertEquals(texts.size(), batchA.size());
            for (int i = 0; i < texts.size(); i++) {
                assertClose(batchB.get(i), batchA.get(i), name + " batched: " + texts.get(i));
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = Vectors.maxAbsDiff(expected, actual);
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst);
        assertEquals(1.0, Vectors.norm(actual), 1e-4, what);
    }
}
