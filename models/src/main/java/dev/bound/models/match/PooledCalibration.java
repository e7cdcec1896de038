package dev.bound.models.match;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * P(serving a candidate is correct | its matcher score), pooled over all entries, and how often
 * each score comes up: score bins of width {@value #WIDTH} over [{@value #LOW}, 1]. Each bin holds
 * a Beta posterior whose prior pseudo-counts come from an offline prior map (strength pseudo-
 * observations per bin), updated by offline evidence counted on held-out questions ({@link
 * ServedEvidence}, fixed, weighed as observations) and by every observation made while serving,
 * and a decaying count of the best-candidate scores the tier has seen. {@link AdaptivePolicy}
 * picks its serving threshold from both. Only what is observed while serving is saved, halved
 * and restored; the offline evidence stays this calibration's own, like its prior.
 * Thread-safe.
 */
public final class PooledCalibration {

    /** Scores below this are never served under an error bound, and are not tracked. */
    public static final double LOW = 0.5;
    /** Width of one score bin. */
    public static final double WIDTH = 0.01;
    /** Number of score bins over [LOW, 1]. */
    public static final int BINS = 50;
    /** Prior pseudo-observations per bin unless configured otherwise. */
    public static final double DEFAULT_PRIOR_STRENGTH = 20;
    /** The score histogram forgets with this half-life, in scored lookups. */
    public static final double DEFAULT_HALF_LIFE = 10_000;
    /**
     * Pseudo-lookups per bin in the score histogram: before traffic the scores are taken as
     * spread evenly, and a handful of early lookups cannot swing the threshold on their own.
     */
    static final double HISTOGRAM_PRIOR = 1;
    /** Past this many observations in a bin its counts are halved, so it keeps adapting. */
    static final double MAX_PER_BIN = 5_000;

    private final double strength;
    private final double[] prior = new double[BINS];
    private final double growth;
    private final double[] correct = new double[BINS];
    private final double[] wrong = new double[BINS];
    /** Offline evidence per bin, right and wrong; never changes. */
    private final double[] offlineCorrect = new double[BINS];
    private final double[] offlineWrong = new double[BINS];
    /** Seen scores, each added with the weight current at the time (newer ones weigh more). */
    private final double[] seen = new double[BINS];
    private double weight = 1;
    /** The posterior means made non-decreasing in the score (pool adjacent violators), per bin. */
    private final double[] fitted = new double[BINS];
    /** Per bin, the first bin of its pooled block. */
    private final int[] blockOf = new int[BINS];
    /** Per block (at its first bin), the variance of its mean over the noise of the evidence. */
    private final double[] blockNoise = new double[BINS];

    /**
     * @param prior P(correct | score) before any evidence, for scores in [LOW, 1]; evaluated once per bin centre
     * @param strength how many observations the prior is worth in each bin, above 0
     * @param halfLife after how many scored lookups a seen score counts half, at least 1
     */
    public PooledCalibration(DoubleUnaryOperator prior, double strength, double halfLife) {
        this(prior, strength, halfLife, null);
    }

    /**
     * As above, with offline evidence weighed beside the prior: it moves the estimate as
     * observations do and counts in the noise of the threshold's margin, but is neither saved
     * nor replaced by {@link #restore}.
     *
     * @param offline served candidates counted offline, or null for none
     */
    public PooledCalibration(DoubleUnaryOperator prior, double strength, double halfLife, ServedEvidence offline) {
        Objects.requireNonNull(prior, "prior");
        if (!(strength > 0 && Double.isFinite(strength))) {
            throw new IllegalArgumentException("prior strength must be above 0, got " + strength);
        }
        if (!(halfLife >= 1 && Double.isFinite(halfLife))) {
            throw new IllegalArgumentException("half-life must be at least 1 lookup, got " + halfLife);
        }
        this.strength = strength;
        this.growth = Math.pow(2, 1 / halfLife);
        for (int b = 0; b < BINS; b++) {
            double p = prior.applyAsDouble(centre(b));
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("the prior must be a probability, got " + p + " at " + centre(b));
            }
            this.prior[b] = p;
        }
        if (offline != null) {
            System.arraycopy(offline.correct(), 0, offlineCorrect, 0, BINS);
            System.arraycopy(offline.wrong(), 0, offlineWrong, 0, BINS);
        }
        refit();
    }

    /**
     * The offline prior for a matcher's score: the verifiers' score is a probability calibrated on
     * held-out pairs, taken as it is; plain cosine uses {@link #cosinePrior()}.
     */
    public static DoubleUnaryOperator priorFor(PairMatcher matcher) {
        return matcher.name().equals(CosineMatcher.NAME) ? cosinePrior() : s -> Math.max(0, Math.min(1, s));
    }

    /**
     * An assumed prior for a plain cosine of all-MiniLM-L6-v2: logistic, one half at 0.85, 0.88 at
     * 0.90, 0.98 at 0.95 (slope 40). A guess to be corrected by evidence, not a measurement.
     */
    public static DoubleUnaryOperator cosinePrior() {
        return s -> 1 / (1 + Math.exp(-40 * (s - 0.85)));
    }

    /** The bin of a score, or -1 below {@link #LOW}. */
    public static int bin(double score) {
        if (!(score >= LOW)) {
            return -1;
        }
        return Math.min(BINS - 1, (int) Math.floor((score - LOW) / WIDTH + 1e-9));
    }

    /** The lowest score of a bin. */
    public static double lowerEdge(int bin) {
        return LOW + bin * WIDTH;
    }

    static double centre(int bin) {
        return LOW + (bin + 0.5) * WIDTH;
    }

    /** Counts one lookup whose best candidate had this score (ignored below {@link #LOW}). */
    public synchronized void seen(double score) {
        int b = bin(score);
        if (b < 0) {
            return;
        }
        seen[b] += weight;
        weight *= growth;
        if (weight > 1e12) {
            for (int i = 0; i < BINS; i++) {
                seen[i] /= weight;
            }
            weight = 1;
        }
    }

    /** Learns whether serving a candidate at this score was correct (ignored below {@link #LOW}). */
    public synchronized void observe(double score, boolean wasCorrect) {
        int b = bin(score);
        if (b < 0) {
            return;
        }
        if (wasCorrect) {
            correct[b]++;
        } else {
            wrong[b]++;
        }
        if (correct[b] + wrong[b] > MAX_PER_BIN) {
            correct[b] /= 2;
            wrong[b] /= 2;
        }
        refit();
    }

    /** The posterior mean of P(correct) at this score; 0 below {@link #LOW}. */
    public synchronized double pCorrect(double score) {
        int b = bin(score);
        return b < 0 ? 0 : fitted[b];
    }

    /**
     * Each bin's Beta posterior mean, then pooled where a higher score would otherwise look worse
     * than a lower one (P(correct | score) does not fall as the score rises). Pooling also damps
     * the noise of a bin with a few unlucky observations, which would otherwise move τ.
     */
    private void refit() {
        double[] w = new double[BINS];
        double[] wp = new double[BINS];
        double[] n = new double[BINS];
        int[] first = new int[BINS];
        int blocks = 0;
        for (int b = 0; b < BINS; b++) {
            double obs = correct[b] + wrong[b] + offlineCorrect[b] + offlineWrong[b];
            w[blocks] = strength + obs;
            wp[blocks] = strength * prior[b] + correct[b] + offlineCorrect[b];
            n[blocks] = obs;
            first[blocks] = b;
            blocks++;
            while (blocks > 1 && wp[blocks - 2] / w[blocks - 2] > wp[blocks - 1] / w[blocks - 1]) {
                w[blocks - 2] += w[blocks - 1];
                wp[blocks - 2] += wp[blocks - 1];
                n[blocks - 2] += n[blocks - 1];
                blocks--;
            }
        }
        for (int k = 0; k < blocks; k++) {
            int end = k + 1 < blocks ? first[k + 1] : BINS;
            double p = wp[k] / w[k];
            blockNoise[first[k]] = n[k] * p * (1 - p) / (w[k] * w[k]);
            for (int b = first[k]; b < end; b++) {
                fitted[b] = p;
                blockOf[b] = first[k];
            }
        }
    }

    /** Recent lookups in a bin, including the even prior spread. */
    private double mass(int b) {
        return HISTOGRAM_PRIOR + seen[b] / weight;
    }

    /**
     * The lowest bin whose scores may be served so that the expected share of wrong answers among
     * all served ones, Σ n_b (1 − p̂_b) / Σ n_b over the served bins, plus {@code z} standard
     * deviations of that estimate's noise, is at most {@code delta}. The noise is that of the
     * evidence only: before any observation the prior is taken as it is, so hits are served from
     * the first request. A bin where p̂ says a single answer is wrong more often than
     * {@code maxAnswerError} is never served and counts for nothing. Returns {@link #BINS} when
     * no bin qualifies.
     */
    public synchronized int thresholdBin(double delta, double maxAnswerError, double z) {
        double n = 0;
        double err = 0;
        double settledVar = 0;
        double blockMass = 0;
        int block = -1;
        int lowest = BINS;
        for (int b = BINS - 1; b >= 0; b--) {
            double e = 1 - fitted[b];
            if (e > maxAnswerError) {
                continue;
            }
            if (blockOf[b] != block) {
                if (block >= 0) {
                    settledVar += blockMass * blockMass * blockNoise[block];
                }
                block = blockOf[b];
                blockMass = 0;
            }
            double m = mass(b);
            n += m;
            err += m * e;
            blockMass += m;
            double var = settledVar + blockMass * blockMass * blockNoise[block];
            if (err + z * Math.sqrt(var) <= delta * n) {
                lowest = b;
            }
        }
        return lowest;
    }

    /** The expected share of wrong answers among served ones when bins from {@code fromBin} up are served; NaN if none are. */
    public synchronized double servedError(int fromBin, double maxAnswerError) {
        double n = 0;
        double err = 0;
        for (int b = Math.max(0, fromBin); b < BINS; b++) {
            double e = 1 - fitted[b];
            if (e <= maxAnswerError) {
                n += mass(b);
                err += mass(b) * e;
            }
        }
        return n == 0 ? Double.NaN : err / n;
    }

    /** Total observations made while serving and held, after any halving (the offline evidence not included). */
    public synchronized double observations() {
        double n = 0;
        for (int b = 0; b < BINS; b++) {
            n += correct[b] + wrong[b];
        }
        return n;
    }

    /** Offline evidence weighed in, over all bins. */
    public synchronized double offlineObservations() {
        double n = 0;
        for (int b = 0; b < BINS; b++) {
            n += offlineCorrect[b] + offlineWrong[b];
        }
        return n;
    }

    /**
     * What the calibration has learned, for saving: per bin the recent lookups (excluding the
     * prior spread), the correct and the wrong observations.
     */
    public record State(double[] seen, double[] correct, double[] wrong) {
        public State {
            seen = counts(seen);
            correct = counts(correct);
            wrong = counts(wrong);
        }

        @Override
        public double[] seen() {
            return seen.clone();
        }

        @Override
        public double[] correct() {
            return correct.clone();
        }

        @Override
        public double[] wrong() {
            return wrong.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(seen, s.seen) && Arrays.equals(correct, s.correct)
                    && Arrays.equals(wrong, s.wrong);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(seen) * 31 + Arrays.hashCode(correct) * 7 + Arrays.hashCode(wrong);
        }

        @Override
        public String toString() {
            return "State[seen=" + Arrays.toString(seen) + ", correct=" + Arrays.toString(correct) + ", wrong="
                    + Arrays.toString(wrong) + "]";
        }
    }

    /**
     * A copy of per-bin counts, checked: one per bin, each finite and not negative.
     *
     * @throws IllegalArgumentException otherwise
     */
    static double[] counts(double[] perBin) {
        if (perBin.length != BINS) {
            throw new IllegalArgumentException("expected " + BINS + " bins, got " + perBin.length);
        }
        for (double v : perBin) {
            if (!(v >= 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException("counts must be finite and not negative, got " + v);
            }
        }
        return perBin.clone();
    }

    /** A copy of what has been learned. */
    public synchronized State state() {
        double[] s = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            s[b] = seen[b] / weight;
        }
        return new State(s, correct, wrong);
    }

    /** Replaces what has been learned with a saved state (the prior stays this calibration's own). */
    public synchronized void restore(State state) {
        double[] s = state.seen();
        System.arraycopy(s, 0, seen, 0, BINS);
        System.arraycopy(state.correct(), 0, correct, 0, BINS);
        System.arraycopy(state.wrong(), 0, wrong, 0, BINS);
        weight = 1;
        refit();
    }

    @Override
    public String toString() {
        return "PooledCalibration[strength=" + strength + ", observations=" + observations() + ", offline="
                + offlineObservations() + "]";
    }
}
