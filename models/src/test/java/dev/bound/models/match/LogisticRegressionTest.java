package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    @Test
    void fit_recoversKnownWeights_andKeepsSignConstraint() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        double[][] x = new double[n][];
        boolean[] y = new boolean[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double a = random.nextDouble();
            double b = random.nextDouble() < 0.3 ? 1 : 0;
            double noise = random.nextDouble();
            x[i] = new double[] {a, b, noise};
            double p = 1 / (1 + Math.exp(-(-2 + 4 * a - 3 * b)));
            y[i] = random.nextDouble() < p;
            w[i] = 1;
        }
        LogisticRegression.Model free = LogisticRegression.fit(x, y, w, new int[] {0, 0, 0}, 1e-6);
        assertEquals(4, free.weights()[0], 0.3);
        assertEquals(-3, free.weights()[1], 0.3);
        assertEquals(-2, free.bias(), 0.3);
        assertEquals(0, free.weights()[2], 0.3);

        // Forcing the flag's weight to be non-negative pins it at zero instead of letting it go to -3.
        LogisticRegression.Model constrained = LogisticRegression.fit(x, y, w, new int[] {1, 1, 0}, 1e-6);
        assertEquals(0.0, constrained.weights()[1]);
        assertTrue(constrained.weights()[0] > 0);
    }
}
