package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.match.PairEvaluation.ScoredPair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LearnedMetricTest {

    private static final int MEANING = 4;
    private static final int SURFACE = 4;

    /**
     * Pairs of 8-dimensional unit vectors whose first four dimensions carry the meaning and whose
     * last four carry wording: a pair with the same answer shares its meaning and has unrelated
     * wording, a look-alike shares its wording and has another meaning. The plain cosine cannot
     * tell them apart; a metric that learns to look at the meaning can.
     */
    private record Pairs(float[][] u, float[][] v, boolean[] same) {
        static Pairs draw(int n, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[][] u = new float[n][];
            float[][] v = new float[n][];
            boolean[] same = new boolean[n];
            for (int i = 0; i < n; i++) {
                same[i] = i % 2 == 0;
                double[] meaning = gaussian(random, MEANING);
                double[] wording = gaussian(random, SURFACE);
                double[] otherMeaning = same[i] ? jitter(random, meaning) : gaussian(random, MEANING);
                double[] otherWording = same[i] ? gaussian(random, SURFACE) : jitter(random, wording);
                u[i] = unit(meaning, wording);
                v[i] = unit(otherMeaning, otherWording);
            }
            return new Pairs(u, v, same);
        }

        double auc(LearnedMetric metric) {
            List<ScoredPair> scored = new ArrayList<>();
            for (int i = 0; i < u.length; i++) {
                double s = metric == null ? PairEvaluation.cosine(u[i], v[i])
                        : LearnedMetric.cosine(metric.project(u[i]), metric.project(v[i]));
                scored.add(new ScoredPair(s, same[i]));
            }
            return PairEvaluation.report("synthetic", "metric", 0.5, scored, false, null).rocAuc();
        }
    }

    private static double[] gaussian(SplittableRandom random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller; the second value is not needed.
            x[i] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return x;
    }

    private static double[] jitter(SplittableRandom random, double[] x) {
        double[] noise = gaussian(random, x.length);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + 0.2 * noise[i];
        }
        return out;
    }

    private static float[] unit(double[] a, double[] b) {
        float[] x = new float[a.length + b.length];
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            double value = i < a.length ? a[i] : b[i - a.length];
            x[i] = (float) value;
            norm += value * value;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= (float) Math.sqrt(norm);
        }
        return x;
    }

    private static final LearnedMetric.Settings SETTINGS = new LearnedMetric.Settings(30, 64, 1e-2, 1e-3, 7);

    private static LearnedMetric train(Pairs p, LearnedMetric.Settings settings) {
        double[] weight = new double[p.u().length];
        java.util.Arrays.fill(weight, 1);
        return LearnedMetric.train(p.u(), p.v(), p.same(), weight, settings, epoch -> { });
    }

    @Test
    void learnsWhichDimensionsCarryTheMeaning_onPairsItNeverSaw() {
        Pairs training = Pairs.draw(600, 1);
        Pairs heldOut = Pairs.draw(600, 2);
        LearnedMetric metric = train(training, SETTINGS);
        double cosine = heldOut.auc(null);
        double learned = heldOut.auc(metric);
        assertTrue(cosine < 0.7, "the synthetic task should defeat the plain cosine: AUC " + cosine);
        assertTrue(learned > 0.9, "held-out AUC " + learned + " (cosine " + cosine + ")");
    }

    @Test
    void identity_givesThePlainCosine() {
        Pairs p = Pairs.draw(50, 3);
        LearnedMetric identity = LearnedMetric.identity(MEANING + SURFACE);
        for (int i = 0; i < 50; i++) {
            assertEquals(PairEvaluation.cosine(p.u()[i], p.v()[i]),
                    LearnedMetric.cosine(identity.project(p.u()[i]), identity.project(p.v()[i])), 1e-6);
        }
    }

    @Test
    void sameSeed_sameWeights_andTheyReadBackAsWritten() {
        Pairs training = Pairs.draw(200, 4);
        LearnedMetric.Settings short_ = new LearnedMetric.Settings(3, 32, 1e-2, 1e-3, 9);
        LearnedMetric a = train(training, short_);
        LearnedMetric b = train(training, short_);
        assertArrayEquals(a.weights(), b.weights());
        assertTrue(a.weights()[1] != 0, "training moved an off-diagonal weight");
        // Through the verifier file's encoding (float32) and back.
        LearnedMetric read = LearnedMetric.of(decoded(Verifier.encodeFloats(a.weights())), a.dimension());
        assertArrayEquals(a.weights(), read.weights());
        assertArrayEquals(a.project(training.u()[0]), read.project(training.u()[0]));
    }

    private static double[] decoded(String base64) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(base64))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    @Test
    void badInput_isRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> LearnedMetric.of(new double[10], 4));
        assertThrows(IllegalArgumentException.class, () -> LearnedMetric.identity(4).project(new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> LearnedMetric.of(new double[] {1, Double.NaN, 0, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> LearnedMetric.train(new float[0][], new float[0][],
                new boolean[0], new double[0], SETTINGS, epoch -> { }));
    }
}
