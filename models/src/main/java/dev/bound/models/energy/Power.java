package dev.bound.models.energy;

/**
 * How much of its board power an accelerator draws while serving, as a function of the batch:
 * a fit to the average GPU power ML.ENERGY measured for Llama 3.1 8B (1 H100), 70B (4 H100) and
 * 405B FP8 (8 H100) at batch 16 to 1,024 with vLLM 0.11 (Leaderboard v3.0, Dec 2025, plotted in
 * "LLM Inference Energy: A Longitudinal Analysis", Feb 2026). Every measured point lies within
 * {@value #FIT_RESIDUAL} of the fit; ENERGY.md lists them.
 */
final class Power {

    /** Fraction of board power a single accelerator draws at batch 1 (extrapolated below batch 16). */
    static final double SINGLE_AT_BATCH_1 = 0.50;
    /** Added per doubling of the batch. */
    static final double PER_DOUBLING = 0.062;
    /** Taken off when a replica spans several accelerators: they wait on each other's all-reduce. */
    static final double MULTI_ACCELERATOR_DROP = 0.145;
    /** The measured draw levels off just under board power. */
    static final double CEILING = 0.98;
    /** No serving accelerator draws less than this (an idle H100 draws 10 to 15 % of board power). */
    static final double FLOOR = 0.2;
    /** The largest distance of a measured point from the fit. */
    static final double FIT_RESIDUAL = 0.06;

    private Power() {}

    /** The fitted fraction of board power at this batch on a replica of {@code accelerators}. */
    static double fraction(int batch, int accelerators) {
        double f = SINGLE_AT_BATCH_1 + PER_DOUBLING * Math.log(batch) / Math.log(2)
                - (accelerators > 1 ? MULTI_ACCELERATOR_DROP : 0);
        return Math.max(FLOOR, Math.min(CEILING, f));
    }
}
