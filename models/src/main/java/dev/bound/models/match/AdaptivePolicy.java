package dev.bound.models.match;

import java.util.Objects;

/**
 * Serving under an error bound δ on the share of wrong answers among served semantic hits.
 * The threshold τ comes from a {@link PooledCalibration}: the lowest score such that the
 * expected error among the candidates seen at or above it is at most δ, starting from the
 * offline prior, so hits are served from the first request. An entry with evidence of its own
 * may be refused where the pool would serve it ({@link #decide}). MATCHING.md describes the
 * method. Thread-safe.
 */
public final class AdaptivePolicy {

    /** What to do with a candidate. */
    public enum Decision {
        /** Serve it: at or above τ, and its entry's own evidence does not object. */
        SERVE,
        /** Below τ, or in a score bin where a single answer is too likely wrong. */
        BELOW_THRESHOLD,
        /** At or above τ, but this entry has been wrong at this score or above. */
        REFUSED_BY_ENTRY
    }

    /** How many observations the pooled estimate is worth when judging one entry's own evidence. */
    static final double ENTRY_PRIOR_STRENGTH = 2;
    /**
     * One-sided 95 %. Without a margin, τ tends to settle where noisy evidence happens to look
     * good, and the realised error overshoots: 0.022 on average, 0.026 at worst, for δ = 0.02
     * over twelve seeded streams like AdaptivePolicyTest's; with it, 0.014 and 0.020.
     */
    public static final double DEFAULT_MARGIN = 1.645;
    /** No single answer is served whose estimated chance of being wrong exceeds this many δ. */
    static final double MAX_ANSWER_ERROR_FACTOR = 10;

    private final double delta;
    private final double maxAnswerError;
    private final PooledCalibration calibration;
    private final double z;
    private volatile int thresholdBin;

    /**
     * A policy with the default margin of {@value #DEFAULT_MARGIN} standard deviations.
     *
     * @param delta the tolerated share of wrong answers among served ones, in (0, 0.5)
     * @param calibration the pooled calibration it reads and teaches
     */
    public AdaptivePolicy(double delta, PooledCalibration calibration) {
        this(delta, calibration, DEFAULT_MARGIN);
    }

    /**
     * @param delta the tolerated share of wrong answers among served ones, in (0, 0.5)
     * @param calibration the pooled calibration it reads and teaches
     * @param margin how many standard deviations of the evidence's noise the expected error
     *     must stay below δ by, at least 0 (0: the posterior mean alone)
     */
    public AdaptivePolicy(double delta, PooledCalibration calibration, double margin) {
        if (!(delta > 0 && delta < 0.5)) {
            throw new IllegalArgumentException("delta must be between 0 and 0.5 (exclusive), got " + delta);
        }
        this.delta = delta;
        this.maxAnswerError = Math.min(0.5, MAX_ANSWER_ERROR_FACTOR * delta);
        if (!(margin >= 0 && Double.isFinite(margin))) {
            throw new IllegalArgumentException("margin must be a number of standard deviations, at least 0, got "
                    + margin);
        }
        this.calibration = Objects.requireNonNull(calibration, "calibration");
        this.z = margin;
        recompute();
    }

    public double delta() {
        return delta;
    }

    public PooledCalibration calibration() {
        return calibration;
    }

    /** The serving threshold τ now; positive infinity when no score may be served. */
    public double threshold() {
        int b = thresholdBin;
        return b >= PooledCalibration.BINS ? Double.POSITIVE_INFINITY : PooledCalibration.lowerEdge(b);
    }

    /** The calibration's expected share of wrong answers among those served at τ; NaN when none are. */
    public double predictedError() {
        return calibration.servedError(thresholdBin, maxAnswerError);
    }

    /**
     * Counts a lookup whose best candidate had this score, which moves τ with the traffic. A
     * recomputation is one pass over {@value PooledCalibration#BINS} bins, well under a microsecond.
     */
    public void seen(double score) {
        calibration.seen(score);
        recompute();
    }

    /**
     * Serve or not, for a candidate of this entry at this score. Without evidence of its own an
     * entry follows τ. With some, its P(correct | score) is estimated from its correct
     * observations at or below the score and its wrong ones at or above it, on top of the pooled
     * estimate worth {@value #ENTRY_PRIOR_STRENGTH} observations; it is refused when that falls
     * below both the pooled estimate and 1 − δ. One wrong observation is enough, until many
     * correct ones outweigh it.
     */
    public Decision decide(EntryThreshold entry, double score) {
        int b = PooledCalibration.bin(score);
        if (b < 0 || b < thresholdBin) {
            return Decision.BELOW_THRESHOLD;
        }
        double pooled = calibration.pCorrect(score);
        if (1 - pooled > maxAnswerError) {
            return Decision.BELOW_THRESHOLD;
        }
        int wrong = entry.wrongAtOrAbove(score);
        if (wrong == 0) {
            return Decision.SERVE;
        }
        int right = entry.correctAtOrBelow(score);
        double own = (ENTRY_PRIOR_STRENGTH * pooled + right) / (ENTRY_PRIOR_STRENGTH + right + wrong);
        return own < Math.min(pooled, 1 - delta) ? Decision.REFUSED_BY_ENTRY : Decision.SERVE;
    }

    /**
     * Learns whether serving the entry at this score was correct: the pooled calibration learns
     * it, and the entry's next state is returned.
     */
    public EntryThreshold observe(EntryThreshold entry, double score, boolean correct) {
        Objects.requireNonNull(entry, "entry");
        calibration.observe(score, correct);
        recompute();
        return entry.plus(score, correct);
    }

    private void recompute() {
        thresholdBin = calibration.thresholdBin(delta, maxAnswerError, z);
    }

    @Override
    public String toString() {
        return "AdaptivePolicy[delta=" + delta + ", threshold=" + threshold() + "]";
    }
}
