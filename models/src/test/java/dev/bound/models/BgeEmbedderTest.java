package dev.bound.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BgeEmbedderTest {

    @TempDir
    static Path cache;
    private static Embedder embedder;

    @BeforeAll
    static void open() {
        embedder = Embedders.open(EmbeddingModelSpec.builtin("bge-small-en-v1.5-q"), cache);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void embed_shortText_gives384DimUnitVector() {
        assertEquals(384, embedder.dimension());
        float[] v = embedder.embed("How do I reset my password?");
        assertEquals(384, v.length);
        assertEquals(1.0, Vectors.norm(v), 1e-4);
    }

    @Test
    void embed_sameTextTwice_isDeterministic() {
        assertArrayEquals(embedder.embed("deterministic please"), embedder.embed("deterministic please"));
    }

    @Test
    void embed_paraphrase_isCloserThanUnrelatedQuestion() {
        float[] question = embedder.embed("How do I reset my password?");
        double paraphrase = Vectors.dot(question, embedder.embed("What is the way to reset my password?"));
        double unrelated = Vectors.dot(question, embedder.embed("What is the capital of France?"));
        assertTrue(paraphrase > unrelated, "paraphrase " + paraphrase + " vs unrelated " + unrelated);
    }

    @Test
    void embedAll_textsOfVeryDifferentLengths_equalsEmbeddingEachAlone() {
        List<float[]> batch = embedder.embedAll(MiniLmEmbedderTest.MIXED_LENGTHS);
        for (int i = 0; i < batch.size(); i++) {
            float[] alone = embedder.embed(MiniLmEmbedderTest.MIXED_LENGTHS.get(i));
            assertTrue(Vectors.maxAbsDiff(alone, batch.get(i)) <= 1e-4, "text " + i);
        }
    }

    @Test
    void embed_textOf2000Words_isTruncatedNotRejected() {
        float[] v = embedder.embed("the gateway caches answers to similar prompts ".repeat(300));
        assertEquals(1.0, Vectors.norm(v), 1e-4);
    }
}
