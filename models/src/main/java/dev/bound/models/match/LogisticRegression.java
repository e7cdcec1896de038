package dev.bound.models.match;

/**
 * Weighted L2-regularised logistic regression with a sign constraint on each weight, fitted by
 * cyclic coordinate descent (one Newton step per coordinate, clipped at zero) on standardised
 * features: deterministic, and a second or so for ten thousand pairs and a dozen features.
 */
final class LogisticRegression {

    private static final int MAX_SWEEPS = 1000;
    private static final double TOLERANCE = 1e-7;

    /**
     * A fitted model.
     *
     * @param weights per feature, on the features' own scale
     * @param bias the intercept on the features' own scale
     * @param standardized per feature, for one standard deviation of the feature (comparable importance)
     */
    record Model(double[] weights, double bias, double[] standardized) {

        double probability(double[] x) {
            double z = bias;
            for (int i = 0; i < weights.length; i++) {
                z += weights[i] * x[i];
            }
            return 1 / (1 + Math.exp(-z));
        }
    }

    private LogisticRegression() {
    }

    /**
     * @param x rows of features
     * @param y labels
     * @param w sample weights
     * @param signs per feature: 1 keeps the weight at or above zero, -1 at or below, 0 leaves it free
     * @param l2 penalty on the standardised weights (not the intercept)
     */
    static Model fit(double[][] x, boolean[] y, double[] w, int[] signs, double l2) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += w[i];
            for (int j = 0; j < d; j++) {
                mean[j] += w[i] * x[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double dev = x[i][j] - mean[j];
                sd[j] += w[i] * dev * dev;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / total);
            if (sd[j] < 1e-12) {
                sd[j] = 1; // a constant feature: its weight stays at zero under the penalty
            }
        }
        double[][] z = new double[d][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[j][i] = (x[i][j] - mean[j]) / sd[j];
            }
        }
        double intercept = 0;
        double[] beta = new double[d];
        double[] eta = new double[n];
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double change = 0;
            for (int j = -1; j < d; j++) {
                double g = 0;
                double h = 0;
                for (int i = 0; i < n; i++) {
                    double p = 1 / (1 + Math.exp(-eta[i]));
                    double zi = j < 0 ? 1 : z[j][i];
                    g += w[i] * ((y[i] ? 1 : 0) - p) * zi;
                    h += w[i] * p * (1 - p) * zi * zi;
                }
                double old = j < 0 ? intercept : beta[j];
                if (j >= 0) {
                    g -= l2 * old;
                    h += l2;
                }
                double next = old + g / Math.max(h, 1e-12);
                if (j >= 0 && signs[j] != 0 && next * signs[j] < 0) {
                    next = 0;
                }
                double step = next - old;
                if (step != 0) {
                    for (int i = 0; i < n; i++) {
                        eta[i] += step * (j < 0 ? 1 : z[j][i]);
                    }
                    if (j < 0) {
                        intercept = next;
                    } else {
                        beta[j] = next;
                    }
                }
                change = Math.max(change, Math.abs(step));
            }
            if (change < TOLERANCE) {
                break;
            }
        }
        double[] weights = new double[d];
        double bias = intercept;
        for (int j = 0; j < d; j++) {
            weights[j] = beta[j] / sd[j];
            bias -= weights[j] * mean[j];
        }
        return new Model(weights, bias, beta.clone());
    }
}
