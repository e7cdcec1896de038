package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MlpTest {

    /** The shipped verifier's network, on inputs spread like standardised features and beyond. */
    @Test
    void scorer_givesTheTrainedNetworksLogOdds() {
        for (String variant : new String[] {Verifier.VERIFIED_LEXICAL, Verifier.VERIFIED}) {
            Mlp net = Verifier.builtin(variant).head();
            Mlp.Scorer served = net.scorer();
            SplittableRandom random = new SplittableRandom(11);
            double widest = 0;
            for (int n = 0; n < 500; n++) {
                double[] x = new double[net.inputs()];
                for (int j = 0; j < x.length; j++) {
                    // scale is the reciprocal of the spread; 0 for an input that never varied
                    double spread = net.scale[j] == 0 ? 1 : 1 / net.scale[j];
                    x[j] = net.mean[j] + 3 * (random.nextDouble() * 2 - 1) * spread;
                }
                double exact = net.logit(x);
                widest = Math.max(widest, Math.abs(exact));
                assertEquals(exact, served.logit(x), 1e-4 * Math.max(1, Math.abs(exact)),
                        variant + " input " + n);
            }
            // The inputs reach both signs of the ReLUs, not only a constant output.
            assertTrue(widest > 1, variant + " log-odds stayed within ±1: " + widest);
        }
    }

    @Test
    void scorer_handBuiltNetwork() {
        // Two inputs, two hidden units: h1 = relu(x0 - x1), h2 = relu(x1 - 0.5); out = 2 h1 - h2 + 0.25.
        Mlp net = new Mlp(new double[] {0, 0}, new double[] {1, 1}, new double[] {1, -1, 0, 1},
                new double[] {0, -0.5}, new double[] {2, -1}, 0.25);
        Mlp.Scorer s = net.scorer();
        assertEquals(3.75, s.logit(new double[] {3, 1}), 1e-6); // h1 = 2, h2 = 0.5
        assertEquals(3.75, net.logit(new double[] {3, 1}), 1e-12);
        assertEquals(-1.25, s.logit(new double[] {0, 2}), 1e-6); // h1 = 0, h2 = 1.5
        assertEquals(-1.25, net.logit(new double[] {0, 2}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> s.logit(new double[3]));
    }

    @Test
    void average_isTheMeanOfTheMembersLogOdds() {
        // Two networks over the same two standardised inputs (mean 1 and 0, spread 1 and 1/2).
        double[] mean = {1, 0};
        double[] scale = {1, 2};
        Mlp a = new Mlp(mean, scale, new double[] {1, -1, 0, 1}, new double[] {0, -0.5}, new double[] {2, -1}, 0.25);
        Mlp b = new Mlp(mean, scale, new double[] {-1, 2}, new double[] {0.3}, new double[] {1.5}, -1);
        Mlp both = Mlp.average(List.of(a, b));
        assertEquals(3, both.hidden());
        SplittableRandom random = new SplittableRandom(5);
        boolean differ = false;
        for (int n = 0; n < 200; n++) {
            double[] x = {random.nextDouble() * 6 - 3, random.nextDouble() * 6 - 3};
            double expected = (a.logit(x) + b.logit(x)) / 2;
            assertEquals(expected, both.logit(x), 1e-12, "input " + n);
            assertEquals(expected, both.scorer().logit(x), 1e-4 * Math.max(1, Math.abs(expected)), "input " + n);
            differ |= Math.abs(a.logit(x) - b.logit(x)) > 1;
        }
        // The members disagree on some inputs, so the mean is not one member's output.
        assertTrue(differ);
        // One member alone is itself.
        double[] x = {2, -1};
        assertEquals(a.logit(x), Mlp.average(List.of(a)).logit(x), 1e-12);
    }

    @Test
    void average_refusesMembersThatReadTheirInputsOnOtherScales() {
        Mlp a = new Mlp(new double[] {0}, new double[] {1}, new double[] {1}, new double[] {0}, new double[] {1}, 0);
        Mlp b = new Mlp(new double[] {0}, new double[] {2}, new double[] {1}, new double[] {0}, new double[] {1}, 0);
        assertThrows(IllegalArgumentException.class, () -> Mlp.average(List.of(a, b)));
        assertThrows(IllegalArgumentException.class, () -> Mlp.average(List.of()));
    }
}
