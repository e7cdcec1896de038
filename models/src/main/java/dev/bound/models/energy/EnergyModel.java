package dev.bound.models.energy;

import java.util.Objects;

/**
 * Estimates what a model call costs in energy, emissions and money from the model's shape and how
 * it is served: prompt processing is bound by compute, generation by memory reads, the batch by
 * the memory the KV cache leaves free (ENERGY.md derives every formula). Immutable and cheap; build
 * one per model and deployment and call it per request.
 */
public final class EnergyModel {

    /** Utilisations are moved by this factor each way for the band (and capped at 1). */
    static final double UTILISATION_FACTOR = 1.5;
    /** A configured power fraction is moved by this much each way for the band (within 0.05 to 1). */
    static final double POWER_FRACTION_STEP = 0.2;
    /** The measured power curve is moved by this much each way (its points lie within 0.06 of it). */
    static final double MEASURED_POWER_STEP = 0.1;
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

    /** Accelerators in one replica, as configured or as chosen for the weights and the batch's KV cache. */
    public int accelerators() {
        return accelerators;
    }

    /**
     * Accelerators of the replica that serves {@code request}: {@link #accelerators()}, doubled
     * while one sequence of the request's length does not fit (automatic sizing only).
     */
    public int accelerators(Request request) {
        return plan(request, Assumptions.mid(deployment)).accelerators();
    }

    /** The batch {@code request} is decoded in: the deployment's, or fewer if their KV cache does not fit. */
    public int batch(Request request) {
        return plan(request, Assumptions.mid(deployment)).batch();
    }

    /** The fraction of board power drawn while serving {@code request} (mid assumptions). */
    public double powerFraction(Request request) {
        return plan(request, Assumptions.mid(deployment)).power();
    }

    /** The longest context at which the deployment's whole batch still fits on {@link #accelerators()}. */
    public long fullBatchContext() {
        return Memory.maxContext(profile, deployment.accelerator(), accelerators) / deployment.batch();
    }

    /** The energy, emissions and cost of one call, each with its band. */
    public Estimate estimate(Request request) {
        Objects.requireNonNull(request, "request");
        Assumptions mid = Assumptions.mid(deployment);
        Plan plan = plan(request, mid);
        double prefill = prefillSeconds(request, mid, plan);
        double decode = decodeSeconds(request, mid, plan);
        double wh = joules(prefill + decode, plan) / SECONDS_PER_HOUR;
        return banded(wh, wh(request, mid.lowEnergy()), wh(request, mid.highEnergy()), prefill, decode);
    }

