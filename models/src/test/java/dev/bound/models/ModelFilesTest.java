package dev.bound.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking built-in models and loading models from user folders. */
class ModelFilesTest {

    private static final String MINILM = "all-minilm-l6-v2-q";
    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    static Path cache;
    private static Embedder builtin;
    private static Path unpacked;

    @BeforeAll
    static void open() {
        builtin = Embedders.open(EmbeddingModelSpec.builtin(MINILM), cache);
        unpacked = cache.resolve(MINILM);
    }

    @AfterAll
    static void close() {
        builtin.close();
    }

    @Test
    void open_builtin_unpacksModelAndTokenizerWithoutLeftovers() throws IOException {
        assertTrue(Files.size(unpacked.resolve(MINILM + ".onnx")) > 1_000_000);
        assertTrue(Files.size(unpacked.resolve("tokenizer.json")) > 1_000);
        try (Stream<Path> files = Files.list(unpacked)) {
            assertEquals(2, files.count(), "only the model and tokenizer, no temp files");
        }
    }

    @Test
    void open_builtinSecondTime_doesNotRewriteFiles() throws IOException {
        Path onnx = unpacked.resolve(MINILM + ".onnx");
        Path tokenizer = unpacked.resolve("tokenizer.json");
        // An old timestamp makes a rewrite visible even on file systems with coarse timestamps.
        Files.setLastModifiedTime(onnx, LONG_AGO);
        Files.setLastModifiedTime(tokenizer, LONG_AGO);
        try (Embedder again = Embedders.open(EmbeddingModelSpec.builtin(MINILM), cache)) {
            assertEquals(384, again.dimension());
        }
        assertEquals(LONG_AGO, Files.getLastModifiedTime(onnx));
        assertEquals(LONG_AGO, Files.getLastModifiedTime(tokenizer));
    }

    @Test
    void resolve_builtinWithTruncatedCopy_replacesIt(@TempDir Path otherCache) throws IOException {
        ModelFiles first = ModelFiles.resolve(EmbeddingModelSpec.builtin(MINILM), otherCache);
        long size = Files.size(first.onnx());
        Files.write(first.onnx(), new byte[] {1, 2, 3});
        ModelFiles second = ModelFiles.resolve(EmbeddingModelSpec.builtin(MINILM), otherCache);
        assertEquals(size, Files.size(second.onnx()));
    }

    @Test
    void open_customDirectoryHoldingUnpackedBuiltin_givesSameVectors() {
        EmbeddingModelSpec custom = new EmbeddingModelSpec("my-minilm", unpacked, Pooling.MEAN, 256);
        try (Embedder embedder = Embedders.open(custom, null)) {
            assertEquals("my-minilm", embedder.name());
            assertEquals(384, embedder.dimension());
            assertArrayEquals(builtin.embed("Where is my order?"), embedder.embed("Where is my order?"));
        }
    }

    @Test
    void open_customDirectoryWithoutTokenizer_namesMissingFile(@TempDir Path dir) throws IOException {
        Files.copy(unpacked.resolve(MINILM + ".onnx"), dir.resolve("model.onnx"));
        EmbeddingModelSpec custom = new EmbeddingModelSpec("custom", dir, Pooling.MEAN, 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embedders.open(custom, null));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("onnx"), e.getMessage());
    }

    @Test
    void open_customDirectoryWithoutOnnx_namesMissingFile(@TempDir Path dir) throws IOException {
        Files.copy(unpacked.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        EmbeddingModelSpec custom = new EmbeddingModelSpec("custom", dir, Pooling.MEAN, 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embedders.open(custom, null));
        assertTrue(e.getMessage().contains(".onnx"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void open_customDirectoryWithTwoOnnxFiles_isRejectedAsAmbiguous(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.onnx"), "x");
        Files.writeString(dir.resolve("b.onnx"), "y");
        Files.copy(unpacked.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        EmbeddingModelSpec custom = new EmbeddingModelSpec("custom", dir, Pooling.MEAN, 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embedders.open(custom, null));
        assertTrue(e.getMessage().contains("a.onnx") && e.getMessage().contains("b.onnx"), e.getMessage());
    }

    @Test
    void open_customDirectoryThatDoesNotExist_isRejected(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        EmbeddingModelSpec custom = new EmbeddingModelSpec("custom", missing, Pooling.MEAN, 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embedders.open(custom, null));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void open_corruptOnnxFile_failsWithMessageNamingPath(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.onnx"), "this is not a protobuf model");
        Files.copy(unpacked.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        EmbeddingModelSpec custom = new EmbeddingModelSpec("broken", dir, Pooling.MEAN, 256);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Embedders.open(custom, null));
        assertTrue(e.getMessage().contains(dir.resolve("broken.onnx").toString()), e.getMessage());
    }
}
