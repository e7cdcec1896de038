package dev.bound.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class EmbeddingModelSpecTest {

    @Test
    void builtin_knownNames_haveTheirPoolingAndTokenLimit() {
        EmbeddingModelSpec minilm = EmbeddingModelSpec.builtin("all-minilm-l6-v2-q");
        assertEquals(Pooling.MEAN, minilm.pooling());
        assertEquals(256, minilm.maxTokens());
        assertNull(minilm.directory());

        EmbeddingModelSpec bge = EmbeddingModelSpec.builtin("bge-small-en-v1.5-q");
        assertEquals(Pooling.CLS, bge.pooling());
        assertEquals(512, bge.maxTokens());
    }

    @Test
    void builtinNames_listsBothModels() {
        assertEquals(List.of("all-minilm-l6-v2-q", "bge-small-en-v1.5-q"), EmbeddingModelSpec.builtinNames());
    }

    @Test
    void builtin_unknownName_messageListsKnownNames() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EmbeddingModelSpec.builtin("gpt-embed"));
        assertTrue(e.getMessage().contains("gpt-embed"), e.getMessage());
        assertTrue(e.getMessage().contains("all-minilm-l6-v2-q"), e.getMessage());
        assertTrue(e.getMessage().contains("bge-small-en-v1.5-q"), e.getMessage());
    }

    @Test
    void constructor_blankName_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingModelSpec(" ", null, Pooling.MEAN, 256));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingModelSpec(null, null, Pooling.MEAN, 256));
    }

    @Test
    void constructor_tokenLimitOutOfRange_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingModelSpec("m", null, Pooling.MEAN, 7));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingModelSpec("m", null, Pooling.MEAN, 8193));
        assertEquals(8, new EmbeddingModelSpec("m", Path.of("x"), Pooling.CLS, 8).maxTokens());
        assertEquals(8192, new EmbeddingModelSpec("m", Path.of("x"), Pooling.CLS, 8192).maxTokens());
    }

    @Test
    void constructor_nullPooling_isRejected() {
        assertThrows(NullPointerException.class, () -> new EmbeddingModelSpec("m", null, null, 256));
    }
}
