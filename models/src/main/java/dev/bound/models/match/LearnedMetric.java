package dev.bound.models.match;

import java.util.Random;
import java.util.function.IntConsumer;
import org.apache.lucene.util.VectorUtil;

/**
 * A linear map W of the primary model's unit vectors, learned so that cos(Wu, Wv) tells questions
 * with the same answer from look-alikes better than cos(u, v). The verifier's network sees u⊙v and
 * |u−v| one dimension at a time; W sees how dimensions combine, as a metric learned over a frozen
 * encoder does. It starts from the identity (the plain cosine) and is pulled back towards it while
 * it learns, so it stays close to the model's own geometry where the training pairs say nothing.
 * On the held-out Quora pairs it ranked better than the cosine and than the verifier's network
 * alone (MATCHING.md, "The learned metric").
 *
 * <p>Immutable once made; {@link #project} is safe from any thread.
 */
final class LearnedMetric {

    /** W's rows, each of the vectors' dimension. */
    private final float[][] rows;

    LearnedMetric(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a learned metric needs at least one row");
        }
        for (float[] r : rows) {
            if (r.length != rows[0].length) {
                throw new IllegalArgumentException("a learned metric's rows must all have one length");
            }
            for (float x : r) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("a learned metric's weights must be finite");
                }
            }
        }
        this.rows = rows;
    }

    /** The identity map of this dimension: cos(Wu, Wv) is the plain cosine. */
    static LearnedMetric identity(int dimension) {
        float[][] rows = new float[dimension][dimension];
        for (int i = 0; i < dimension; i++) {
            rows[i][i] = 1;
        }
        return new LearnedMetric(rows);
    }

    /** The dimension of the vectors it maps. */
    int dimension() {
        return rows[0].length;
    }

    /** W's weights row by row, for the verifier file. */
    double[] weights() {
        int d = dimension();
        double[] out = new double[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < d; c++) {
                out[r * d + c] = rows[r][c];
            }
        }
        return out;
    }

    /** Reads weights written by {@link #weights}: {@code dimension} columns per row. */
    static LearnedMetric of(double[] weights, int dimension) {
        if (dimension <= 0 || weights.length == 0 || weights.length % dimension != 0) {
            throw new IllegalArgumentException("a learned metric of dimension " + dimension + " cannot have "
                    + weights.length + " weights");
        }
        float[][] rows = new float[weights.length / dimension][dimension];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < dimension; c++) {
                rows[r][c] = (float) weights[r * dimension + c];
            }
        }
        return new LearnedMetric(rows);
    }

    /** Wu scaled to unit length (zero if Wu is zero), so that a dot product of two is their cosine. */
    float[] project(float[] u) {
        if (u.length != dimension()) {
            throw new IllegalArgumentException("a learned metric of dimension " + dimension()
                    + " cannot map a vector of " + u.length);
        }
        float[] p = new float[rows.length];
        double norm = 0;
        for (int r = 0; r < rows.length; r++) {
            p[r] = VectorUtil.dotProduct(rows[r], u);
            norm += (double) p[r] * p[r];
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int r = 0; r < p.length; r++) {
                p[r] *= scale;
            }
        }
        return p;
    }

    /** The cosine of two vectors made by {@link #project}, clamped to [-1, 1]. */
    static double cosine(float[] projectedU, float[] projectedV) {
        return Math.max(-1, Math.min(1, VectorUtil.dotProduct(projectedU, projectedV)));
    }

    /** How {@link #train} learns. */
    record Settings(int epochs, int batch, double rate, double pull, long seed) {
    }

    /**
     * Learns W on weighted pairs of unit vectors (u[i], v[i]) labelled same or different: the
     * weighted log-loss of σ(a·cos(Wu, Wv) + b), with a and b learned beside W, by mini-batch Adam,
     * plus {@code pull}·‖W − I‖²/2. Deterministic for a seed; one thread. {@code epochDone} is told
     * each finished epoch (from 0).
     */
    static LearnedMetric train(float[][] u, float[][] v, boolean[] y, double[] weight, Settings s,
            IntConsumer epochDone) {
        int n = u.length;
        if (n == 0 || v.length != n || y.length != n || weight.length != n) {
            throw new IllegalArgumentException("a learned metric needs as many second vectors, labels and weights as "
                    + "first vectors, and at least one pair");
        }
        int d = u[0].length;
        double meanWeight = 0;
        for (double w : weight) {
            meanWeight += w / n;
        }
        float[][] w = identity(d).rows;
        float[][] m = new float[d][d];
        float[][] second = new float[d][d];
        float[][] g = new float[d][d];
        // The logistic's scale and offset: a cosine of about 0.8 at even odds to start with.
        double a = 20;
        double b = -16;
        double ma = 0;
        double va = 0;
        double mb = 0;
        double vb = 0;
        double beta1 = 0.9;
        double beta2 = 0.999;
        int step = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(s.seed());
        float[] p = new float[d];
        float[] q = new float[d];
        float[] dp = new float[d];
        float[] dq = new float[d];
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += s.batch()) {
                int end = Math.min(n, start + s.batch());
                int size = end - start;
                for (float[] row : g) {
                    java.util.Arrays.fill(row, 0);
                }
                double ga = 0;
                double gb = 0;
                for (int k = start; k < end; k++) {
                    int i = order[k];
                    double np = 0;
                    double nq = 0;
                    double pq = 0;
                    for (int r = 0; r < d; r++) {
                        p[r] = VectorUtil.dotProduct(w[r], u[i]);
                        q[r] = VectorUtil.dotProduct(w[r], v[i]);
                        np += (double) p[r] * p[r];
                        nq += (double) q[r] * q[r];
                        pq += (double) p[r] * q[r];
                    }
                    np = Math.sqrt(np);
                    nq = Math.sqrt(nq);
                    double c = pq / (np * nq);
                    double z = a * c + b;
                    double prob = 1 / (1 + Math.exp(-z));
                    double dz = weight[i] / meanWeight * (prob - (y[i] ? 1 : 0)) / size;
                    ga += dz * c;
                    gb += dz;
                    double dc = dz * a;
                    for (int r = 0; r < d; r++) {
                        dp[r] = (float) (dc * (q[r] / (np * nq) - c * p[r] / (np * np)));
                        dq[r] = (float) (dc * (p[r] / (np * nq) - c * q[r] / (nq * nq)));
                    }
                    for (int r = 0; r < d; r++) {
                        axpy(dp[r], u[i], g[r]);
                        axpy(dq[r], v[i], g[r]);
                    }
                }
                step++;
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                for (int r = 0; r < d; r++) {
                    float[] wr = w[r];
                    float[] gr = g[r];
                    float[] mr = m[r];
                    float[] sr = second[r];
                    for (int c = 0; c < d; c++) {
                        double grad = gr[c] + s.pull() * (wr[c] - (r == c ? 1 : 0));
                        mr[c] = (float) (beta1 * mr[c] + (1 - beta1) * grad);
                        sr[c] = (float) (beta2 * sr[c] + (1 - beta2) * grad * grad);
                        wr[c] -= (float) (s.rate() * (mr[c] / c1) / (Math.sqrt(sr[c] / c2) + 1e-8));
                    }
                }
                // The scale and offset learn ten times faster than W, as they start far from their fit.
                ma = beta1 * ma + (1 - beta1) * ga;
                va = beta2 * va + (1 - beta2) * ga * ga;
                a -= 10 * s.rate() * (ma / c1) / (Math.sqrt(va / c2) + 1e-8);
                mb = beta1 * mb + (1 - beta1) * gb;
                vb = beta2 * vb + (1 - beta2) * gb * gb;
                b -= 10 * s.rate() * (mb / c1) / (Math.sqrt(vb / c2) + 1e-8);
            }
            epochDone.accept(epoch);
        }
        return new LearnedMetric(w);
    }

    private static void axpy(float alpha, float[] x, float[] y) {
        if (alpha == 0) {
            return;
        }
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }
}
