package dev.bound.models.match;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.util.VectorUtil;

/**
 * A small feed-forward network with one hidden layer of ReLU units and a logistic output: the
 * verifier's head. Inputs are standardised with the training set's mean and spread, so the weights
 * of very different features (a flag, a cosine, one coordinate of an element-wise product) are on
 * one scale.
 *
 * <p>Scoring is {@code hidden × inputs} multiply-adds (64 × 781 for the default verifier: about
 * 50,000): some tens of microseconds in {@link #logit}, less in the {@link #scorer} that serves.
 * Training ({@link #train}) is mini-batch Adam on the weighted
 * log-loss with L2 decay, deterministic for a given seed, single-threaded.
 */
final class Mlp {

    final double[] mean;
    final double[] scale;
    /** hidden × inputs, row-major. */
    final double[] w1;
    final double[] b1;
    final double[] w2;
    double b2;

    Mlp(double[] mean, double[] scale, double[] w1, double[] b1, double[] w2, double b2) {
        int inputs = mean.length;
        int hidden = b1.length;
        if (scale.length != inputs || w1.length != inputs * hidden || w2.length != hidden) {
            throw new IllegalArgumentException("inconsistent network shape: " + inputs + " inputs, " + hidden
                    + " hidden units, " + w1.length + " first-layer and " + w2.length + " output weights");
        }
        this.mean = mean;
        this.scale = scale;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    int inputs() {
        return mean.length;
    }

    int hidden() {
        return b1.length;
    }

    /** The log-odds for one raw (not standardised) input vector. */
    double logit(double[] x) {
        int d = mean.length;
        double[] z = new double[d];
        for (int j = 0; j < d; j++) {
            z[j] = (x[j] - mean[j]) * scale[j];
        }
        double out = b2;
        for (int h = 0; h < b1.length; h++) {
            double a = b1[h];
            int row = h * d;
            for (int j = 0; j < d; j++) {
                a += w1[row + j] * z[j];
            }
            if (a > 0) {
                out += w2[h] * a;
            }
        }
        return out;
    }

    /**
     * A fixed copy of the network for serving: the same function as {@link #logit} in single
     * precision, each hidden unit one dot product through Lucene's {@link VectorUtil}, which uses
     * SIMD instructions when the JDK's vector module is present. A serial double loop, as in
     * {@link #logit}, takes tens of microseconds per pair; the verifier scores five candidates per
     * lookup. Training keeps {@link #logit}, whose weights change in place.
     */
    Scorer scorer() {
        return new Scorer(this);
    }

    /** See {@link #scorer()}; immutable and thread-safe. */
    static final class Scorer {
        private final float[] mean;
        private final float[] scale;
        private final float[][] rows;
        private final float[] b1;
        private final float[] w2;
        private final float b2;

        private Scorer(Mlp m) {
            int d = m.inputs();
            mean = toFloats(m.mean, 0, d);
            scale = toFloats(m.scale, 0, d);
            rows = new float[m.hidden()][];
            for (int h = 0; h < rows.length; h++) {
                rows[h] = toFloats(m.w1, h * d, d);
            }
            b1 = toFloats(m.b1, 0, m.hidden());
            w2 = toFloats(m.w2, 0, m.hidden());
            b2 = (float) m.b2;
        }

        private static float[] toFloats(double[] a, int from, int n) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) a[from + i];
            }
            return out;
        }

        /** The log-odds for one raw (not standardised) input vector, as {@link Mlp#logit}. */
        double logit(double[] x) {
            if (x.length != mean.length) {
                throw new IllegalArgumentException("the network takes " + mean.length + " inputs, not " + x.length);
            }
            float[] z = new float[mean.length];
            for (int j = 0; j < z.length; j++) {
                z[j] = (float) ((x[j] - mean[j]) * scale[j]);
            }
            double out = b2;
            for (int h = 0; h < rows.length; h++) {
                float a = b1[h] + VectorUtil.dotProduct(rows[h], z);
                if (a > 0) {
                    out += (double) w2[h] * a;
                }
            }
            return out;
        }
    }

    /** Training settings. */
    record Settings(int hidden, int epochs, int batch, double learningRate, double l2, long seed) {

        /** These settings with another seed: the same network trained from another start. */
        Settings withSeed(long other) {
            return new Settings(hidden, epochs, batch, learningRate, l2, other);
        }
    }

    /** What training reports per epoch. */
    interface Progress {
        /** Called after each epoch; return the validation loss, lower is better. */
        double epochDone(int epoch, Mlp current);
    }

    /**
     * Fits a network; keeps the weights of the epoch with the lowest validation loss.
     *
     * @param x raw inputs, one row per example
     * @param y labels
     * @param weight each example's weight in the loss
     */
    static Mlp train(double[][] x, boolean[] y, double[] weight, Settings s, Progress progress) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += weight[i];
            for (int j = 0; j < d; j++) {
                mean[j] += weight[i] * x[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x[i][j] - mean[j];
                scale[j] += weight[i] * c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / total);
            scale[j] = sd > 1e-9 ? 1 / sd : 0;
        }
        SplittableRandom random = new SplittableRandom(s.seed());
        int hidden = s.hidden();
        double[] w1 = new double[hidden * d];
        double[] b1 = new double[hidden];
        double[] w2 = new double[hidden];
        double init1 = Math.sqrt(2.0 / d);
        for (int k = 0; k < w1.length; k++) {
            w1[k] = gaussian(random) * init1;
        }
        double init2 = Math.sqrt(1.0 / hidden);
        for (int h = 0; h < hidden; h++) {
            w2[h] = gaussian(random) * init2;
        }
        double[] b2 = {0};
        Mlp net = new Mlp(mean, scale, w1, b1, w2, 0);
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = new double[d];
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) * scale[j];
            }
        }
        // Adam moments for every parameter, in the order w1, b1, w2, b2.
        int params = w1.length + hidden + hidden + 1;
        double[] m = new double[params];
        double[] v = new double[params];
        double[] grad = new double[params];
        long step = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double meanWeight = total / n;
        double[] act = new double[hidden];
        Mlp best = net.copy();
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += s.batch()) {
                int to = Math.min(n, from + s.batch());
                java.util.Arrays.fill(grad, 0);
                for (int k = from; k < to; k++) {
                    int i = order[k];
                    double[] zi = z[i];
                    double out = b2[0];
                    for (int h = 0; h < hidden; h++) {
                        double a = b1[h];
                        int row = h * d;
                        for (int j = 0; j < d; j++) {
                            a += w1[row + j] * zi[j];
                        }
                        act[h] = a > 0 ? a : 0;
                        out += w2[h] * act[h];
                    }
                    double p = 1 / (1 + Math.exp(-out));
                    double g = (p - (y[i] ? 1 : 0)) * weight[i] / meanWeight;
                    int base = w1.length + hidden;
                    for (int h = 0; h < hidden; h++) {
                        grad[base + h] += g * act[h];
                        if (act[h] > 0) {
                            double gh = g * w2[h];
                            grad[w1.length + h] += gh;
                            int row = h * d;
                            for (int j = 0; j < d; j++) {
                                grad[row + j] += gh * zi[j];
                            }
                        }
                    }
                    grad[params - 1] += g;
                }
                int size = to - from;
                step++;
                double lr = s.learningRate() * Math.sqrt(1 - Math.pow(Adam.BETA2, step))
                        / (1 - Math.pow(Adam.BETA1, step));
                // One flat gradient and moment vector, in the order w1, b1, w2, b2; weights decay, biases do not.
                Adam adam = new Adam(grad, m, v, size, lr, s.l2());
                adam.step(w1, 0, true);
                adam.step(b1, w1.length, false);
                adam.step(w2, w1.length + hidden, true);
                adam.step(b2, params - 1, false);
            }
            net.b2 = b2[0];
            double loss = progress.epochDone(epoch, net);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = net.copy();
            }
        }
        return best;
    }

    /** One Adam update of a parameter array whose gradient and moments start at {@code offset}. */
    private record Adam(double[] grad, double[] m, double[] v, int batch, double rate, double l2) {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;

        void step(double[] p, int offset, boolean decay) {
            for (int i = 0; i < p.length; i++) {
                int k = offset + i;
                double g = grad[k] / batch + (decay ? l2 * p[i] : 0);
                m[k] = BETA1 * m[k] + (1 - BETA1) * g;
                v[k] = BETA2 * v[k] + (1 - BETA2) * g * g;
                p[i] -= rate * m[k] / (Math.sqrt(v[k]) + 1e-8);
            }
        }
    }

    /**
     * The mean of several networks' log-odds as one network: their hidden units side by side, each
     * output weight divided by their number, the output biases averaged. Every member must read its
     * inputs on the same scale (trained on the same data, so the same mean and spread); members
     * trained from different seeds disagree where one network alone would be confident by chance,
     * and the mean is steadier than any of them.
     */
    static Mlp average(List<Mlp> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no network to average");
        }
        Mlp first = members.get(0);
        int d = first.inputs();
        int hidden = 0;
        for (Mlp m : members) {
            if (!Arrays.equals(m.mean, first.mean) || !Arrays.equals(m.scale, first.scale)) {
                throw new IllegalArgumentException("networks to average must standardise their inputs alike");
            }
            hidden += m.hidden();
        }
        double[] w1 = new double[hidden * d];
        double[] b1 = new double[hidden];
        double[] w2 = new double[hidden];
        double b2 = 0;
        int at = 0;
        for (Mlp m : members) {
            System.arraycopy(m.w1, 0, w1, at * d, m.w1.length);
            System.arraycopy(m.b1, 0, b1, at, m.hidden());
            for (int h = 0; h < m.hidden(); h++) {
                w2[at + h] = m.w2[h] / members.size();
            }
            b2 += m.b2 / members.size();
            at += m.hidden();
        }
        return new Mlp(first.mean.clone(), first.scale.clone(), w1, b1, w2, b2);
    }

    Mlp copy() {
        return new Mlp(mean.clone(), scale.clone(), w1.clone(), b1.clone(), w2.clone(), b2);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
