package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.match.AdaptivePolicy.Decision;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;

import org.junit.jupiter.api.Test;

class AdaptivePolicyTest {

    private static final int ENTRIES = 20;
    private static final int REQUESTS = 10_000;
    private static final double DELTA = 0.05;

    /** Outcome of one simulated stream. */
    record Run(int served, int wrong, int explored, int servedFirst, int servedLast) {
        double errorRate() {
            return served == 0 ? 0 : (double) wrong / served;
        }
    }

    /**
     * Requests hit one of 20 entries at a similarity drawn uniformly from [0.7, 1]; entry e is truly
     * safe above its own threshold, spread from 0.78 to 0.94, so no single global threshold fits.
     */
    private static Run simulate(AdaptivePolicy policy, BiPredicate<Integer, Double> correct, SplittableRandom truth,
            SplittableRandom coin) {
        EntryThreshold[] states = new EntryThreshold[ENTRIES];
        Arrays.fill(states, EntryThreshold.empty());
        int served = 0;
        int wrong = 0;
        int explored = 0;
        int servedFirst = 0;
        int servedLast = 0;
        for (int i = 0; i < REQUESTS; i++) {
            int e = truth.nextInt(ENTRIES);
            double s = 0.7 + 0.3 * truth.nextDouble();
            boolean right = correct.test(e, s);
            Decision d = policy.decide(states[e], s, coin);
            if (d == Decision.SERVE) {
                served++;
                wrong += right ? 0 : 1;
                servedFirst += i < 2000 ? 1 : 0;
                servedLast += i >= REQUESTS - 2000 ? 1 : 0;
            } else if (d == Decision.EXPLORE) {
                explored++;
                states[e] = policy.observe(states[e], s, right);
            }
        }
        return new Run(served, wrong, explored, servedFirst, servedLast);
    }

    private static double trueThreshold(int entry) {
        return 0.78 + 0.16 * entry / (ENTRIES - 1);
    }

    @Test
    void simulatedStepTruth_errorAmongServedStaysWithinDelta_andServingGrows() {
        Run run = simulate(new AdaptivePolicy(DELTA), (e, s) -> s >= trueThreshold(e),
                new SplittableRandom(1), new SplittableRandom(2));
        String summary = String.format(Locale.ROOT, "%s, error %.4f", run, run.errorRate());
        System.out.println(summary);
        assertTrue(run.errorRate() <= DELTA + 0.01, summary);
        assertTrue(run.served() > 2000, summary);
        assertTrue(run.servedLast() > run.servedFirst() + 200, summary);
    }

    @Test
    void simulatedSigmoidTruth_errorAmongServedStaysWithinDelta() {
        // P(correct | s) = sigmoid(60 (s - t_e)): even well above t_e, answers are sometimes wrong.
        SplittableRandom noise = new SplittableRandom(3);
        Run run = simulate(new AdaptivePolicy(DELTA),
                (e, s) -> noise.nextDouble() < 1 / (1 + Math.exp(-60 * (s - trueThreshold(e)))),
                new SplittableRandom(4), new SplittableRandom(5));
        String summary = String.format(Locale.ROOT, "%s, error %.4f", run, run.errorRate());
        System.out.println(summary);
        assertTrue(run.errorRate() <= DELTA + 0.01, summary);
        assertTrue(run.served() > 1000, summary);
        assertTrue(run.servedLast() > run.servedFirst(), summary);
    }

    @Test
    void decide_newEntry_neverServes() {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA);
        SplittableRandom coin = new SplittableRandom(9);
        for (double s = 0.5; s <= 1.0; s += 0.05) {
            assertTrue(policy.decide(EntryThreshold.empty(), s, coin) != Decision.SERVE, "similarity " + s);
        }
    }

    @Test
    void decide_afterManyCorrectHighSimilarities_serves() {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA);
        EntryThreshold state = EntryThreshold.empty();
        for (int i = 0; i < 200; i++) {
            double s = 0.80 + 0.2 * i / 200;
            state = policy.observe(state, s, s >= 0.85);
        }
        assertEquals(Decision.SERVE, policy.decide(state, 0.97, new SplittableRandom(1)));
        assertTrue(policy.errorBound(state, 0.97) <= DELTA);
        assertTrue(policy.errorBound(state, 0.82) > 0.5);
        assertTrue(policy.decide(state, 0.80, new SplittableRandom(1)) != Decision.SERVE);
    }

    @Test
    void entryThreshold_encodeDecodeRoundTrip() {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA);
        EntryThreshold state = policy.observe(policy.observe(policy.observe(EntryThreshold.empty(), 0.912, true), 0.91, false), 0.5, true);
        assertEquals("v1;100:1:0;182:1:1", state.encode());
        assertEquals(state, EntryThreshold.decode(state.encode()));
        assertEquals(3, state.observations());
        assertEquals("v1", EntryThreshold.empty().encode());
        assertEquals(EntryThreshold.empty(), EntryThreshold.decode("v1"));
    }

    @Test
    void entryThreshold_decodeRejectsGarbage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryThreshold.decode("v2;1:1:1"));
        assertEquals("not an encoded entry threshold (expected 'v1' first): v2;1:1:1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EntryThreshold.decode("v1;5:1"));
        assertThrows(IllegalArgumentException.class, () -> EntryThreshold.decode("v1;9:1:0;5:1:0"));
    }

    @Test
    void entryThreshold_halvesCountsPastTheCap() {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA);
        EntryThreshold state = EntryThreshold.empty();
        for (int i = 0; i <= EntryThreshold.MAX_OBSERVATIONS; i++) {
            state = policy.observe(state, 0.9, true);
        }
        assertEquals((EntryThreshold.MAX_OBSERVATIONS + 1) / 2, state.observations());
    }

    @Test
    void constructor_rejectsOutOfRangeDelta() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaptivePolicy(0.7));
        assertEquals("delta must be between 0 and 0.5 (exclusive), got 0.7", e.getMessage());
    }
}
