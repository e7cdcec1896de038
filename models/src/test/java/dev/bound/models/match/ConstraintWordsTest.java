package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConstraintWordsTest {

    private static double mismatch(String a, String b) {
        return Symmetric.flag(ConstraintWords::mismatch, a, b);
    }

    @Test
    void mismatch_poemFormSwapped_isOne() {
        assertEquals(1.0, mismatch("Write a haiku about cats.", "Write a limerick about cats."));
    }

    @Test
    void mismatch_programmingLanguageSwapped_isOne() {
        assertEquals(1.0, mismatch("Write a function that reverses a string in Python.",
                "Write a function that reverses a string in Java."));
        assertEquals(1.0, mismatch("How do I read a file in Go?", "How do I read a file in Rust?"));
    }

    @Test
    void mismatch_otherClassesSwapped_isOne() {
        assertEquals(1.0, mismatch("Summarize the French revolution for a child.", "Summarize the French revolution for a historian."));
        assertEquals(1.0, mismatch("Explain recursion. Answer in French.", "Explain recursion. Answer in Spanish."));
        assertEquals(1.0, mismatch("Write the invitation in a formal tone.", "Write the invitation in an informal tone."));
        assertEquals(1.0, mismatch("Give me the results as JSON.", "Give me the results as a table."));
        assertEquals(1.0, mismatch("Explain recursion in one sentence.", "Explain recursion in detail."));
    }

    @Test
    void mismatch_constraintAddedOrRemoved_isHalf() {
        assertEquals(0.5, mismatch("Explain recursion.", "Explain recursion in detail."));
        assertEquals(0.5, mismatch("Explain recursion.", "Explain recursion. Please be brief."));
        assertEquals(0.5, mismatch("Give me a recipe for lasagna.", "Give me a recipe for lasagna that is vegan."));
    }

    @Test
    void mismatch_rewordings_isZero() {
        assertEquals(0.0, mismatch("Explain recursion in one sentence.", "Can you explain recursion in a single sentence?"));
        assertEquals(0.0, mismatch("Write a haiku about cats", "Compose a haiku about cats, please."));
        assertEquals(0.0, mismatch("What is the capital of France?", "What's France's capital city?"));
        assertEquals(0.0, mismatch("Give me the tips as bullet points.", "Put the tips in a bulleted list."));
        assertEquals(0.0, mismatch("Explain it briefly for kids.", "Give a concise explanation for a child."));
        assertEquals(0.0, mismatch("Where should I go on holiday?", "Where should I travel on holiday?"));
    }

    /** A direction swap keeps every word: mismatch gives 0, and directionSwap catches it. */
    @Test
    void mismatch_directionSwapped_isZero() {
        assertEquals(0.0, mismatch("Convert 30 Celsius to Fahrenheit", "Convert 30 Fahrenheit to Celsius"));
        assertEquals(0.0, mismatch("Translate my cover letter from English to French.",
                "Translate my cover letter from French to English."));
    }

    @Test
    void valuesIn_namesEachValueByItsFirstSpelling() {
        TextFeatures t = TextFeatures.of("Briefly explain, in Go, how to convert 5 lbs to kilos for my grandpa.");
        assertEquals(Map.of("length", Set.of("brief"), "programming-language", Set.of("golang"),
                "weight", Set.of("pound", "kilogram"), "audience", Set.of("grandmother")), ConstraintWords.DEFAULT.valuesIn(t));
    }

    @Test
    void parse_wordInTwoClasses_throws() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConstraintWords.parse("test", List.of("weight: pound/lb", "currency: dollar pound")));
        assertEquals("test: \"pound\" is in both weight (pound) and currency (pound)", e.getMessage());
    }

    @Test
    void parse_lineWithoutClass_throws() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConstraintWords.parse("test", List.of("haiku limerick")));
        assertEquals("test: expected \"class: value value ...\" in: haiku limerick", e.getMessage());
    }

    @Test
    void parse_pairEntry_matchesAdjacentWordsOnly() {
        ConstraintWords words = ConstraintWords.parse("test", List.of("programming-language: golang/in_go python"));
        assertEquals(1.0, words.score(TextFeatures.of("Sort a list in Go."), TextFeatures.of("Sort a list in Python.")));
        assertEquals(0.0, words.score(TextFeatures.of("Where can I go in winter?"), TextFeatures.of("Where can I travel in winter?")));
    }

    private static double swap(String a, String b) {
        return Symmetric.flag(ConstraintWords::directionSwap, a, b);
    }

    @Test
    void directionSwap_sameUnitsOrLanguagesReversed_isOne() {
        assertEquals(1.0, swap("Convert 30 Celsius to Fahrenheit", "Convert 30 Fahrenheit to Celsius"));
        assertEquals(1.0, swap("Translate 'good morning' from English to French.",
                "Translate 'good morning' from French to English."));
        assertEquals(1.0, swap("How many miles is 10 kilometers?", "How many kilometers is 10 miles?"));
    }

    @Test
    void directionSwap_sameOrderOrOneValue_isZero() {
        assertEquals(0.0, swap("Convert 30 Celsius to Fahrenheit", "Please convert 30 Celsius into Fahrenheit."));
        assertEquals(0.0, swap("Answer in French.", "Reply in French, please."));
        assertEquals(0.0, swap("Convert 30 Celsius to Fahrenheit", "Convert 30 Celsius to Kelvin"));
    }

    private static double added(String a, String b) {
        return Symmetric.flag(ConstraintWords::added, a, b);
    }

    @Test
    void added_constraintOnOneSideOnly_isOne() {
        assertEquals(1.0, added("Explain recursion.", "Explain recursion in detail."));
        assertEquals(1.0, added("What is the capital of France?", "What is the capital of France? Please be brief."));
        assertEquals(1.0, added("Write a bash script that backs up my home folder. Add comments.",
                "Write a bash script that backs up my home folder."));
        assertEquals(1.0, added("Write a Python function that parses dates, with unit tests.",
                "Write a Python function that parses dates, with comments."));
        // a sentence or paragraph with an amount or "in" before it sets the answer's length
        assertEquals(1.0, added("Explain recursion in a couple of sentences.", "Explain recursion."));
        assertEquals(1.0, added("Summarize the report in 3 short paragraphs.", "Summarize the report."));
        assertEquals(1.0, added("Write 2 paragraphs about cats.", "Write about cats."));
        assertEquals(1.0, added("Write a short paragraph about cats.", "Tell me about cats."));
        assertEquals(1.0, added("How many calories are in a banana?", "How many kilojoules are in a banana?"));
        assertEquals(1.0, added("Explain recursion in one sentence.", "Explain recursion in one paragraph."));
        assertEquals(1.0, added("What is the energy in a banana in kilojoules?",
                "What is the energy in a banana in kilocalories?"));
    }

    @Test
    void added_sameConstraintsOrOnlyANationality_isZero() {
        assertEquals(0.0, added("Write a haiku about cats.", "Compose a haiku about cats."));
        assertEquals(0.0, added("Briefly explain how vaccines work.", "Explain how vaccines work. Keep it brief."));
        // a nationality adjective on one side is as often a rewording ("the French capital")
        assertEquals(0.0, added("What is the French capital?", "What is the capital of France?"));
        // ... and a sentence or paragraph is as often what the prompt is about
        assertEquals(0.0, added("Translate this sentence into Portuguese: I lost my keys.",
                "How would you say 'I lost my keys' in Portuguese?"));
        assertEquals(0.0, added("Rewrite this paragraph to sound friendlier.", "Rewrite this to sound friendlier."));
        assertEquals(0.0, added("What is the subject in this sentence?", "What is the subject of this sentence?"));
        assertEquals(0.0, added("Translate the following paragraph into French.", "Translate this into French."));
        // a sentence for a paragraph is still another length, through the mismatch flag's veto
        assertEquals(1.0, mismatch("Write a sentence about cats.", "Write a paragraph about cats."));
        assertEquals(0.5, mismatch("Rewrite this paragraph to sound friendlier.", "Rewrite this to sound friendlier."),
                "the network's flag still sees the word, as in its training");
    }
}
