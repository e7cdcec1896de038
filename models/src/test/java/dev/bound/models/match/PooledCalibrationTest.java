package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The pooled Beta posteriors, their monotone fit, the score histogram and the threshold choice. */
class PooledCalibrationTest {

    private static PooledCalibration identity() {
        return new PooledCalibration(s -> s, 20, 10_000);
    }

    @Test
    void bins_coverLowToOne() {
        assertEquals(-1, PooledCalibration.bin(0.4999));
        assertEquals(0, PooledCalibration.bin(0.5));
        assertEquals(46, PooledCalibration.bin(0.96));
        assertEquals(48, PooledCalibration.bin(0.99 - 1e-6));
        assertEquals(49, PooledCalibration.bin(0.99 - 1e-12), "rounding noise at an edge goes up");
        assertEquals(49, PooledCalibration.bin(0.99));
        assertEquals(49, PooledCalibration.bin(1.0));
        assertEquals(0.96, PooledCalibration.lowerEdge(46), 1e-12);
    }

    @Test
    void priorOnly_isThePriorAtEachBinCentre() {
        PooledCalibration c = identity();
        assertEquals(0.995, c.pCorrect(0.999), 1e-12);
        assertEquals(0.505, c.pCorrect(0.5), 1e-12);
        assertEquals(0, c.pCorrect(0.2));
        assertEquals(1 / (1 + Math.exp(-40 * 0.105)), new PooledCalibration(PooledCalibration.cosinePrior(), 20, 10)
                .pCorrect(0.95), 1e-12);
    }

    @Test
    void observation_updatesTheBetaPosterior_andPoolsAMonotoneViolation() {
        PooledCalibration c = identity();
        // Bin 45 (prior 0.955) after one wrong: 19.1 / 21 = 0.9095, below bin 44 (0.945), so the
        // two pool: 38 / 41 = 0.9268, below bin 43 (0.935): 56.7 / 61 = 0.92951, above bin 42 (0.925).
        c.observe(0.955, false);
        assertEquals(56.7 / 61, c.pCorrect(0.93), 1e-12);
        assertEquals(56.7 / 61, c.pCorrect(0.94), 1e-12);
        assertEquals(56.7 / 61, c.pCorrect(0.955), 1e-12);
        assertEquals(0.925, c.pCorrect(0.925), 1e-12);
        assertEquals(0.965, c.pCorrect(0.965), 1e-12);
        assertEquals(1, c.observations());
    }

