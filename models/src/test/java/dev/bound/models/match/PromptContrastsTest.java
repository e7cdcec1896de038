package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.match.PairEvaluation.LabelledPair;
import dev.bound.models.match.PromptContrasts.Half;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class PromptContrastsTest {

    private static final List<LabelledPair> TRAIN = PromptContrasts.train(1, 4000);
    private static final List<LabelledPair> HELD_OUT = PromptContrasts.heldOut(PromptContrasts.HELD_OUT_SEED,
            PromptContrasts.HELD_OUT_COUNT);

    @Test
    void train_sameSeed_sameList() {
        assertEquals(PromptContrasts.train(7, 300), PromptContrasts.train(7, 300));
        assertEquals(PromptContrasts.heldOut(7, 300), PromptContrasts.heldOut(7, 300));
    }

    @Test
    void train_otherSeed_otherList() {
        assertNotEquals(PromptContrasts.train(7, 300), PromptContrasts.train(8, 300));
    }

    @Test
    void make_negativeCount_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptContrasts.train(1, -1));
        assertEquals("count must be 0 or more, got -1", e.getMessage());
    }

    @Test
    void make_labelsHalfAndHalf_pairsDistinct() {
        for (List<LabelledPair> pairs : List.of(TRAIN, HELD_OUT)) {
            assertEquals(pairs.size() / 2, pairs.stream().filter(LabelledPair::positive).count());
            Set<Set<String>> unique = new HashSet<>();
            for (LabelledPair p : pairs) {
                assertNotEquals(p.first(), p.second());
                assertTrue(unique.add(Set.of(p.first(), p.second())), "twice: " + p);
            }
        }
    }

    @Test
    void halves_shareNoPromptText() {
        Set<String> train = texts(TRAIN);
        for (String text : texts(HELD_OUT)) {
            assertTrue(!train.contains(text), "in both halves: " + text);
        }
    }

    @Test
    void halves_shareNoTopicOrWording() {
        Set<String> trainTopics = PromptContrasts.topics(Half.TRAIN);
        Set<String> heldOutTopics = PromptContrasts.topics(Half.HELD_OUT);
        assertTrue(trainTopics.size() > 100 && heldOutTopics.size() > 100, trainTopics.size() + " / " + heldOutTopics.size());
        assertEquals(Set.of(), intersection(trainTopics, heldOutTopics));
        assertEquals(Set.of(), intersection(PromptContrasts.wordings(Half.TRAIN), PromptContrasts.wordings(Half.HELD_OUT)));
    }

    @Test
    void halves_noTopicAppearsInTheOtherHalfsPrompts() {
        assertTopicsAbsent(PromptContrasts.topics(Half.HELD_OUT), texts(TRAIN));
        assertTopicsAbsent(PromptContrasts.topics(Half.TRAIN), texts(HELD_OUT));
    }

    @Test
    void heldOutFile_matchesTheGenerator() throws IOException {
        Path file = Path.of("eval", "prompt-contrasts-heldout.csv");
        if (!Files.exists(file)) {
            file = Path.of(PromptContrasts.HELD_OUT_FILE);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(PromptContrasts.toCsv(HELD_OUT), text,
                "regenerate with: java -cp models/target/classes dev.bound.models.match.PromptContrasts");
        assertEquals(HELD_OUT, PairEvaluation.parseLabelledCsv("held-out", text).pairs());
    }

    @Test
    void toCsv_quotesCommasAndQuotes() {
        String csv = PromptContrasts.toCsv(List.of(new LabelledPair("Say \"hi\", then stop.", "Say hi.", false)));
        assertEquals("question1,question2,label\n\"Say \"\"hi\"\", then stop.\",\"Say hi.\",0\n", csv);
        assertEquals("Say \"hi\", then stop.", PairEvaluation.parseLabelledCsv("x", csv).pairs().get(0).first());
    }

    /** The generator and the word list agree: a rewording never swaps one constraint value for another. */
    @Test
    void positives_neverSubstituteAConstraintWord() {
        for (List<LabelledPair> pairs : List.of(TRAIN, HELD_OUT)) {
            for (LabelledPair p : pairs) {
                if (p.positive()) {
                    assertTrue(ConstraintWords.mismatch(TextFeatures.of(p.first()), TextFeatures.of(p.second())) < 1, p.toString());
                }
            }
        }
    }

    private static void assertTopicsAbsent(Set<String> topics, Set<String> texts) {
        List<String> found = new ArrayList<>();
        for (String topic : topics) {
            List<Pattern> parts = new ArrayList<>();
            for (String part : topic.split("\\|")) {
                parts.add(Pattern.compile("\\b" + Pattern.quote(part.toLowerCase(Locale.ROOT)) + "\\b"));
            }
            for (String text : texts) {
                String lower = text.toLowerCase(Locale.ROOT);
                if (parts.stream().allMatch(p -> p.matcher(lower).find())) {
                    found.add(topic + " in: " + text);
                    break;
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static Set<String> texts(List<LabelledPair> pairs) {
        Set<String> out = new HashSet<>();
        for (LabelledPair p : pairs) {
            out.add(p.first());
            out.add(p.second());
        }
        return out;
    }

    private static <T> Set<T> intersection(Set<T> a, Set<T> b) {
        Set<T> out = new HashSet<>(a);
        out.retainAll(b);
        return out;
    }
}
