package dev.bound.models.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The formulas against cases worked by hand. The toy model has round numbers so that each figure
 * can be checked with pencil and paper:
 *
 * <pre>
 * model:       1e9 parameters (dense), 2 layers, 2 query heads, 1 KV head, head dim 64, bf16 (2 bytes)
 *              KV per token = 2 layers × (2 × 1 × 64) elements × 2 bytes = 512 bytes
 * accelerator: 1e12 FLOP/s, 1e10 bytes/s, 100 W, 10 GB; one per replica
 * deployment:  batch 4, 50 % FLOP/s, 50 % bandwidth, 50 % power, PUE 2, 500 g/kWh, 0.2 USD/kWh
 *              → 5e11 FLOP/s and 5e9 bytes/s achieved; 100 W at the wall
 * </pre>
 */
class EnergyModelTest {

    private static final double REL = 1e-6;

    static final ModelProfile TOY = new ModelProfile("toy", 1_000_000_000L, 1_000_000_000L, 2, 128, 2, 1, 64, 0,
            2, 2, 0, 0, "hand-made", false);
    static final Accelerator TOY_GPU = new Accelerator("toy-gpu", 1e12, 1e10, 100, 10_000_000_000L, "hand-made");
    static final Deployment TOY_DEPLOYMENT = new Deployment(TOY_GPU, 1, 4, 0.5, 0.5, 0.5, 2, 500, 0.2, "USD");

    private final EnergyModel toy = EnergyModel.of(TOY, TOY_DEPLOYMENT);
    private final EnergyModel.Assumptions mid = EnergyModel.Assumptions.mid(TOY_DEPLOYMENT);

