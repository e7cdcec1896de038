package dev.bound.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: a 4 MB prompt is cut to what the model reads before anything tokenizes it. */
class ModelInputTest {

    @TempDir
    Path cache;

    @Test
    void readable_shortText_isTheTextItself() {
        String text = "How do I reset my password?";
        assertSame(text, ModelInput.readable(text, 256));
        assertSame(text, ModelInput.readable(text, 7));
    }

    @Test
    void readable_cutsAfterTheUnitPastTheLimit() {
        // Units: How, do, I, reset, my, password, ?  The limit 3 keeps four of them.
        assertEquals("How do I reset", ModelInput.readable("How do I reset my password?", 3));
        assertEquals("a,b", ModelInput.readable("a,b,c", 2));
        assertEquals("   x", ModelInput.readable("   x y", 0));
    }

    @Test
    void readable_hugeText_costsOnlyItsPrefix() {
        String huge = "lorem ipsum dolor sit amet ".repeat(150_000);
        String read = ModelInput.readable(huge, 256);
        assertTrue(read.length() < 2_000, "kept " + read.length() + " characters");
        assertTrue(huge.startsWith(read));
    }

    /** The cut never changes what the model reads: the first tokens are those of the whole text. */
    @Test
    void readable_keepsTheTokensTheModelReads() throws Exception {
        EmbeddingModelSpec spec = EmbeddingModelSpec.builtin("all-minilm-l6-v2-q");
        int max = spec.maxTokens();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(Embedders.tokenizerFile(spec, cache)).optAddSpecialTokens(false)
                .optTruncation(false).build()) {
            for (String text : longTexts()) {
                String read = ModelInput.readable(text, max);
                String[] whole = tokenizer.encode(text).getTokens();
                String[] cut = tokenizer.encode(read).getTokens();
                assertTrue(cut.length > max || read.equals(text), "too few tokens kept of: " + text.substring(0, 40));
                assertArrayEquals(Arrays.copyOf(whole, Math.min(max, whole.length)),
                        Arrays.copyOf(cut, Math.min(max, cut.length)), text.substring(0, 40));
            }
        }
    }

    private static List<String> longTexts() throws Exception {
        Path file = Path.of(System.getProperty("bound.shared.data", "../shared/data"), "paraphrase_positives.json");
        JsonArray pairs = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        List<String> texts = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        for (JsonElement e : pairs) {
            joined.append(e.getAsJsonObject().get("origin").getAsString()).append(' ');
            if (joined.length() > 3_000) {
                texts.add(joined.toString());
                joined.setLength(0);
            }
        }
        texts.add("Ünïcödé naïve café, déjà vu! ".repeat(200));
        texts.add("价格是多少？这个问题很重要。".repeat(100));
        texts.add("!!!???...,,,;;;".repeat(100));
        texts.add(("x".repeat(150) + " word ").repeat(100));
        texts.add("emoji 🙂🙃 and symbols ©®™ ".repeat(100));
        texts.add("spaces" + " ".repeat(10_000) + "then words ".repeat(400));
        texts.add("3.14159, 2,718; 1e-9 and $100.00 ".repeat(100));
        return texts;
    }
}
