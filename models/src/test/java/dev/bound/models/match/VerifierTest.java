package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.Embedder;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {

    @TempDir
    static Path cache;
    private static Embedder primary;
    private static Embedder second;
    private static PairMatcher cosine;
    private static PairMatcher lexical;
    private static PairMatcher verified;
    private static PairMatcher withSlots;

    @BeforeAll
    static void open() {
        primary = Embedders.open(EmbeddingModelSpec.builtin("all-minilm-l6-v2-q"), cache);
        second = Embedders.open(EmbeddingModelSpec.builtin("bge-small-en-v1.5-q"), cache);
        cosine = PairMatcher.cosine(0.85);
        lexical = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), null);
        verified = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), second);
        withSlots = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), null, primary);
    }

    @AfterAll
    static void close() {
        primary.close();
        second.close();
    }

    private static double score(PairMatcher m, String query, String candidate) {
        float[] q = primary.embed(query);
        float[] c = primary.embed(candidate);
        return m.score(m.prepare(query, q), m.prepare(candidate, c), PairEvaluation.cosine(q, c));
    }

    private static String scores(String query, String candidate) {
        return String.format(Locale.ROOT, "cosine %.3f, verified-lexical %.3f (threshold %.3f), verified %.3f (threshold %.3f)",
                score(cosine, query, candidate), score(lexical, query, candidate), lexical.threshold(),
                score(verified, query, candidate), verified.threshold());
    }

    @Test
    void builtin_bothVariantsLoadWithTheirModels() {
        Verifier v = Verifier.builtin(Verifier.VERIFIED);
        assertEquals("bge-small-en-v1.5-q", v.secondModel());
        assertEquals("all-minilm-l6-v2-q", v.primaryModel());
        assertTrue(v.features().contains("antonym"));
        assertTrue(v.features().contains("constraint_mismatch"));
        assertEquals(v.inputSize(384, 384), v.head().inputs());
        assertTrue(v.threshold() > 0 && v.threshold() < 1);
        Verifier l = Verifier.builtin(Verifier.VERIFIED_LEXICAL);
        assertFalse(l.needsSecondModel());
        assertFalse(l.features().contains("second_cosine"));
        assertEquals(l.inputSize(384, 0), l.head().inputs());
    }

    @Test
    void builtin_unknownVariant_namesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Verifier.builtin("magic"));
        assertEquals("unknown verifier variant 'magic'; known: [verified, verified-lexical]", e.getMessage());
    }

    /** Issue 8: plain cosine serves the answer for "disable" to "enable"; both verifier variants refuse it. */
    @Test
    void issue8_enableVersusDisable2fa_servedByCosineRefusedByVerifier() {
        String query = "How do I enable 2FA?";
        String stored = "How do I disable 2FA?";
        String all = scores(query, stored);
        System.out.println("enable/disable 2FA: " + all);
        assertTrue(cosine.serves(score(cosine, query, stored)), all);
        assertFalse(lexical.serves(score(lexical, query, stored)), all);
        assertFalse(verified.serves(score(verified, query, stored)), all);
    }

    @Test
    void paraphrase_turnOnTwoFactorAuthentication_scoresAboveTheAntonym() {
        String query = "How do I enable 2FA?";
        String paraphrase = "How can I turn on two-factor authentication?";
        String all = scores(query, paraphrase);
        System.out.println("enable 2FA / turn on two-factor authentication: " + all);
        assertTrue(score(lexical, query, paraphrase) > score(lexical, query, "How do I disable 2FA?"), all);
        assertTrue(score(verified, query, paraphrase) > score(verified, query, "How do I disable 2FA?"), all);
    }

    @Test
    void paraphrase_plainRewording_isServedByBothVariants() {
        String query = "How do I reset my password?";
        String stored = "How can I reset my password?";
        String all = scores(query, stored);
        System.out.println("reset password: " + all);
        assertTrue(lexical.serves(score(lexical, query, stored)), all);
        assertTrue(verified.serves(score(verified, query, stored)), all);
    }

    @Test
    void numberChange_isRefusedByBothVariants() {
        String query = "What was the GDP of France in 2019?";
        String stored = "What was the GDP of France in 2020?";
        String all = scores(query, stored);
        System.out.println("2019/2020: " + all);
        assertFalse(lexical.serves(score(lexical, query, stored)), all);
        assertFalse(verified.serves(score(verified, query, stored)), all);
    }

    /**
     * Pairs from the held-out developer batches 150-159: the network with bge-small's vectors
     * tells them apart where the lexical one alone does not.
     */
    @Test
    void software_twoPromptsAboutSoftware_areJudgedWithTheSecondModel() {
        PairMatcher both = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL),
                Verifier.builtin(Verifier.VERIFIED), second, null);
        assertEquals(Verifier.VERIFIED_LEXICAL, both.name());
        assertEquals(lexical.threshold(), both.threshold());
        assertEquals(0.70, both.minCosine(), 1e-9); // the lower of the two floors
        String before = "JUnit 5: run setup code once before all tests in a class";
        String each = "JUnit 5: run setup code before each test in a class";
        assertTrue(score(lexical, before, each) >= lexical.threshold(), scores(before, each));
        assertTrue(score(both, before, each) < both.threshold(), scores(before, each));
        String terse = "list all resources tracked in terraform state";
        String full = "What command shows me every resource address that is currently recorded in my Terraform state file?";
        assertTrue(score(lexical, terse, full) < lexical.threshold(), scores(terse, full));
        assertTrue(score(both, terse, full) >= both.threshold(), scores(terse, full));
        // a pair not about software is the lexical verifier's, and neither text is embedded twice
        String a = "How do I become physically strong?";
        String b = "What should I do to get physically stronger?";
        assertEquals(score(lexical, a, b), score(both, a, b), 1e-12);
        float[] v = primary.embed(a);
        assertEquals(null, both.prepare(a, v).secondVector());
        assertTrue(both.prepare(terse, primary.embed(terse)).secondVector() != null);
    }

    /**
     * Pairs written for this test: where the lexical verifier scores a pair from 0.4 to 0.95, the
     * network with bge-small's vectors judges it instead (a rewording in other words served, a
     * fridge put for a freezer refused); a pair scored below the band is the lexical verifier's,
     * and nothing is embedded with the second model for it.
     */
    @Test
    void secondOpinion_pairsTheLexicalVerifierScoresInTheBand_areJudgedWithTheSecondModel() {
        Counting counted = new Counting(second);
        PairMatcher band = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL),
                Verifier.builtin(Verifier.VERIFIED), counted, null, 0.4, 0.95);
        assertEquals(lexical.threshold(), band.threshold());
        String tallest = "What is the tallest mountain in South America?";
        String highest = "Name the highest peak on the South American continent.";
        assertTrue(score(lexical, tallest, highest) < lexical.threshold(), scores(tallest, highest));
        assertTrue(score(lexical, tallest, highest) >= 0.4, scores(tallest, highest));
        assertTrue(score(band, tallest, highest) >= band.threshold(), scores(tallest, highest));
        assertEquals(2, counted.texts.get(), "both texts embedded with the second model");
        String fridge = "How long can cooked rice stay in the fridge?";
        String freezer = "How long can cooked rice stay in the freezer?";
        assertTrue(score(lexical, fridge, freezer) >= lexical.threshold(), scores(fridge, freezer));
        assertTrue(score(band, fridge, freezer) < band.threshold(), scores(fridge, freezer));
        String carpet = "How do I get red wine out of a white carpet?";
        String rug = "A glass of merlot spilled on my cream rug. How can I remove the stain?";
        int before = counted.texts.get();
        assertTrue(score(lexical, carpet, rug) < 0.4, scores(carpet, rug));
        assertEquals(score(lexical, carpet, rug), score(band, carpet, rug), 1e-12);
        assertEquals(before, counted.texts.get(), "no second embedding below the band");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL),
                        Verifier.builtin(Verifier.VERIFIED), second, null, 0.9, 0.4));
        assertEquals("a band of scores needs 0 <= low <= high <= 1, not 0.9-0.4", e.getMessage());
    }

    @Test
    void warmAndAhead_withABand_embedEveryTextWithTheSecondModel_andWithoutOne_onlySoftware() throws Exception {
        Counting banded = new Counting(second);
        PairMatcher band = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL),
                Verifier.builtin(Verifier.VERIFIED), banded, null, 0.4, 0.95);
        String rice = "How long can cooked rice stay in the fridge?";
        band.warm(rice);
        assertEquals(1, banded.texts.get(), "a stored text that names no software, warmed for a second opinion");
        band.ahead(rice);
        long until = System.nanoTime() + 30_000_000_000L;
        while (banded.texts.get() < 2 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(2, banded.texts.get(), "the query embedded ahead of its lookup");
        assertTrue(banded.threads.contains("second-opinion-"), "on a thread of its own, not " + banded.threads);
        Counting plain = new Counting(second);
        PairMatcher software = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL),
                Verifier.builtin(Verifier.VERIFIED), plain, null);
        software.warm(rice);
        software.ahead(rice);
        software.warm("How do I pin a dependency's version in Maven?");
        Thread.sleep(200); // time enough for an embedding started ahead to have counted
        assertEquals(1, plain.texts.get(), "without a band only the text that names software: " + plain.texts);
    }

    /** An embedder that counts the texts it embeds and hands them on. */
    private static final class Counting implements Embedder {
        private final Embedder model;
        private final AtomicInteger texts = new AtomicInteger();
        /** The names of the threads that embedded, without their numbers. */
        private final Set<String> threads = ConcurrentHashMap.newKeySet();

        Counting(Embedder model) {
            this.model = model;
        }

        @Override
        public String name() {
            return model.name();
        }

        @Override
        public int dimension() {
            return model.dimension();
        }

        @Override
        public float[] embed(String text) {
            threads.add(Thread.currentThread().getName().replaceAll("\\d+$", ""));
            texts.incrementAndGet();
            return model.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> all) {
            texts.addAndGet(all.size());
            return model.embedAll(all);
        }

        @Override
        public void close() {
            // the wrapped model is the test class's
        }
    }

    @Test
    void software_theSecondVerifierMustReadTheSecondModel_andTheFirstMustNot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), Verifier.builtin(Verifier.VERIFIED), second, null));
        assertEquals("verifier 'verified' with 'verified' for software: only the second may read a second model", e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), Verifier.builtin(Verifier.VERIFIED), null, null));
        assertEquals("verifier 'verified' needs the second embedding model 'bge-small-en-v1.5-q'", missing.getMessage());
    }

    @Test
    void onScaleOf_putsOneOperatingPointOnTheOther_andKeepsTheEnds() {
        assertEquals(0.679, VerifiedMatcher.onScaleOf(0.78, 0.78, 0.679), 1e-12);
        assertEquals(0.0, VerifiedMatcher.onScaleOf(0.0, 0.78, 0.679), 1e-12);
        assertEquals(1.0, VerifiedMatcher.onScaleOf(1.0, 0.78, 0.679), 1e-12);
        assertTrue(VerifiedMatcher.onScaleOf(0.77, 0.78, 0.679) < 0.679);
        assertTrue(VerifiedMatcher.onScaleOf(0.79, 0.78, 0.679) > 0.679);
    }

    @Test
    void score_textPreparedByAnotherMatcher_isRefused() {
        float[] v = primary.embed("x");
        Prepared fromCosine = cosine.prepare("x", v);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lexical.score(lexical.prepare("x", v), fromCosine, 1.0));
        assertEquals("the candidate was prepared by matcher 'cosine', not 'verified-lexical'", e.getMessage());
    }

    @Test
    void verified_withoutItsSecondModel_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), null));
        assertEquals("verifier 'verified' needs the second embedding model 'bge-small-en-v1.5-q'", e.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), primary));
        assertEquals("verifier 'verified' was trained with second model 'bge-small-en-v1.5-q', not 'all-minilm-l6-v2-q'",
                wrong.getMessage());
    }

    @Test
    void withThePrimaryModel_slotsThatMeanDifferentThings_areRefused() {
        // asked as questions ("Could you …"): a request that opens with its verb is refused by the
        // word checks already (WordRelations.spanSubstituted)
        String[][] different = {
            {"Could you write a toast for my best friend's divorce party, bitter and snarky?",
                "Could you write a toast for my best friend's divorce party, gracious and kind?"},
            // the slots' cosines are 0.36 and 0.45, but they lie far apart on expertise and confidence
            {"Could you explain what an A1C test measures? My audience is a room of newly diagnosed adults at a "
                + "community health fair.", "Could you explain what an A1C test measures? My audience is a room of "
                + "second-year internal medicine residents."},
            {"Could you write my cover letter for a warehouse supervisor job? Confident, even a bit bold.",
                "Could you write my cover letter for a warehouse supervisor job? Humble and understated."},
        };
        for (String[] p : different) {
            // the word lists see nothing: served without the slot check, refused with it
            assertTrue(score(lexical, p[0], p[1]) >= lexical.threshold(), scores(p[0], p[1]));
            double s = score(withSlots, p[0], p[1]);
            assertTrue(s < withSlots.threshold(), p[0] + " / " + p[1] + ": " + s);
            assertEquals(Verifier.VETO_SCALE * score(lexical, p[0], p[1]), s, 1e-9);
        }
        // the network trained with developer questions scores this one under the threshold by itself,
        // and the one trained with hand-written prompts as well the second (slots at cosine 0.37)
        String renter = "For a first-time renter, explain what renters insurance covers.";
        String adjuster = "For an insurance claims adjuster, explain what renters insurance covers.";
        assertTrue(score(withSlots, renter, adjuster) < withSlots.threshold(), scores(renter, adjuster));
        String hype = "Write a hype-filled, over-the-top social post announcing our gig on Saturday.";
        String calm = "Write a calm, understated social post announcing our gig on Saturday.";
        assertTrue(score(withSlots, hype, calm) < withSlots.threshold(), scores(hype, calm));
        // the same audience in other words keeps its score
        // ("in plain language" / "in simple terms" scores 0.646 since the network learnt from
        // hand-written prompts, under the threshold by itself: MATCHING.md)
        String a = "Explain how compound interest works in plain English.";
        String b = "Explain how compound interest works in simple terms.";
        assertTrue(score(lexical, a, b) >= lexical.threshold(), scores(a, b));
        assertEquals(score(lexical, a, b), score(withSlots, a, b), 1e-9);
    }

    @Test
    void oneWordPutForAnotherThing_isRefused_aWordForTheSameThingIsNot() {
        String a = "How do I clean a velvet sofa?";
        String b = "How do I clean a leather sofa?";
        assertFalse(lexical.serves(score(lexical, a, b)), scores(a, b));
        String c = "What are the benefits of yoga for runners?";
        String d = "What are the advantages of yoga for runners?";
        assertTrue(lexical.serves(score(lexical, c, d)), scores(c, d));
    }

    @Test
    void anOperationOfAnotherKind_isRefused_oneOfTheSameKindIsNot() {
        String a = "redis set expiry on existing key";
        String b = "redis get expiry of existing key";
        // served before the operation check
        assertTrue(score(lexical, a, b) < PooledCalibration.LOW, scores(a, b));
        String c = "How do I delete a local branch in git?";
        String d = "How do I remove a local branch in git?";
        assertTrue(lexical.serves(score(lexical, c, d)), scores(c, d));
    }

    @Test
    void aPartOfWhatTheOtherTakesWhole_isRefused() {
        String a = "django rollback last migration";
        String b = "django rollback all migrations for an app";
        // served before the scope check
        assertFalse(lexical.serves(score(lexical, a, b)), scores(a, b));
    }

    @Test
    void superscriptForADigit_isRefused_aSubscriptOrTheSameNotationIsNot() {
        String[][] different = {
            {"What is the derivative of x² + 3x?", "What is the derivative of x2 + 3x?"},
            {"How much is 2³?", "How much is 23?"},
            {"What does 10⁻⁶ mean in scientific notation?", "What does 10-6 mean in scientific notation?"},
        };
        for (String[] p : different) {
            // below what any error bound serves, not only below the operating point
            assertTrue(score(lexical, p[0], p[1]) < PooledCalibration.LOW, scores(p[0], p[1]));
        }
        // the embedding alone cannot tell the first pair apart
        assertTrue(cosine.serves(score(cosine, different[0][0], different[0][1])), scores(different[0][0], different[0][1]));
        String a = "What does E=mc² mean?";
        String b = "What is the meaning of E=mc²?";
        assertTrue(lexical.serves(score(lexical, a, b)), scores(a, b));
        // a subscript is typed as a plain digit for the same thing
        String c = "How does CO₂ trap heat in the atmosphere?";
        String d = "How does CO2 trap heat in the atmosphere?";
        assertTrue(lexical.serves(score(lexical, c, d)), scores(c, d));
    }

    @Test
    void otherCodeBetweenBackticks_isRefused_theSameCodeReworded_isNot() {
        String a = "c++ `const int* p` vs `int* const p`";
        String b = "c++ `const int* p` vs `int const* p`";
        assertTrue(score(lexical, a, b) < PooledCalibration.LOW, scores(a, b));
        // the embedding alone cannot tell them apart
        assertTrue(cosine.serves(score(cosine, a, b)), scores(a, b));
        String c = "What does `git rebase -i HEAD~3` do?";
        String d = "Explain what `git rebase -i HEAD~3` does.";
        assertTrue(lexical.serves(score(lexical, c, d)), scores(c, d));
    }

    @Test
    void aTechnicalQuestionWithOneSpanSaidOtherwise_isRefused() {
        assertRefusedByAVetoAlone("crontab list jobs for current user", "crontab list jobs for another user");
    }

    @Test
    void aTechnicalTaskWithASpanPutIn_isRefused() {
        assertRefusedByAVetoAlone("git undo last commit keep changes",
                "git undo last commit and throw away all the changes");
        // the network trained with hand-written prompts refuses this one by itself
        assertFalse(lexical.serves(score(lexical, "vim delete all lines", "vim delete all empty lines")));
    }

    /** The default refuses the pair, and would serve it without the veto that refuses it. */
    private void assertRefusedByAVetoAlone(String a, String b) {
        assertTrue(score(lexical, a, b) < PooledCalibration.LOW, scores(a, b));
        assertTrue(lexical.serves(score(lexical, a, b) / Verifier.VETO_SCALE), scores(a, b));
    }

    @Test
    void withAnotherPrimaryModel_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), null, second));
        assertEquals("verifier 'verified-lexical' was trained with primary model 'all-minilm-l6-v2-q', not "
                + "'bge-small-en-v1.5-q'", e.getMessage());
    }

    /** Issue 11: LLM prompts that differ only by a constraint ask for different answers. */
    @Test
    void issue11_promptsThatDifferByAConstraint_areRefusedByTheDefault() {
        String[][] pairs = {
            {"Explain recursion in one sentence.", "Explain recursion in detail."},
            {"Write a haiku about cats.", "Write a limerick about cats."},
            {"Summarize the French revolution for a child.", "Summarize the French revolution for a historian."},
            {"Convert 30 degrees Celsius to Fahrenheit.", "Convert 30 degrees Fahrenheit to Celsius."},
            {"What are the pros of remote work?", "What are the cons of remote work?"},
            {"Write a function that reverses a string in Python.", "Write a function that reverses a string in Java."},
            // the vetoes added after the held-out prompts were read (MATCHING.md)
            {"What is the cheapest way to ship a parcel to Canada?", "What is the most expensive way to ship a parcel to Canada?"},
            {"What makes hardwood floors better than carpet?", "What makes carpet better than hardwood floors?"},
            {"Give me three names for a coffee shop.", "Give me twenty names for a coffee shop."},
            {"Explain how vaccines work.", "Explain how vaccines work. Keep it brief."},
            {"Write a Python function to validate an email address. Add comments.",
                "Write a Python function to validate an email address."},
        };
        for (String[] p : pairs) {
            String all = scores(p[0], p[1]);
            System.out.println(p[0] + " / " + p[1] + ": " + all);
            assertFalse(lexical.serves(score(lexical, p[0], p[1])), p[0] + " / " + p[1] + ": " + all);
        }
    }

    @Test
    void verifier_scoreIsACalibratedProbabilityAboveTheSearchFloor() {
        Verifier v = Verifier.builtin(Verifier.VERIFIED_LEXICAL);
        assertTrue(v.minCosine() > 0 && v.minCosine() < 1, "floor " + v.minCosine());
        assertTrue(v.calibrationSlope() > 0, "slope " + v.calibrationSlope());
        double same = score(lexical, "How do I reset my password?", "How can I reset my password?");
        double other = score(lexical, "How do I reset my password?", "What is the best pizza in Naples?");
        assertTrue(same > 0.5 && same <= 1, "same " + same);
        assertTrue(other >= 0 && other < 0.1, "other " + other);
    }

    @Test
    void cosineMatcher_scoreIsClippedCosine() {
        Prepared a = cosine.prepare("a", new float[] {1, 0});
        Prepared b = cosine.prepare("b", new float[] {0, 1});
        assertEquals(0.0, cosine.score(a, b, -0.2));
        assertEquals(0.91, cosine.score(a, b, 0.91));
        assertEquals(0.85, cosine.minCosine());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairMatcher.cosine(1.5));
        assertEquals("cosine threshold must be between 0 and 1, got 1.5", e.getMessage());
    }
}
