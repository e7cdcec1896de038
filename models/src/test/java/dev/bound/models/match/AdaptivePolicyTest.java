package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.match.AdaptivePolicy.Decision;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * The error bound over a simulated stream with a known P(correct | score), and the per-entry
 * refinement. Streams are seeded; nothing depends on timing.
 */
class AdaptivePolicyTest {

    private static final double DELTA = 0.02;
    private static final int LOOKUPS = 20_000;
    private static final double VERIFY_RATE = 0.1;
    private static final DoubleUnaryOperator CALIBRATED = s -> s;

    /** What one simulated stream served. */
    record Run(int served, int wrong, int servedFirstQuarter, int servedLastQuarter, int wrongSecondHalf,
            int servedSecondHalf, boolean firstServed) {
        double errorRate() {
            return served == 0 ? 0 : (double) wrong / served;
        }

        double secondHalfErrorRate() {
            return servedSecondHalf == 0 ? 0 : (double) wrongSecondHalf / servedSecondHalf;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "served %d, wrong %d (%.4f; second half %.4f), first/last quarter %d/%d",
                    served, wrong, errorRate(), secondHalfErrorRate(), servedFirstQuarter, servedLastQuarter);
        }
    }

    /**
     * A stream of lookups as the gateway makes them. The best candidate's score is 0.995 on the
     * first lookup, then drawn as traffic might bring it: 30 % near-duplicates in [0.95, 1], 40 %
     * spread over [0.5, 0.95], 30 % with nothing close. Whether serving it is right is drawn from
     * {@code truth}. A share {@value #VERIFY_RATE} of would-be hits is verified instead of served,
     * and as many candidates below τ are compared, as Matching does; both teach the policy.
     */
    private static Run simulate(DoubleUnaryOperator prior, DoubleUnaryOperator truth, long seed) {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA,
                new PooledCalibration(prior, PooledCalibration.DEFAULT_PRIOR_STRENGTH, PooledCalibration.DEFAULT_HALF_LIFE));
        SplittableRandom r = new SplittableRandom(seed);
        EntryThreshold entry = EntryThreshold.empty();
        int served = 0;
        int wrong = 0;
        int first = 0;
        int last = 0;
        int wrongLate = 0;
        int servedLate = 0;
        boolean firstServed = false;
        for (int i = 0; i < LOOKUPS; i++) {
            double u = r.nextDouble();
            double s = i == 0 ? 0.995 : u < 0.3 ? 0.95 + 0.05 * r.nextDouble()
                    : u < 0.7 ? 0.5 + 0.45 * r.nextDouble() : 0.5 * r.nextDouble();
            boolean right = r.nextDouble() < truth.applyAsDouble(s);
            policy.seen(s);
            Decision d = policy.decide(entry, s);
            boolean verify = r.nextDouble() < VERIFY_RATE;
            if (d == Decision.SERVE && !verify) {
                served++;
                wrong += right ? 0 : 1;
                first += i < LOOKUPS / 4 ? 1 : 0;
                last += i >= LOOKUPS * 3 / 4 ? 1 : 0;
                if (i >= LOOKUPS / 2) {
                    servedLate++;
                    wrongLate += right ? 0 : 1;
                }
                firstServed |= i == 0;
            } else if (verify && s >= PooledCalibration.LOW) {
                // One entry that learns nothing: the pooled calibration is what is under test.
                policy.observe(entry, s, right);
            }
        }
        return new Run(served, wrong, first, last, wrongLate, servedLate, firstServed);
    }

    @Test
    void calibratedPrior_servesFromTheFirstRequest_realisedErrorWithinDelta() {
        int served = 0;
        int wrong = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Run run = simulate(CALIBRATED, CALIBRATED, seed);
            System.out.println("calibrated, seed " + seed + ": " + run);
            assertTrue(run.firstServed(), "the first request, at 0.995, is served: " + run);
            assertTrue(run.servedFirstQuarter() > 300, run.toString());
            assertTrue(run.errorRate() <= DELTA + 0.003, run.toString());
            served += run.served();
            wrong += run.wrong();
        }
        assertTrue((double) wrong / served <= DELTA, "over all seeds: " + wrong + " / " + served);
    }

    @Test
    void optimisticPrior_learnsFromVerification_andTheErrorComesDown() {
        // The prior says P(correct | s) = s; in truth answers are wrong 1.5 times as often.
        for (long seed = 1; seed <= 5; seed++) {
            Run run = simulate(CALIBRATED, s -> 1 - 1.5 * (1 - s), seed);
            System.out.println("optimistic prior, seed " + seed + ": " + run);
            assertTrue(run.firstServed(), run.toString());
            assertTrue(run.errorRate() <= DELTA + 0.005, run.toString());
            assertTrue(run.secondHalfErrorRate() <= DELTA + 0.003, run.toString());
        }
    }

    @Test
    void pessimisticPrior_servesMoreAsEvidenceArrives() {
        // The prior says P(correct | s) = s; in truth answers are wrong half as often.
        for (long seed = 1; seed <= 3; seed++) {
            Run run = simulate(CALIBRATED, s -> 1 - (1 - s) / 2, seed);
            System.out.println("pessimistic prior, seed " + seed + ": " + run);
            assertTrue(run.errorRate() <= DELTA, run.toString());
            assertTrue(run.servedLastQuarter() > run.servedFirstQuarter(), run.toString());
        }
    }

    @Test
    void withoutEvidence_thresholdComesFromThePriorAlone() {
        // Prior s, even spread: bins from 0.96 up have mean error (0.035+0.025+0.015+0.005)/4 = 0.02.
        AdaptivePolicy policy = new AdaptivePolicy(0.0201, new PooledCalibration(CALIBRATED, 20, 10_000));
        assertEquals(0.96, policy.threshold(), 1e-9);
        assertEquals(0.02, policy.predictedError(), 1e-9);
        assertEquals(Decision.SERVE, policy.decide(EntryThreshold.empty(), 0.96));
        assertEquals(Decision.BELOW_THRESHOLD, policy.decide(EntryThreshold.empty(), 0.959));
        assertEquals(Decision.BELOW_THRESHOLD, policy.decide(EntryThreshold.empty(), 0.3));
    }

    @Test
    void mostTrafficNearOne_lowersTheThreshold() {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA, new PooledCalibration(CALIBRATED, 20, 10_000));
        double before = policy.threshold();
        for (int i = 0; i < 1000; i++) {
            policy.seen(0.995);
        }
        assertTrue(policy.threshold() < before, policy.threshold() + " vs " + before);
        assertTrue(policy.predictedError() <= DELTA, "predicted " + policy.predictedError());
    }

    @Test
    void entryWrongAtAScore_isRefusedThereAndBelow_servedAbove() {
        AdaptivePolicy policy = new AdaptivePolicy(0.05, new PooledCalibration(CALIBRATED, 20, 10_000));
        double tau = policy.threshold();
        EntryThreshold fresh = EntryThreshold.empty();
        EntryThreshold burnt = policy.observe(fresh, 0.975, false);
        assertTrue(tau <= 0.96, "tau " + tau);
        assertEquals(Decision.SERVE, policy.decide(fresh, 0.975), "no evidence: the pooled threshold");
        assertEquals(Decision.REFUSED_BY_ENTRY, policy.decide(burnt, 0.975));
        assertEquals(Decision.REFUSED_BY_ENTRY, policy.decide(burnt, 0.965));
        assertEquals(Decision.SERVE, policy.decide(burnt, 0.99), "above the wrong observation");
    }

    @Test
    void entryWithManyCorrectObservations_outweighsOneWrong() {
        AdaptivePolicy policy = new AdaptivePolicy(0.05, new PooledCalibration(CALIBRATED, 20, 10_000));
        EntryThreshold e = policy.observe(EntryThreshold.empty(), 0.98, false);
        assertEquals(Decision.REFUSED_BY_ENTRY, policy.decide(e, 0.98));
        for (int i = 0; i < 60; i++) {
            e = policy.observe(e, 0.975, true);
        }
        assertEquals(Decision.SERVE, policy.decide(e, 0.98));
    }

    @Test
    void entryWithOnlyCorrectObservations_isNeverRefused() {
        AdaptivePolicy policy = new AdaptivePolicy(DELTA, new PooledCalibration(CALIBRATED, 20, 10_000));
        EntryThreshold e = policy.observe(EntryThreshold.empty(), 0.99, true);
        assertEquals(Decision.SERVE, policy.decide(e, 0.995));
    }

    @Test
    void constructor_rejectsOutOfRangeValues() {
        PooledCalibration c = new PooledCalibration(CALIBRATED, 20, 10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaptivePolicy(0.7, c));
        assertEquals("delta must be between 0 and 0.5 (exclusive), got 0.7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdaptivePolicy(0.02, c, -1));
        assertEquals("margin must be a number of standard deviations, at least 0, got -1.0", e.getMessage());
    }

    @Test
    void entryThreshold_encodeDecodeRoundTrip() {
        EntryThreshold state = EntryThreshold.empty().plus(0.912, true).plus(0.91, false).plus(0.5, true);
        assertEquals("v1;100:1:0;182:1:1", state.encode());
        assertEquals(state, EntryThreshold.decode(state.encode()));
        assertEquals(3, state.observations());
        assertEquals("v1", EntryThreshold.empty().encode());
        assertEquals(EntryThreshold.empty(), EntryThreshold.decode("v1"));
    }

    @Test
    void entryThreshold_countsByDirection() {
        EntryThreshold state = EntryThreshold.empty().plus(0.90, true).plus(0.95, true).plus(0.93, false)
                .plus(0.97, false);
        assertEquals(1, state.correctAtOrBelow(0.92));
        assertEquals(2, state.correctAtOrBelow(0.95));
        assertEquals(2, state.wrongAtOrAbove(0.93));
        assertEquals(1, state.wrongAtOrAbove(0.94));
        assertEquals(0, state.wrongAtOrAbove(0.98));
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
        EntryThreshold state = EntryThreshold.empty();
        for (int i = 0; i <= EntryThreshold.MAX_OBSERVATIONS; i++) {
            state = state.plus(0.9, true);
        }
        assertEquals((EntryThreshold.MAX_OBSERVATIONS + 1) / 2, state.observations());
    }
}