    static void assertRel(double expected, double actual) {
        assertEquals(expected, actual, Math.abs(expected) * REL, () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void kvBytesPerToken_toy() {
        assertRel(512, TOY.kvBytesPerToken());
    }

    @Test
    void prefillFlops_noContext() {
        // 2 × 1e9 × 10 = 2e10 for the weights; attention 4 × 2 layers × 10 × (0 + 10/2) × (2 × 64) = 51,200
        assertRel(20_000_051_200.0, EnergyModel.prefillFlops(TOY, 10, 0));
    }

    @Test
    void prefillFlops_attendsToCachedContext() {
        // attention 4 × 2 × 10 × (100 + 5) × 128 = 1,075,200
        assertRel(20_001_075_200.0, EnergyModel.prefillFlops(TOY, 10, 100));
    }

    @Test
    void decodeTokenSeconds_boundByWeights() {
        // weights 1e9 × 2 bytes shared by 4 sequences = 5e8 bytes / 5e9 B/s = 0.1 s;
        // compute 2 × 1e9 / 5e11 = 0.004 s; at position 0 there is no KV to read.
        assertRel(0.1, toy.decodeTokenSeconds(0, mid));
    }

    @Test
    void decodeTokenSeconds_longContext_kvReadDominates() {
        // the same 0.1 s plus 1e6 positions × 512 bytes / 5e9 B/s = 0.1024 s of KV reading
        assertRel(0.2024, toy.decodeTokenSeconds(1_000_000, mid));
    }

    @Test
    void decodeTokenSeconds_largeBatch_boundByCompute() {
        // at batch 1000 the weight share is 2e9 / 1000 / 5e9 = 0.0004 s, below the compute of 0.004 s
        EnergyModel.Assumptions big = new EnergyModel.Assumptions(1000, 0.5, 0.5, 0.5, 0);
        assertRel(0.004, toy.decodeTokenSeconds(0, big));
    }

    @Test
    void decodeSeconds_sumsPositions() {
        // 3 tokens at positions 110, 111, 112: 3 × 0.1 s + 333 × 512 / 5e9 s = 0.3000340992 s
        assertRel(0.3000340992, toy.decodeSeconds(new Request(10, 100, 3, true), mid));
    }

    @Test
    void prefillSeconds_reuseVersusRecompute() {
        // Kept: 1,000 new tokens attend to 10,000 cached ones.
        //   FLOPs 2e9 × 1000 + 4 × 2 × 1000 × (10,000 + 500) × 128 = 2.010752e12 → / 5e11 = 4.021504 s
        //   plus reading the cached KV once: 10,000 × 512 / 5e9 = 0.001024 s → 4.022528 s
        // Redone: all 11,000 tokens prefilled from scratch.
        //   FLOPs 2e9 × 11,000 + 4 × 2 × 11,000 × 5,500 × 128 = 2.2061952e13 → / 5e11 = 44.123904 s
        assertRel(4.022528, toy.prefillSeconds(new Request(1000, 10_000, 0, true), mid));
        assertRel(44.123904, toy.prefillSeconds(new Request(1000, 10_000, 0, false), mid));
    }

    @Test
    void prefillSeconds_shortPrompt_boundByWeightRead() {
        // 10 tokens take 2e10 FLOPs = 0.04 s of compute, less than the 0.1 s share of reading the weights;
        // plus 100 cached tokens × 512 / 5e9 = 1.024e-5 s
        assertRel(0.10001024, toy.prefillSeconds(new Request(10, 100, 0, true), mid));
    }

    @Test
    void joules_replicaTimesPowerTimesPue() {
        // 3.6 s × 1 accelerator × 100 W × 0.5 × PUE 2 = 360 J
        assertRel(360, toy.joules(3.6, mid));
    }

    @Test
    void estimate_convertsToWhGramsAndMoney() {
        // 36 tokens decoded from an empty context: 36 × 0.1 s + (0 + 1 + … + 35 = 630) × 512 / 5e9 s
        //   = 3.600064512 s → × 100 W at the wall = 360.0064512 J = 0.100001792 Wh
        // gCO2e = 0.100001792 / 1000 kWh × 500 g/kWh; money = 0.100001792 / 1000 × 0.2 USD
        Estimate e = toy.estimate(new Request(0, 0, 36, false));
        assertRel(0.100001792, e.wh());
        assertRel(0.050000896, e.gco2e());
        assertRel(2.000035840e-5, e.money());
        assertEquals(0, e.prefillSeconds());
        assertRel(3.600064512, e.decodeSeconds());
    }

    @Test
    void band_assumptionsMoveByTheStatedBounds() {
        // a configured power fraction moves by 0.2 each way
        assertEquals(new EnergyModel.Assumptions(8, 0.75, 0.75, 0.5, -0.2), mid.lowEnergy());
        assertEquals(new EnergyModel.Assumptions(2, 0.5 / 1.5, 0.5 / 1.5, 0.5, 0.2), mid.highEnergy());
        assertRel(0.3, mid.lowEnergy().power(8, 1));
        EnergyModel.Assumptions single = new EnergyModel.Assumptions(1, 0.8, 0.9, 0.95, 0);
        assertEquals(new EnergyModel.Assumptions(1, 1, 1, 0.95, -0.2), single.lowEnergy());
        assertEquals(1, single.highEnergy().batch());
        assertEquals(1, single.highEnergy().power(1, 1));
        // the measured curve moves by 0.1 each way
        EnergyModel.Assumptions curve = EnergyModel.Assumptions.mid(Deployment.DEFAULT);
        assertRel(Power.fraction(64, 1) - 0.1, curve.lowEnergy().power(64, 1));
        assertRel(Power.fraction(16, 4) + 0.1, curve.highEnergy().power(16, 4));
    }

    @Test
    void band_lowAtMostMidAtMostHigh_forEveryBuiltinAndShape() {
        Request[] shapes = {new Request(30, 0, 30, false), new Request(30, 100_000, 30, true),
            new Request(30, 100_000, 30, false), new Request(2000, 0, 0, false), new Request(0, 0, 500, false)};
        for (ModelProfile p : ModelProfile.builtins()) {
            for (int batch : new int[] {1, 32}) {
                EnergyModel m = EnergyModel.of(p, Deployment.DEFAULT.withBatch(batch));
                for (Request r : shapes) {
                    Estimate e = m.estimate(r);
                    String what = p.name() + " batch " + batch + " " + r;
                    assertTrue(0 < e.whLow() && e.whLow() < e.wh() && e.wh() < e.whHigh(), what + " " + e);
                    assertTrue(e.gco2eLow() < e.gco2e() && e.gco2e() < e.gco2eHigh(), what);
                    assertTrue(e.moneyLow() < e.money() && e.money() < e.moneyHigh(), what);
                }
            }
        }
    }

    @Test
    void band_estimateProfile_widenedByTwoEachWay() {
        ModelProfile guess = new ModelProfile("guess", 1_000_000_000L, 1_000_000_000L, 2, 128, 2, 1, 64, 0, 2, 2,
                0, 0, "hand-made", true);
        Request r = new Request(100, 0, 100, false);
        Estimate known = toy.estimate(r);
        Estimate guessed = EnergyModel.of(guess, TOY_DEPLOYMENT).estimate(r);
        assertRel(known.wh(), guessed.wh());
        assertRel(known.whLow() / 2, guessed.whLow());
        assertRel(known.whHigh() * 2, guessed.whHigh());
    }

    @Test
    void mixtureOfExperts_computeUsesActiveParams() {
        // 5e9 total, 2e9 active, 4 experts, 1 active: each expert 3e9 / 3 = 1e9, shared 2e9 - 1e9 = 1e9
        ModelProfile moe = new ModelProfile("toy-moe", 5_000_000_000L, 2_000_000_000L, 2, 128, 2, 1, 64, 0, 2, 2,
                4, 1, "hand-made", false);
        // 2 × 2e9 × 10 + 51,200 (attention as for the dense toy)
        assertRel(40_000_051_200.0, EnergyModel.prefillFlops(moe, 10, 0));
    }

    @Test
    void mixtureOfExperts_batchReadsTheUnionOfExperts() {
        ModelProfile moe = new ModelProfile("toy-moe", 5_000_000_000L, 2_000_000_000L, 2, 128, 2, 1, 64, 0, 2, 2,
                4, 1, "hand-made", false);
        // batch 1: shared 1e9 + one expert 1e9 = the 2e9 active parameters
        assertRel(2e9, moe.paramsReadPerStep(1));
        // batch 2: experts touched 4 × (1 - (3/4)²) = 1.75 → 1e9 + 1.75e9
        assertRel(2.75e9, moe.paramsReadPerStep(2));
        // a large batch touches every expert
        assertRel(5e9, moe.paramsReadPerStep(4096));
        // decode at batch 2: 2.75e9 × 2 bytes / 2 sequences / 5e9 B/s = 0.55 s per token
        EnergyModel m = EnergyModel.of(moe, TOY_DEPLOYMENT.withBatch(2));
        assertRel(0.55, m.decodeTokenSeconds(0, EnergyModel.Assumptions.mid(TOY_DEPLOYMENT.withBatch(2))));
    }

    @Test
    void accelerators_sizedForWeightsAndTheBatchsKvCache() {
        // 2 GB of weights + 4 × 8,192 × 512 B of KV = 2.017 GB fits in 90 % of one 10 GB toy accelerator
        assertEquals(1, EnergyModel.of(TOY, TOY_DEPLOYMENT.withAccelerators(0)).accelerators());
        Deployment auto = Deployment.DEFAULT;
        // 141.1 GB + 32 × 8,192 × 327,680 B = 227 GB → 3.2 × 72 GB usable → 4 (a power of two), as ML.ENERGY ran it
        assertEquals(4, EnergyModel.of(ModelProfile.builtin("llama-3.1-70b"), auto).accelerators());
        assertEquals(1, EnergyModel.of(ModelProfile.builtin("llama-3.1-8b"), auto).accelerators());
        // 671 GB (fp8) + 18.4 GB of latent KV = 689 GB → 9.6 → 16
        assertEquals(16, EnergyModel.of(ModelProfile.builtin("deepseek-v3"), auto).accelerators());
        // 2,000 GB + 32 × 8,192 × 1,146,880 B = 2,300.6 GB ≤ 32 × 72 GB = 2,304 GB
        assertEquals(32, EnergyModel.of(ModelProfile.builtin("dense-1t"), auto).accelerators());
    }

    @Test
    void accelerators_replicaGrowsUntilOneSequenceFits() {
        // 20M tokens × 512 B = 10.24 GB of KV: one toy accelerator has 9 - 2 = 7 GB free, two have 16 GB
        EnergyModel auto = EnergyModel.of(TOY, TOY_DEPLOYMENT.withAccelerators(0));
        assertEquals(2, auto.accelerators(new Request(0, 20_000_000, 0, true)));
        assertEquals(1, auto.batch(new Request(0, 20_000_000, 0, true)));
        // the regression: gpt-4o-class must hold one 113,625-token conversation (37.2 GB of KV)
        EnergyModel gpt4o = EnergyModel.of(ModelProfile.builtin("gpt-4o-class"), Deployment.DEFAULT);
        Request late = new Request(30, 113_625, 30, true);
        double free = gpt4o.accelerators(late) * 80e9 * 0.9 - 400e9;
        assertTrue(free >= 113_685 * ModelProfile.builtin("gpt-4o-class").kvBytesPerToken(), "free " + free);
    }

    @Test
    void batch_shrinksAsTheKvCacheFillsMemory() {
        // 7 GB free / (1,000,000 tokens × 512 B) = 13.7 → 13 of the 64 asked for
        EnergyModel toy64 = EnergyModel.of(TOY, TOY_DEPLOYMENT.withBatch(64));
        assertEquals(64, toy64.batch(new Request(0, 1000, 0, true)));
        assertEquals(13, toy64.batch(new Request(0, 1_000_000, 0, true)));
        // a sequence counts its context, its prompt and half its answer: (999,000 + 0 + 2,000/2) tokens
        assertEquals(13, toy64.batch(new Request(0, 999_000, 2000, true)));
        // 70B on 4 H100s: 146.9 GB free; batch 32 fits up to 14,009 tokens each, minute 62 at 225 tokens/min
        EnergyModel llama = EnergyModel.of(ModelProfile.builtin("llama-3.1-70b"), Deployment.DEFAULT);
        assertEquals(14_009, llama.fullBatchContext());
        assertEquals(32, llama.batch(new Request(30, 55 * 225, 30, true)));
        // at minute 505 a sequence holds 113,670 tokens × 327,680 B = 37.2 GB: 3 fit, so the
        // "batch 32" phrase costs what a batch-3 phrase costs (the audit found it 2.5× understated)
        Request late = new Request(30, 505 * 225, 30, true);
        assertEquals(3, llama.batch(late));
        assertRel(EnergyModel.of(ModelProfile.builtin("llama-3.1-70b"), Deployment.DEFAULT.withBatch(3))
                .estimate(late).wh(), llama.estimate(late).wh());
    }

    @Test
    void hold_shareOfMemoryTimesReplicaPowerTimesTime() {
        // 1,000,000 tokens × 512 B = 0.512 GB of 10 GB = 5.12 %; × 10 s × 100 W × 0.5 × PUE 2 = 51.2 J
        Estimate held = toy.hold(1_000_000, 10);
        assertRel(51.2 / 3600, held.wh());
        assertTrue(held.whLow() < held.wh() && held.wh() < held.whHigh());
        assertEquals(0, toy.hold(0, 10).wh());
        // the 1T model at minute 505 holds 130 GB of 32 × 80 GB: over a kilowatt at the default site
        EnergyModel big = EnergyModel.of(ModelProfile.builtin("dense-1t"), Deployment.DEFAULT);
        double watts = big.hold(505 * 225, 3600).wh();
        assertTrue(watts > 1000 && watts < 1500, "W " + watts);
    }

    @Test
    void power_followsTheMeasuredCurve() {
        // 0.50 + 0.062 × log2(64) = 0.872: ML.ENERGY measured 610 W of 700 (0.872) for Llama 3.1 8B on one H100
        assertRel(0.872, Power.fraction(64, 1));
        // four GPUs wait on each other: 0.872 - 0.145 = 0.727 (measured 2,002 W of 2,800: 0.715)
        assertRel(0.727, Power.fraction(64, 4));
        assertEquals(Power.CEILING, Power.fraction(4096, 1));
        assertRel(Power.fraction(64, 1), EnergyModel.of(ModelProfile.builtin("llama-3.1-8b"),
                Deployment.DEFAULT.withAccelerators(1).withBatch(64)).powerFraction(new Request(500, 0, 700, false)));
    }

    @Test
    void decodeTokenSeconds_latentAttention_boundByAttentionCompute() {
        // 64 query heads over an 8-wide latent: KV 2 layers × 8 × 2 B = 32 B per token, but attention
        // 4 × 2 × 64 × 8 = 4,096 FLOPs per earlier position. At position 1e6 and batch 1000:
        // memory 2e9/1000/5e9 + 1e6 × 32/5e9 = 0.0068 s; compute (2e9 + 4.096e9)/5e11 = 0.012192 s
        ModelProfile mla = new ModelProfile("toy-mla", 1_000_000_000L, 1_000_000_000L, 2, 128, 64, 1, 2, 8, 2, 2,
                0, 0, "hand-made", false);
        EnergyModel m = EnergyModel.of(mla, TOY_DEPLOYMENT);
        assertRel(0.012192, m.decodeTokenSeconds(1_000_000, new EnergyModel.Assumptions(1000, 0.5, 0.5, 0.5, 0)));
    }

    @Test
    void roofline_sumOfMax_splitsAtTheCrossing() {
        // memory 1 + t, compute 4 + 0·t over t = 0..5: 4, 4, 4, 4, 5, 6 → 27
        assertRel(27, Roofline.sumOfMax(1, 1, 4, 0, 0, 6));
        // the same lines the other way round
        assertRel(27, Roofline.sumOfMax(4, 0, 1, 1, 0, 6));
        // from t = 10: 11 + 12 + 13
        assertRel(36, Roofline.sumOfMax(1, 1, 4, 0, 10, 3));
        assertEquals(0, Roofline.sumOfMax(1, 1, 4, 0, 0, 0));
    }

    @Test
    void cpuWh_nanosTimesWatts() {
        // one hour of a core at 15 W = 15 Wh; one millisecond = 15 / 3.6e6 Wh
        assertRel(15, EnergyModel.cpuWh(3_600_000_000_000L, 15));
        assertRel(15 / 3.6e6, EnergyModel.cpuWh(1_000_000L, 15));
        assertEquals(0, EnergyModel.cpuWh(0, 15));
    }

    @Test
    void cpuWh_negativeNanos_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnergyModel.cpuWh(-1, 15));
        assertEquals("cpuWh nanos must be an integer from 0 to 9223372036854775807 but was -1", e.getMessage());
    }

    @Test
    void request_fromUsage_cachedTokensAreReusedContext() {
        assertEquals(new Request(200, 800, 50, true), Request.fromUsage(1000, 800, 50));
        assertEquals(new Request(1000, 0, 50, false), Request.fromUsage(1000, 0, 50));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Request.fromUsage(10, 11, 5));
        assertEquals("Request.cachedTokens must be an integer from 0 to 10 but was 11", e.getMessage());
    }

    @Test
    void estimate_plus_addsEveryField() {
        Estimate a = toy.estimate(new Request(10, 0, 10, false));
        Estimate sum = Estimate.ZERO.plus(a).plus(a);
        assertRel(2 * a.wh(), sum.wh());
        assertRel(2 * a.whLow(), sum.whLow());
        assertRel(2 * a.moneyHigh(), sum.moneyHigh());
        assertRel(2 * a.decodeSeconds(), sum.decodeSeconds());
    }
}
