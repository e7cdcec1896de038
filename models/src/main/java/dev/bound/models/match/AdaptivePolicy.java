package dev.bound.models.match;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Per-entry adaptive thresholds with a bound on the error rate, after vCache (Schroeder et al.,
 * "vCache: Verified Semantic Prompt Caching", 2025). Each entry learns P(serving it is correct |
 * similarity) as a logistic curve from its own observations; a candidate is served only when,
 * with confidence {@code confidence}, that probability is at least {@code 1 - delta}. Otherwise
 * the request goes upstream, and the fresh answer is compared with the cached one (EXPLORE) with a
 * probability that grows with the chance that the entry would have been good enough. MATCHING.md
 * says how this follows the paper and where it simplifies. Immutable and thread-safe.
 */
public final class AdaptivePolicy {

    /** What to do with a request whose nearest entry has a given similarity. */
    public enum Decision {
        /** Answer from the cache. */
        SERVE,
        /** Ask upstream, answer with the fresh response, compare it with the cached one and {@link #observe}. */
        EXPLORE,
        /** Ask upstream; nothing to learn that is worth a comparison. */
        MISS
    }

    /** Similarities are centred here before the fit, which keeps intercept and slope nearly independent. */
    static final double CENTRE = 0.8;
    /** Prior on the log-odds of "correct" at the centre: mean and standard deviation. */
    static final double PRIOR_INTERCEPT_MEAN = 0;
    static final double PRIOR_INTERCEPT_SD = 2;
    /** Prior on the slope (log-odds per unit of similarity): positive, since closer prompts are more often right. */
    static final double PRIOR_SLOPE_MEAN = 20;
    static final double PRIOR_SLOPE_SD = 15;
    private static final int NEWTON_STEPS = 50;

    private final double delta;
    private final double confidence;
    private final double minExplore;
    private final double requiredLogOdds;
    private final double z;

    /** The log-odds at one similarity: posterior mean and standard deviation. */
    record Belief(double mean, double sd) {
    }

    /** The posterior of one entry: MAP estimate and its covariance (Laplace approximation). */
    record Fit(AdaptivePolicy policy, double intercept, double slope, double varIntercept, double covariance,
            double varSlope) {

        Belief at(double similarity) {
            double x = similarity - CENTRE;
            double mean = intercept + slope * x;
            double variance = varIntercept + 2 * x * covariance + x * x * varSlope;
            return new Belief(mean, Math.sqrt(Math.max(variance, 0)));
        }
    }

    /**
     * A policy with confidence 0.95 and a 2 % floor on exploration.
     *
     * @param delta the error rate tolerated among served answers, in (0, 0.5)
     */
    public AdaptivePolicy(double delta) {
        this(delta, 0.95, 0.02);
    }