    @Test
    void manyObservations_fitIsNonDecreasingInTheScore() {
        PooledCalibration c = identity();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            double s = 0.5 + 0.5 * r.nextDouble();
            c.observe(s, r.nextDouble() < s * s);
        }
        double last = 0;
        for (int b = 0; b < PooledCalibration.BINS; b++) {
            double p = c.pCorrect(PooledCalibration.centre(b));
            assertTrue(p >= last, "bin " + b + ": " + p + " < " + last);
            last = p;
        }
        // With 100 observations a bin, the evidence (s²) outweighs the prior (s).
        assertEquals(0.95 * 0.95, c.pCorrect(0.95), 0.03);
    }

    @Test
    void threshold_withoutEvidence_isWhereThePriorsMeanErrorMeetsDelta() {
        PooledCalibration c = identity();
        // Even spread before traffic: the top k bins' mean error is 0.005 k.
        assertEquals(46, c.thresholdBin(0.0201, 1, 1.645));
        assertEquals(47, c.thresholdBin(0.0199, 1, 1.645));
        assertEquals(40, c.thresholdBin(0.0501, 1, 1.645));
        assertEquals(0.02, c.servedError(46, 1), 1e-12);
        // A bin whose single answers are too often wrong is left out, however much traffic it has.
        assertEquals(PooledCalibration.BINS, c.thresholdBin(0.0201, 0.004, 0));
        assertTrue(Double.isNaN(c.servedError(46, 0.004)));
    }

    @Test
    void threshold_weighsTheScoresSeen() {
        PooledCalibration c = identity();
        for (int i = 0; i < 300; i++) {
            c.seen(0.995);
        }
        // About 300 recent lookups at error 0.005 (a little less after decay), plus the even prior
        // spread of one per bin: from bin b up the mean error is (m × 0.005 + Σ_{b..48} errors) / (m + 49 − b).
        double m = 1 + c.state().seen()[49];
        assertTrue(m > 290 && m < 301, "mass " + m);
        int b = c.thresholdBin(0.02, 1, 0);
        double err = m * 0.005;
        double n = m;
        for (int k = 48; k >= b; k--) {
            err += 1 - PooledCalibration.centre(k);
            n++;
        }
        assertTrue(b < 40, "bin " + b);
        assertTrue(err / n <= 0.02);
        assertTrue((err + 1 - PooledCalibration.centre(b - 1)) / (n + 1) > 0.02);
        assertEquals(err / n, c.servedError(b, 1), 1e-12);
    }

    @Test
    void histogram_forgetsWithItsHalfLife() {
        PooledCalibration c = new PooledCalibration(s -> s, 20, 10);
        c.seen(0.995);
        for (int i = 0; i < 10; i++) {
            c.seen(0.6);
        }
        double[] seen = c.state().seen();
        // The first score was added at weight 1; eleven additions later the weight is 2^1.1.
        assertEquals(Math.pow(2, -1.1), seen[49], 1e-12);
        double recent = 0;
        for (int i = 1; i <= 10; i++) {
            recent += Math.pow(2, -i / 10.0);
        }
        assertEquals(recent, seen[10], 1e-12);
    }

    @Test
    void binPastTheCap_isHalved() {
        PooledCalibration c = identity();
        for (int i = 0; i <= PooledCalibration.MAX_PER_BIN; i++) {
            c.observe(0.995, true);
        }
        assertEquals((PooledCalibration.MAX_PER_BIN + 1) / 2, c.observations(), 1e-9);
    }

    @Test
    void state_restoredIntoAFreshCalibration_givesTheSameNumbers() {
        PooledCalibration c = identity();
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            double s = r.nextDouble();
            c.seen(s);
            if (i % 5 == 0) {
                c.observe(s, r.nextDouble() < s);
            }
        }
        PooledCalibration back = identity();
        back.restore(c.state());
        assertEquals(c.state(), back.state());
        assertEquals(c.thresholdBin(0.02, 0.2, 1.645), back.thresholdBin(0.02, 0.2, 1.645));
        for (int b = 0; b < PooledCalibration.BINS; b++) {
            double s = PooledCalibration.centre(b);
            assertEquals(c.pCorrect(s), back.pCorrect(s), 0, "bin " + b);
        }
        assertEquals(c.servedError(40, 0.2), back.servedError(40, 0.2), 1e-12);
    }

    @Test
    void invalidArguments_areRefusedWithTheirValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PooledCalibration(s -> s, 0, 10));
        assertEquals("prior strength must be above 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PooledCalibration(s -> s, 20, 0.5));
        assertEquals("half-life must be at least 1 lookup, got 0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PooledCalibration(s -> 2 * s, 20, 10));
        assertEquals("the prior must be a probability, got 1.01 at 0.505", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PooledCalibration.State(new double[3],
                new double[PooledCalibration.BINS], new double[PooledCalibration.BINS]));
        assertEquals("expected 50 bins, got 3", e.getMessage());
    }

    @Test
    void offlineEvidence_weighsAsObservations_butIsNeitherSavedNorReplaced() {
        double[] right = new double[PooledCalibration.BINS];
        double[] wrong = new double[PooledCalibration.BINS];
        SplittableRandom r = new SplittableRandom(11);
        PooledCalibration observed = identity();
        for (int i = 0; i < 800; i++) {
            double s = 0.7 + 0.3 * r.nextDouble();
            boolean ok = r.nextDouble() < Math.min(1, s + 0.06); // right more often than the score says
            (ok ? right : wrong)[PooledCalibration.bin(s)]++;
            observed.observe(s, ok);
        }
        ServedEvidence evidence = new ServedEvidence("verified-lexical", "m", "sha", right, wrong, "test");
        PooledCalibration offline = new PooledCalibration(s -> s, 20, 10_000, evidence);
        PooledCalibration none = identity();
        for (int i = 0; i < 2000; i++) {
            double s = 0.5 + 0.5 * r.nextDouble();
            for (PooledCalibration c : new PooledCalibration[] {observed, offline, none}) {
                c.seen(s);
            }
        }
        for (double s = 0.5; s < 1; s += 0.01) {
            assertEquals(observed.pCorrect(s), offline.pCorrect(s), 1e-12, "at " + s);
        }
        // The evidence counts in the margin's noise as observations do, and moves the threshold.
        assertEquals(observed.thresholdBin(0.08, 0.5, 1.645), offline.thresholdBin(0.08, 0.5, 1.645));
        assertTrue(offline.thresholdBin(0.08, 0.5, 1.645) > offline.thresholdBin(0.08, 0.5, 0),
                "the margin is not zero");
        assertTrue(offline.thresholdBin(0.08, 0.5, 1.645) < none.thresholdBin(0.08, 0.5, 1.645),
                "evidence better than the prior serves more");

        assertEquals(0, offline.observations());
        assertEquals(800, offline.offlineObservations(), 1e-9);
        double before = offline.pCorrect(0.8);
        offline.restore(offline.state());
        assertEquals(before, offline.pCorrect(0.8), 1e-12, "a restore keeps the offline evidence");
        offline.restore(observed.state());
        assertEquals(1600, offline.observations() + offline.offlineObservations(), 1e-9);
    }
}
