package dev.bound.models.energy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Compares the model with published figures, each on its own boundary, and fails if the mid
 * estimate drifts more than {@link #TOLERANCE} times from a measurement, or if the published figure
 * leaves the model's band. Each anchor states its figure, source, boundary and the request shape we
 * assume for it (no source publishes all of it); models/ENERGY.md has the same table with ratios.
 */
class EnergyCalibrationTest {

    /** Our mid estimate must lie within this factor of each measurement, either way. */
    static final double TOLERANCE = 2;

    // (a) ML.ENERGY Leaderboard v3.0 (Dec 2025; vLLM 0.11.1, task "LLM Chat (LM Arena)"), energy per
    //     output token for Llama 3.1 8B (1 H100), 70B (4 H100) and 405B FP8 (8 H100) at each batch
    //     (max_num_seqs) measured. GPU energy only: PUE 1, no host. The values are read off the SVG
    //     of the figure "Energy per output token vs. batch size" in the ML.ENERGY blog post "LLM
    //     Inference Energy: A Longitudinal Analysis" (9 Feb 2026; github.com/ml-energy/blog,
    //     docs/posts/assets/llm-energy-over-time/llama-energy-per-token-light.svg), to 3 or 4 digits.
    //     Shape assumed: 500 prompt tokens (not published) and 717 output tokens (the v3.0 text
    //     conversation mean, "Diagnosing Inference Energy Consumption with the ML.ENERGY Leaderboard
    //     v3.0", 2026).
    static final int ML_PROMPT = 500;
    static final int ML_OUTPUT = 717;
    static final int[] ML_8B_BATCH = {16, 32, 64, 96, 128, 192, 256, 384, 512, 768};
    static final double[] ML_8B_J = {0.263, 0.165, 0.119, 0.103, 0.0951, 0.0837, 0.0766, 0.0742, 0.0702, 0.0714};
    static final int[] ML_70B_BATCH = {16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024};
    static final double[] ML_70B_J = {2.09, 1.21, 0.797, 0.648, 0.563, 0.514, 0.479, 0.441, 0.421, 0.390, 0.373};
    static final int[] ML_405B_BATCH = {16, 32, 64, 96, 128, 192, 256};
    static final double[] ML_405B_J = {7.59, 4.77, 3.08, 2.66, 2.43, 2.23, 2.06};

    // (b) Google, "Measuring the environmental impact of delivering AI at Google Scale" (arXiv
    //     2508.15734, Aug 2025): the median Gemini Apps text prompt (May 2025) took 0.10 Wh counting
    //     active accelerators only (0.24 Wh on its comprehensive boundary, which adds host CPU and
    //     DRAM, idle machines and PUE 1.09). Token counts are not published. Shape assumed: 1,000
    //     prompt and 400 output tokens, gemini-flash-class on the default H100 deployment (TPUs are
    //     not modelled), accelerators alone: PUE 1, host overhead 1.
    static final double GOOGLE_ACCELERATOR_WH = 0.10;
    static final int GOOGLE_PROMPT = 1000;
    static final int GOOGLE_OUTPUT = 400;

    // (c) Epoch AI, "How much energy does ChatGPT use?" (Gradient Updates, Feb 2025) and its
    //     spreadsheet: 0.3 Wh for a GPT-4o query of 500 output tokens, 100B active parameters, H100s
    //     at 10 % of peak FLOP/s, 1,275 W per GPU (a 10.2 kW DGX H100 over 8 GPUs) × 0.7 × PUE 1.2.
    //     Compared on Epoch's own boundary: PUE 1.2, host overhead 1,275/700, power fraction 0.7.
    static final double EPOCH_WH = 0.3;
    static final int EPOCH_PROMPT = 100;
    static final int EPOCH_OUTPUT = 500;
    static final double EPOCH_PUE = 1.2;
    static final double EPOCH_HOST = 1275.0 / 700;
    /** Our batch whose decode throughput per GPU (≈620 tokens/s) is nearest Epoch's 10 % of peak (≈495). */
    static final int EPOCH_LIKE_BATCH = 128;

    // (d) Our own measurement (models/energy-bench/decode_energy.py, 2026-12-04; its output is
    //     models/energy-bench/h200-2026-12-04.json): a model of Llama 3.1 8B's shapes in bf16 with
    //     random weights on one H200 (700 W limit), decode steps as CUDA graphs of fused PyTorch
    //     kernels at context 858 and a prefill of 8 prompts × 500 tokens, energy from NVML's counter
    //     (GPU only: PUE 1, no host). Joules per output token of a 500-prompt, 717-output request:
    //     its 717 decode steps' share plus its prefill, at each batch.
    static final int[] H200_BATCH = {1, 8, 16, 32, 64, 128, 256};
    static final double[] H200_J = {2.566, 0.3657, 0.2112, 0.1323, 0.0907, 0.0718, 0.0587};
    /**
     * Tighter than {@link #TOLERANCE}: this anchor's request shape, batch and boundary are known
     * exactly, not assumed. The model comes within 4 % from batch 8 up; at batch 1 it is 23 % low,
     * where the power curve is extrapolated below ML.ENERGY's smallest batch (0.50 of board power
     * against 0.68 measured).
     */
    static final double H200_TOLERANCE = 1.35;

    private static void assertNear(String anchor, double published, double mid, double low, double high,
            double tolerance) {
        double ratio = mid / published;
        assertTrue(ratio <= tolerance && ratio >= 1 / tolerance,
                anchor + ": model " + mid + " vs published " + published + " (ratio " + ratio + ")");
        assertTrue(low <= published && published <= high,
                anchor + ": published " + published + " outside the band " + low + " to " + high);
    }

    private static void sweep(String name, ModelProfile p, int gpus, int[] batches, double[] joules) {
        sweep("ML.ENERGY v3.0 " + name, p, Deployment.DEFAULT.withAccelerators(gpus), batches, joules, TOLERANCE);
    }

    /** Joules per output token of the 500-prompt, 717-output shape at each batch, GPU energy only. */
    private static void sweep(String name, ModelProfile p, Deployment deployment, int[] batches, double[] joules,
            double tolerance) {
        for (int i = 0; i < batches.length; i++) {
            Deployment d = deployment.withBatch(batches[i]).withPue(1).withHostOverhead(1);
            Estimate e = EnergyModel.of(p, d).estimate(new Request(ML_PROMPT, 0, ML_OUTPUT, false));
            double perToken = 3600.0 / ML_OUTPUT;
            assertNear(name + " batch " + batches[i], joules[i], e.wh() * perToken, e.whLow() * perToken,
                    e.whHigh() * perToken, tolerance);
        }
    }

    @Test
    void mlEnergy_llama31_8b_oneH100_everyBatch() {
        sweep("Llama 3.1 8B", ModelProfile.builtin("llama-3.1-8b"), 1, ML_8B_BATCH, ML_8B_J);
    }

    @Test
    void ownMeasurement_llama31_8bShapes_oneH200_everyBatch() {
        sweep("decode_energy.py on one H200, Llama 3.1 8B shapes", ModelProfile.builtin("llama-3.1-8b"),
                Deployment.DEFAULT.withAccelerator(Accelerator.builtin("h200")).withAccelerators(1), H200_BATCH,
                H200_J, H200_TOLERANCE);
    }

    @Test
    void mlEnergy_llama31_70b_fourH100_everyBatch() {
        sweep("Llama 3.1 70B", ModelProfile.builtin("llama-3.1-70b"), 4, ML_70B_BATCH, ML_70B_J);
    }

    @Test
    void mlEnergy_llama31_405bFp8_eightH100_everyBatch() {
        ModelProfile bf16 = ModelProfile.builtin("llama-3.1-405b");
        ModelProfile fp8 = new ModelProfile("llama-3.1-405b-fp8", bf16.totalParams(), bf16.activeParams(),
                bf16.layers(), bf16.hiddenSize(), bf16.queryHeads(), bf16.kvHeads(), bf16.headDim(), 0, 1, 2, 0, 0,
                "Llama 3.1 405B FP8 weights, bf16 KV cache", false);
        sweep("Llama 3.1 405B FP8", fp8, 8, ML_405B_BATCH, ML_405B_J);
    }

    @Test
    void google_medianGeminiAppsPrompt_acceleratorsOnly_wh() {
        Estimate e = EnergyModel.of(ModelProfile.builtin("gemini-flash-class"),
                Deployment.DEFAULT.withPue(1).withHostOverhead(1))
                .estimate(new Request(GOOGLE_PROMPT, 0, GOOGLE_OUTPUT, false));
        assertNear("Google 2025 median Gemini prompt, accelerators only", GOOGLE_ACCELERATOR_WH, e.wh(),
                e.whLow(), e.whHigh(), TOLERANCE);
    }

    @Test
    void epoch_gpt4oQuery_onEpochsBoundary_wh() {
        Deployment epoch = Deployment.DEFAULT.withPue(EPOCH_PUE).withHostOverhead(EPOCH_HOST).withPowerFraction(0.7);
        ModelProfile gpt4o = ModelProfile.builtin("gpt-4o-class");
        Request query = new Request(EPOCH_PROMPT, 0, EPOCH_OUTPUT, false);
        // At Epoch's utilisation the model agrees within ×2.
        Estimate like = EnergyModel.of(gpt4o, epoch.withBatch(EPOCH_LIKE_BATCH)).estimate(query);
        assertNear("Epoch AI 2025 GPT-4o query at batch " + EPOCH_LIKE_BATCH, EPOCH_WH, like.wh(), like.whLow(),
                like.whHigh(), TOLERANCE);
        // At our default batch 32 an 8-expert MoE reads nearly every expert per step, so per GPU it
        // decodes a third of what Epoch's 10 % implies: about ×3 higher, Epoch's figure still in the band.
        Estimate at32 = EnergyModel.of(gpt4o, epoch).estimate(query);
        assertNear("Epoch AI 2025 GPT-4o query at batch 32", EPOCH_WH, at32.wh(), at32.whLow(), at32.whHigh(), 4);
    }
}
