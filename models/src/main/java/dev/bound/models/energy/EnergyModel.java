package dev.bound.models.energy;

import java.util.Objects;

/**
 * Estimates what a model call costs in energy, emissions and money from the model's shape and how
 * it is served: prompt processing is bound by compute, generation by memory reads (ENERGY.md derives
 * every formula). Immutable and cheap; build one per model and deployment and call it per request.
 */
public final class EnergyModel {

    /** Utilisations are moved by this factor each way for the band (and capped at 1). */
    static final double UTILISATION_FACTOR = 1.5;
    /** The power fraction is moved by this much each way for the band (within 0.05 to 1). */
    static final double POWER_FRACTION_STEP = 0.2;
    /** A batch above 1 is moved by this factor each way for the band; batch 1 is a scenario and stays. */
    static final int BATCH_FACTOR = 2;
    /** A profile marked as an estimate widens its band by this factor each way. */
    static final double ESTIMATE_FACTOR = 2;

    private static final double SECONDS_PER_HOUR = 3600;

    private final ModelProfile profile;
    private final Deployment deployment;
    private final int accelerators;

    private EnergyModel(ModelProfile profile, Deployment deployment) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.accelerators = deployment.acceleratorsFor(profile);
    }

    /** The model of serving {@code profile} on {@code deployment}. */
    public static EnergyModel of(ModelProfile profile, Deployment deployment) {
        return new EnergyModel(profile, deployment);
    }

    public ModelProfile profile() {
        return profile;
    }

    public Deployment deployment() {
        return deployment;
    }

    /** Accelerators in one replica, as configured or as chosen for this model's weights. */
    public int accelerators() {
        return accelerators;
    }

    /** The energy, emissions and cost of one call, each with its band. */
    public Estimate estimate(Request request) {
        Objects.requireNonNull(request, "request");
        Assumptions mid = Assumptions.mid(deployment);
        double prefill = prefillSeconds(request, mid);
        double decode = decodeSeconds(request, mid);
        double wh = joules(prefill + decode, mid) / SECONDS_PER_HOUR;
        double low = wh(request, mid.lowEnergy());
        double high = wh(request, mid.highEnergy());
        if (profile.estimate()) {
            low /= ESTIMATE_FACTOR;
            high *= ESTIMATE_FACTOR;
        }
        double kgPerWh = deployment.gridIntensity() / 1000;
        double pricePerWh = deployment.pricePerKwh() / 1000;
        return new Estimate(wh, low, high, wh * kgPerWh, low * kgPerWh, high * kgPerWh, wh * pricePerWh,
                low * pricePerWh, high * pricePerWh, prefill, decode);
    }

    /**
     * Energy in Wh that Bound's own work took: {@code nanos} of busy CPU time at {@code cpuWatts}
     * (ENERGY.md suggests 15 W per busy core). Subtract it from the avoided energy for the net saving.
     */
    public static double cpuWh(long nanos, double cpuWatts) {
        Check.integer("cpuWh nanos", nanos, 0, Long.MAX_VALUE);
        Check.number("cpuWh cpuWatts", cpuWatts, 0, 10_000);
        return nanos / 1e9 * cpuWatts / SECONDS_PER_HOUR;
    }

    private double wh(Request r, Assumptions a) {
        return joules(prefillSeconds(r, a) + decodeSeconds(r, a), a) / SECONDS_PER_HOUR;
    }

    /** Energy of {@code seconds} of the whole replica: accelerators × board power × power fraction × PUE. */
    double joules(double seconds, Assumptions a) {
        return seconds * accelerators * deployment.accelerator().watts() * a.powerFraction() * deployment.pue();
    }

    /**
     * FLOPs to prefill {@code newTokens} that attend to {@code cachedTokens} already in the KV cache:
     * 2·N_active per token for the weights, plus QKᵀ and AV (2 FLOPs per multiply-add each) over
     * the causal span, on average {@code cachedTokens + newTokens/2} keys per new token.
     */
    static double prefillFlops(ModelProfile p, long newTokens, long cachedTokens) {
        double weights = 2.0 * p.activeParams() * newTokens;
        double attention = 2.0 * 2.0 * p.layers() * newTokens * (cachedTokens + newTokens / 2.0)
                * ((double) p.queryHeads() * p.headDim());
        return weights + attention;
    }

    /**
     * Replica seconds to prefill a request: its compute, but never less than this request's share of
     * one read of the weights (a short prompt is bound by memory, not compute), plus one read of the
     * context's KV cache when it is reused.
     */
    double prefillSeconds(Request r, Assumptions a) {
        long fresh = r.reuseContextKv() ? r.promptTokens() : r.promptTokens() + r.contextTokens();
        long cached = r.reuseContextKv() ? r.contextTokens() : 0;
        if (fresh == 0) {
            return 0;
        }
        double compute = prefillFlops(profile, fresh, cached) / flopsPerSecond(a);
        return Math.max(compute, weightShareSeconds(a)) + cached * profile.kvBytesPerToken() / bytesPerSecond(a);
    }

    /**
     * Replica seconds to generate a request's completion, each token decoded at position
     * {@code t = context + prompt + i} for {@code i = 0 .. completion-1}; see {@link #decodeTokenSeconds}.
     */
    double decodeSeconds(Request r, Assumptions a) {
        long n = r.completionTokens();
        if (n == 0) {
            return 0;
        }
        double start = r.contextTokens() + r.promptTokens();
        double positions = n * start + n * (n - 1) / 2.0;
        return n * tokenFloorSeconds(a) + positions * profile.kvBytesPerToken() / bytesPerSecond(a);
    }

    /**
     * Replica seconds attributed to one decoded token at position {@code t}: the larger of its share
     * of the batch's weight read and its own compute, plus reading its own {@code t} tokens of KV cache.
     */
    double decodeTokenSeconds(long position, Assumptions a) {
        return tokenFloorSeconds(a) + position * profile.kvBytesPerToken() / bytesPerSecond(a);
    }

    private double tokenFloorSeconds(Assumptions a) {
        double compute = 2.0 * profile.activeParams() / flopsPerSecond(a);
        return Math.max(weightShareSeconds(a), compute);
    }

    /** One sequence's share of reading the weights a batch step touches. */
    private double weightShareSeconds(Assumptions a) {
        double bytes = profile.paramsReadPerStep(a.batch()) * profile.weightBytes();
        return bytes / a.batch() / bytesPerSecond(a);
    }

    private double flopsPerSecond(Assumptions a) {
        return deployment.accelerator().peakFlops() * a.prefillUtilisation() * accelerators;
    }

    private double bytesPerSecond(Assumptions a) {
        return deployment.accelerator().bandwidth() * a.decodeUtilisation() * accelerators;
    }

    /** The uncertain assumptions, at one point of the band. */
    record Assumptions(int batch, double prefillUtilisation, double decodeUtilisation, double powerFraction) {

        static Assumptions mid(Deployment d) {
            return new Assumptions(d.batch(), d.prefillUtilisation(), d.decodeUtilisation(), d.powerFraction());
        }

        /** Every assumption at its favourable bound: busier silicon, lower draw, a larger batch. */
        Assumptions lowEnergy() {
            return new Assumptions(batch == 1 ? 1 : Math.min(4096, batch * BATCH_FACTOR),
                    Math.min(1, prefillUtilisation * UTILISATION_FACTOR),
                    Math.min(1, decodeUtilisation * UTILISATION_FACTOR),
                    Math.max(0.05, powerFraction - POWER_FRACTION_STEP));
        }

        /** Every assumption at its unfavourable bound. */
        Assumptions highEnergy() {
            return new Assumptions(Math.max(1, batch / BATCH_FACTOR), prefillUtilisation / UTILISATION_FACTOR,
                    decodeUtilisation / UTILISATION_FACTOR, Math.min(1, powerFraction + POWER_FRACTION_STEP));
        }
    }
}