    /**
     * The cost of keeping {@code contextTokens} of KV cache in the replica's memory for
     * {@code seconds} between turns: the share of the replica's memory it occupies, times the
     * replica's power, times the time held (ENERGY.md, "Holding a KV cache").
     */
    public Estimate hold(long contextTokens, double seconds) {
        Check.integer("hold contextTokens", contextTokens, 0, Request.MAX_TOKENS);
        Check.number("hold seconds", seconds, 0, 1e9);
        Request held = new Request(0, contextTokens, 0, true);
        Assumptions mid = Assumptions.mid(deployment);
        return banded(holdWh(held, seconds, mid), holdWh(held, seconds, mid.lowEnergy()),
                holdWh(held, seconds, mid.highEnergy()), 0, 0);
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

    private Estimate banded(double wh, double low, double high, double prefill, double decode) {
        if (profile.estimate()) {
            low /= ESTIMATE_FACTOR;
            high *= ESTIMATE_FACTOR;
        }
        double kgPerWh = deployment.gridIntensity() / 1000;
        double pricePerWh = deployment.pricePerKwh() / 1000;
        return new Estimate(wh, low, high, wh * kgPerWh, low * kgPerWh, high * kgPerWh, wh * pricePerWh,
                low * pricePerWh, high * pricePerWh, prefill, decode);
    }

    private double wh(Request r, Assumptions a) {
        Plan plan = plan(r, a);
        return joules(prefillSeconds(r, a, plan) + decodeSeconds(r, a, plan), plan) / SECONDS_PER_HOUR;
    }

    private double holdWh(Request held, double seconds, Assumptions a) {
        Plan plan = plan(held, a);
        double share = held.contextTokens() * profile.kvBytesPerToken()
                / ((double) plan.accelerators() * deployment.accelerator().memoryBytes());
        return joules(share * seconds, plan) / SECONDS_PER_HOUR;
    }

    /** The replica, batch and power a request is served with under {@code a}. */
    record Plan(int accelerators, int batch, double power) {}

    /**
     * Sizes the replica and caps the batch for a request whose sequences each hold, on average over
     * their answer, {@code context + prompt + completion/2} tokens of KV cache.
     */
    Plan plan(Request r, Assumptions a) {
        double occupancy = r.contextTokens() + r.promptTokens() + r.completionTokens() / 2.0;
        Accelerator acc = deployment.accelerator();
        int n = accelerators;
        if (deployment.acceleratorsPerReplica() == 0 && Memory.kvBudget(profile, acc, n)
                < occupancy * profile.kvBytesPerToken()) {
            n = Memory.replica(profile, acc, 1, occupancy);
        }
        int batch = Math.min(a.batch(), Memory.batchCap(profile, acc, n, occupancy));
        return new Plan(n, batch, a.power(batch, n));
    }

    /** Energy of {@code seconds} of the replica: accelerators × board power × power fraction × PUE × host. */
    double joules(double seconds, Plan plan) {
        return seconds * plan.accelerators() * deployment.accelerator().watts() * plan.power() * deployment.pue()
                * deployment.hostOverhead();
    }

    /** {@link #joules(double, Plan)} on the configured replica at the assumptions' batch. */
    double joules(double seconds, Assumptions a) {
        return joules(seconds, new Plan(accelerators, a.batch(), a.power(a.batch(), accelerators)));
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
     * FLOPs one decoded token spends per earlier position on attention: QKᵀ and AV for every query
     * head and layer. A latent-attention model attends in its latent width (absorbed weights).
     */
    static double decodeAttentionFlopsPerPosition(ModelProfile p) {
        int width = p.kvLatentDim() > 0 ? p.kvLatentDim() : p.headDim();
        return 2.0 * 2.0 * p.layers() * p.queryHeads() * width;
    }

    /**
     * Replica seconds to prefill a request: its compute, but never less than this request's share of
     * one read of the weights (a short prompt is bound by memory, not compute), plus one read of the
     * context's KV cache when it is reused.
     */
    double prefillSeconds(Request r, Assumptions a) {
        return prefillSeconds(r, a, plan(r, a));
    }

    private double prefillSeconds(Request r, Assumptions a, Plan plan) {
        long fresh = r.reuseContextKv() ? r.promptTokens() : r.promptTokens() + r.contextTokens();
        long cached = r.reuseContextKv() ? r.contextTokens() : 0;
        if (fresh == 0) {
            return 0;
        }
        double compute = prefillFlops(profile, fresh, cached) / flopsPerSecond(a, plan);
        return Math.max(compute, weightShareSeconds(a, plan))
                + cached * profile.kvBytesPerToken() / bytesPerSecond(a, plan);
    }

    /**
     * Replica seconds to generate a request's completion, each token decoded at position
     * {@code t = context + prompt + i} for {@code i = 0 .. completion-1}; see {@link #decodeTokenSeconds}.
     */
    double decodeSeconds(Request r, Assumptions a) {
        return decodeSeconds(r, a, plan(r, a));
    }

    private double decodeSeconds(Request r, Assumptions a, Plan plan) {
        long n = r.completionTokens();
        if (n == 0) {
            return 0;
        }
        double bw = bytesPerSecond(a, plan);
        double flops = flopsPerSecond(a, plan);
        return Roofline.sumOfMax(weightShareSeconds(a, plan), profile.kvBytesPerToken() / bw,
                2.0 * profile.activeParams() / flops, decodeAttentionFlopsPerPosition(profile) / flops,
                r.contextTokens() + r.promptTokens(), n);
    }

    /**
     * Replica seconds attributed to one decoded token at position {@code t}: the larger of its memory
     * time (its share of the batch's weight read plus reading its own {@code t} tokens of KV cache)
     * and its compute (the weights plus attention over {@code t} positions).
     */
    double decodeTokenSeconds(long position, Assumptions a) {
        Plan plan = plan(new Request(0, position, 0, true), a);
        double bw = bytesPerSecond(a, plan);
        double flops = flopsPerSecond(a, plan);
        double memory = weightShareSeconds(a, plan) + position * profile.kvBytesPerToken() / bw;
        double compute = (2.0 * profile.activeParams() + position * decodeAttentionFlopsPerPosition(profile)) / flops;
        return Math.max(memory, compute);
    }

    /** One sequence's share of reading the weights a batch step touches. */
    private double weightShareSeconds(Assumptions a, Plan plan) {
        double bytes = profile.paramsReadPerStep(plan.batch()) * profile.weightBytes();
        return bytes / plan.batch() / bytesPerSecond(a, plan);
    }

    private double flopsPerSecond(Assumptions a, Plan plan) {
        return deployment.accelerator().peakFlops() * a.prefillUtilisation() * plan.accelerators();
    }

    private double bytesPerSecond(Assumptions a, Plan plan) {
        return deployment.accelerator().bandwidth() * a.decodeUtilisation() * plan.accelerators();
    }

    /**
     * The uncertain assumptions, at one point of the band.
     *
     * @param powerFraction a fixed fraction of board power, or 0 for the measured curve
     * @param powerShift added to the fraction (fixed or from the curve) before clamping to 0.05..1
     */
    record Assumptions(int batch, double prefillUtilisation, double decodeUtilisation, double powerFraction,
            double powerShift) {

        static Assumptions mid(Deployment d) {
            return new Assumptions(d.batch(), d.prefillUtilisation(), d.decodeUtilisation(), d.powerFraction(), 0);
        }

        /** The fraction of board power drawn at this (possibly memory-capped) batch. */
        double power(int effectiveBatch, int accelerators) {
            double base = powerFraction > 0 ? powerFraction : Power.fraction(effectiveBatch, accelerators);
            return Math.max(0.05, Math.min(1, base + powerShift));
        }

        private double step() {
            return powerFraction > 0 ? POWER_FRACTION_STEP : MEASURED_POWER_STEP;
        }

        /** Every assumption at its favourable bound: busier silicon, lower draw, a larger batch. */
        Assumptions lowEnergy() {
            return new Assumptions(batch == 1 ? 1 : Math.min(4096, batch * BATCH_FACTOR),
                    Math.min(1, prefillUtilisation * UTILISATION_FACTOR),
                    Math.min(1, decodeUtilisation * UTILISATION_FACTOR), powerFraction, powerShift - step());
        }

        /** Every assumption at its unfavourable bound. */
        Assumptions highEnergy() {
            return new Assumptions(Math.max(1, batch / BATCH_FACTOR), prefillUtilisation / UTILISATION_FACTOR,
                    decodeUtilisation / UTILISATION_FACTOR, powerFraction, powerShift + step());
        }
    }
}