    /**
     * @param delta the error rate tolerated among served answers, in (0, 0.5)
     * @param confidence how sure the policy must be that an entry meets {@code delta} before serving it, in [0.5, 1)
     * @param minExplore the least probability of exploring a request that is not served, in [0, 1]
     */
    public AdaptivePolicy(double delta, double confidence, double minExplore) {
        if (!(delta > 0 && delta < 0.5)) {
            throw new IllegalArgumentException("delta must be between 0 and 0.5 (exclusive), got " + delta);
        }
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be at least 0.5 and below 1, got " + confidence);
        }
        if (!(minExplore >= 0 && minExplore <= 1)) {
            throw new IllegalArgumentException("minExplore must be between 0 and 1, got " + minExplore);
        }
        this.delta = delta;
        this.confidence = confidence;
        this.minExplore = minExplore;
        this.requiredLogOdds = Math.log((1 - delta) / delta);
        this.z = inverseNormal(confidence);
    }

    public double delta() {
        return delta;
    }

    /**
     * Serve, explore or miss for a request whose best candidate is this entry at this similarity.
     *
     * @param random the source of the exploration coin; inject a seeded one in tests
     */
    public Decision decide(EntryThreshold state, double similarity, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        Belief b = fit(state).at(similarity);
        if (b.mean() - z * b.sd() >= requiredLogOdds) {
            return Decision.SERVE;
        }
        // The posterior chance that the entry is in fact good enough here: worth finding out in proportion.
        double goodEnough = b.sd() == 0 ? (b.mean() >= requiredLogOdds ? 1 : 0)
                : normalCdf((b.mean() - requiredLogOdds) / b.sd());
        double explore = Math.max(minExplore, Math.min(1, goodEnough / (1 - confidence)));
        return random.nextDouble() < explore ? Decision.EXPLORE : Decision.MISS;
    }

    /**
     * The state after learning whether serving the entry at this similarity was correct.
     *
     * @param correct whether the cached answer was as good as the fresh one
     */
    public EntryThreshold observe(EntryThreshold state, double similarity, boolean correct) {
        return Objects.requireNonNull(state, "state").plus(similarity, correct);
    }

    /** The policy's estimate of P(serving is wrong) at this similarity, at its confidence level (for logs). */
    public double errorBound(EntryThreshold state, double similarity) {
        Belief b = fit(state).at(similarity);
        return 1 / (1 + Math.exp(b.mean() - z * b.sd()));
    }

    /** The posterior for a state, computed once per state instance. */
    Fit fit(EntryThreshold state) {
        Fit cached = state.fit();
        if (cached != null && cached.policy() == this) {
            return cached;
        }
        Fit f = newtonFit(state);
        state.fit(f);
        return f;
    }

    /**
     * MAP of a two-parameter logistic curve under a Gaussian prior, by Newton's method with step
     * halving (a full Newton step can overshoot on a logistic likelihood); covariance from the Hessian.
     */
    private Fit newtonFit(EntryThreshold state) {
        double a = PRIOR_INTERCEPT_MEAN;
        double b = PRIOR_SLOPE_MEAN;
        double objective = logPosterior(state, a, b);
        for (int step = 0; step < NEWTON_STEPS; step++) {
            double[] g = new double[2];
            double[] h = hessian(state, a, b, g);
            double det = h[0] * h[2] - h[1] * h[1];
            double da = (h[2] * g[0] - h[1] * g[1]) / det;
            double db = (h[0] * g[1] - h[1] * g[0]) / det;
            double scale = 1;
            double next = logPosterior(state, a + da, b + db);
            while (next < objective && scale > 1e-6) {
                scale /= 2;
                next = logPosterior(state, a + scale * da, b + scale * db);
            }
            a += scale * da;
            b += scale * db;
            double gain = next - objective;
            objective = next;
            if (Math.abs(scale * da) < 1e-9 && Math.abs(scale * db) < 1e-9 || gain < 1e-12 && gain >= 0) {
                break;
            }
        }
        double[] h = hessian(state, a, b, new double[2]);
        double det = h[0] * h[2] - h[1] * h[1];
        return new Fit(this, a, b, h[2] / det, -h[1] / det, h[0] / det);
    }

    /** The Hessian of the negative log posterior as {aa, ab, bb}; fills {@code gradient} with the log posterior's gradient. */
    private static double[] hessian(EntryThreshold state, double a, double b, double[] gradient) {
        double pa = 1 / (PRIOR_INTERCEPT_SD * PRIOR_INTERCEPT_SD);
        double pb = 1 / (PRIOR_SLOPE_SD * PRIOR_SLOPE_SD);
        double ga = -pa * (a - PRIOR_INTERCEPT_MEAN);
        double gb = -pb * (b - PRIOR_SLOPE_MEAN);
        double haa = pa;
        double hab = 0;
        double hbb = pb;
        for (int i = 0; i < state.size(); i++) {
            double x = EntryThreshold.similarityOf(state.binAt(i)) - CENTRE;
            int c = state.correctAt(i);
            int w = state.wrongAt(i);
            double p = 1 / (1 + Math.exp(-(a + b * x)));
            double r = c - (c + w) * p;
            double h = (c + w) * p * (1 - p);
            ga += r;
            gb += r * x;
            haa += h;
            hab += h * x;
            hbb += h * x * x;
        }
        gradient[0] = ga;
        gradient[1] = gb;
        return new double[] {haa, hab, hbb};
    }

    private static double logPosterior(EntryThreshold state, double a, double b) {
        double da = (a - PRIOR_INTERCEPT_MEAN) / PRIOR_INTERCEPT_SD;
        double db = (b - PRIOR_SLOPE_MEAN) / PRIOR_SLOPE_SD;
        double sum = -0.5 * (da * da + db * db);
        for (int i = 0; i < state.size(); i++) {
            double eta = a + b * (EntryThreshold.similarityOf(state.binAt(i)) - CENTRE);
            // log sigmoid(eta) and log sigmoid(-eta), computed without overflow
            double logP = -softplus(-eta);
            double logQ = -softplus(eta);
            sum += state.correctAt(i) * logP + state.wrongAt(i) * logQ;
        }
        return sum;
    }

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    private static double erfc(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : 2 - y;
    }

    /** The standard normal quantile, by bisection on {@link #normalCdf}; called once per policy. */
    static double inverseNormal(double p) {
        double lo = -10;
        double hi = 10;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (normalCdf(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Override
    public String toString() {
        return "AdaptivePolicy[delta=" + delta + ", confidence=" + confidence + ", minExplore=" + minExplore + "]";
    }
}
