package dev.bound.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniLmEmbedderTest {

    @TempDir
    static Path cache;
    private static Embedder embedder;

    static final List<String> MIXED_LENGTHS = List.of(
            "hi",
            "How do I reset my password?",
            "Explain, step by step and with examples, how a write-ahead log lets a database recover after a crash "
                    + "without losing committed transactions, and why fsync matters for durability.",
            "word ".repeat(400),
            "");

    @BeforeAll
    static void open() {
        embedder = Embedders.open(EmbeddingModelSpec.builtin("all-minilm-l6-v2-q"), cache);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void embed_shortText_gives384DimUnitVector() {
        assertEquals("all-minilm-l6-v2-q", embedder.name());
        assertEquals(384, embedder.dimension());
        float[] v = embedder.embed("How do I reset my password?");
        assertEquals(384, v.length);
        assertEquals(1.0, Vectors.norm(v), 1e-4);
    }

    @Test
    void embed_sameTextTwice_isDeterministic() {
        assertArrayEquals(embedder.embed("The cache should return the same vector"),
                embedder.embed("The cache should return the same vector"));
    }

    @Test
    void embed_paraphrase_isCloserThanUnrelatedQuestion() {
        float[] question = embedder.embed("How do I reset my password?");
        double paraphrase = Vectors.dot(question, embedder.embed("What is the way to reset my password?"));
        double unrelated = Vectors.dot(question, embedder.embed("What is the capital of France?"));
        assertTrue(paraphrase > unrelated + 0.3, "paraphrase " + paraphrase + " vs unrelated " + unrelated);
        assertTrue(paraphrase > 0.8, "paraphrase cosine " + paraphrase);
    }

    @Test
    void embedAll_textsOfVeryDifferentLengths_equalsEmbeddingEachAlone() {
        List<float[]> batch = embedder.embedAll(MIXED_LENGTHS);
        assertEquals(MIXED_LENGTHS.size(), batch.size());
        for (int i = 0; i < MIXED_LENGTHS.size(); i++) {
            float[] alone = embedder.embed(MIXED_LENGTHS.get(i));
            assertTrue(Vectors.maxAbsDiff(alone, batch.get(i)) <= 1e-4,
                    "text " + i + " differs by " + Vectors.maxAbsDiff(alone, batch.get(i)));
        }
    }

    @Test
    void embedAll_emptyList_givesEmptyList() {
        assertEquals(List.of(), embedder.embedAll(List.of()));
    }

    @Test
    void embed_textOf2500Words_isTruncatedNotRejected() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            text.append("token").append(i % 97).append(i % 5 == 4 ? ". " : " ");
        }
        float[] v = embedder.embed(text.toString());
        assertEquals(384, v.length);
        assertEquals(1.0, Vectors.norm(v), 1e-4);
        // Only the first 256 tokens count, so changing the far end of the text must not move the vector.
        assertArrayEquals(v, embedder.embed(text + " an entirely different ending about volcanoes"));
    }

    @Test
    void embed_differenceAfterToken128_stillCounts() {
        // The bundled tokenizer.json truncates at 128; the spec's 256 must win.
        String prefix = "alpha beta gamma delta ".repeat(45);
        assertTrue(Vectors.maxAbsDiff(embedder.embed(prefix + "cats"), embedder.embed(prefix + "volcano")) > 1e-3);
    }

    @Test
    void embed_from8Threads_matchesSequentialResults() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            texts.add("Request number " + i + " asks about topic " + (i * 7 % 11) + " in some detail");
        }
        List<float[]> sequential = texts.stream().map(embedder::embed).toList();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String text : texts) {
                    Callable<float[]> task = () -> {
                        start.await();
                        return embedder.embed(text);
                    };
                    futures.add(pool.submit(task));
                }
            }
            start.countDown();
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(sequential.get(i % texts.size()), futures.get(i).get(), "text " + i % texts.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void embed_afterClose_throwsIllegalState() {
        Embedder second = Embedders.open(EmbeddingModelSpec.builtin("all-minilm-l6-v2-q"), cache);
        second.close();
        second.close();
        assertThrows(IllegalStateException.class, () -> second.embed("anything"));
    }
}
