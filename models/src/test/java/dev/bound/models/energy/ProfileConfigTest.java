package dev.bound.models.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Built-in profiles, accelerators and deployments, and their parsing from config fields. */
class ProfileConfigTest {

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void builtins_namesUniqueAndClosedModelsMarkedAsEstimates() {
        Set<String> names = new HashSet<>();
        for (ModelProfile p : ModelProfile.builtins()) {
            assertTrue(names.add(p.name()), p.name());
            assertFalse(p.source().isBlank(), p.name());
            assertEquals(p.name().endsWith("-class"), p.estimate(), p.name());
        }
        assertTrue(names.containsAll(List.of("llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "qwen2.5-7b",
                "qwen2.5-72b", "mixtral-8x7b", "deepseek-v3", "gpt-4o-class", "gpt-4o-mini-class",
                "claude-sonnet-class", "gemini-flash-class", "dense-1t", "simulated", "embedding-small")),
                names.toString());
    }

    @Test
    void kvBytesPerToken_fromPublishedConfigs() {
        // Llama 3.1 8B: 2 (K and V) × 32 layers × 8 KV heads × 128 × 2 bytes
        assertEquals(131_072, ModelProfile.builtin("llama-3.1-8b").kvBytesPerToken());
        // Llama 3.1 70B: 2 × 80 × 8 × 128 × 2
        assertEquals(327_680, ModelProfile.builtin("llama-3.1-70b").kvBytesPerToken());
        // DeepSeek-V3 caches a 512 latent + 64 RoPE key per layer: 61 × 576 × 2 bytes
        assertEquals(70_272, ModelProfile.builtin("deepseek-v3").kvBytesPerToken());
    }

    @Test
    void builtin_unknownName_listsKnown() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelProfile.builtin("gpt-7"));
        assertTrue(e.getMessage().startsWith("unknown model profile 'gpt-7'; built-in: llama-3.1-8b, "),
                e.getMessage());
    }

    @Test
    void constructor_badValues_messageNamesFieldAndRange() {
        assertMessage("ModelProfile.layers must be an integer from 1 to 1000 but was 0",
                () -> new ModelProfile("m", 8_000_000_000L, 8_000_000_000L, 0, 4096, 32, 8, 128, 0, 2, 2, 0, 0, "",
                        false));
        assertMessage("ModelProfile.kvHeads must be an integer from 1 to 32 but was 64",
                () -> new ModelProfile("m", 8_000_000_000L, 8_000_000_000L, 32, 4096, 32, 64, 128, 0, 2, 2, 0, 0,
                        "", false));
        assertMessage("ModelProfile.weightBytes must be a number from 0.125 to 8 but was 0",
                () -> new ModelProfile("m", 8_000_000_000L, 8_000_000_000L, 32, 4096, 32, 8, 128, 0, 0, 2, 0, 0, "",
                        false));
        assertMessage("ModelProfile.activeParams must be an integer from 1000000 to 8000000000 but was 9000000000",
                () -> new ModelProfile("m", 8_000_000_000L, 9_000_000_000L, 32, 4096, 32, 8, 128, 0, 2, 2, 0, 0, "",
                        false));
        assertMessage("ModelProfile.activeExperts must be an integer from 0 to 0 but was 2",
                () -> new ModelProfile("m", 8_000_000_000L, 8_000_000_000L, 32, 4096, 32, 8, 128, 0, 2, 2, 0, 2, "",
                        false));
        assertMessage("ModelProfile.name must not be blank",
                () -> new ModelProfile(" ", 8_000_000_000L, 8_000_000_000L, 32, 4096, 32, 8, 128, 0, 2, 2, 0, 0, "",
                        false));
    }

    @Test
    void constructor_moeActiveTooSmallForItsExperts_rejected() {
        // 8 experts, top-2, 46.7B total: each expert (46.7 - 5) / 6 ≈ 6.95B, two of them exceed 5B active
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelProfile("m", 46_700_000_000L, 5_000_000_000L, 32, 4096, 32, 8, 128, 0, 2, 2, 8, 2, "",
                        false));
        assertTrue(e.getMessage().startsWith("ModelProfile.activeParams (5000000000) is less than 2 of 8 experts"),
                e.getMessage());
    }

    @Test
    void fromProperties_denseModel_defaultsDerived() {
        ModelProfile p = ModelProfile.fromProperties("mymodel",
                Map.of("params", "8B", "layers", "32", "hidden", "4096", "heads", "32", "kv-heads", "8"));
        assertEquals(new ModelProfile("mymodel", 8_000_000_000L, 8_000_000_000L, 32, 4096, 32, 8, 128, 0, 2, 2, 0,
                0, "config file", false), p);
    }

    @Test
    void fromProperties_like_overridesOneField() {
        ModelProfile p = ModelProfile.fromProperties("llama-fp8", Map.of("like", "llama-3.1-70b",
                "weight-bytes", "1"));
        ModelProfile base = ModelProfile.builtin("llama-3.1-70b");
        assertEquals(1, p.weightBytes());
        assertEquals(base.layers(), p.layers());
        assertEquals(base.totalParams(), p.totalParams());
        assertEquals(base.kvBytesPerToken(), p.kvBytesPerToken());
        assertEquals("config file, like llama-3.1-70b", p.source());
    }

    @Test
    void fromProperties_mixtureOfExperts() {
        ModelProfile p = ModelProfile.fromProperties("moe", Map.of("params", "46.7B", "active-params", "12.9B",
                "layers", "32", "hidden", "4096", "heads", "32", "kv-heads", "8", "experts", "8",
                "active-experts", "2", "estimate", "true"));
        assertEquals(12_900_000_000L, p.activeParams());
        assertEquals(2, p.activeExperts());
        assertTrue(p.estimate());
    }

    @Test
    void fromProperties_badValue_messageNamesKey() {
        assertMessage("energy.profile.mymodel.layers must be an integer from 1 to 1000 but was 'x'",
                () -> ModelProfile.fromProperties("mymodel",
                        Map.of("params", "8B", "layers", "x", "hidden", "4096", "heads", "32")));
        assertMessage("energy.profile.mymodel.params must be a number from 1e6 to 1e14 but was 'lots'",
                () -> ModelProfile.fromProperties("mymodel",
                        Map.of("params", "lots", "layers", "32", "hidden", "4096", "heads", "32")));
        assertMessage("energy.profile.mymodel.kv-heads must be an integer from 1 to 32 but was '40'",
                () -> ModelProfile.fromProperties("mymodel",
                        Map.of("params", "8B", "layers", "32", "hidden", "4096", "heads", "32", "kv-heads", "40")));
        assertMessage("energy.profile.mymodel.weight-bytes must be a number from 0.125 to 8 but was '16'",
                () -> ModelProfile.fromProperties("mymodel", Map.of("like", "llama-3.1-8b", "weight-bytes", "16")));
    }

    @Test
    void fromProperties_missingOrUnknownKey_messageNamesKey() {
        assertMessage("energy.profile.m.params is required (total parameters, e.g. 8B)",
                () -> ModelProfile.fromProperties("m", Map.of("layers", "32", "hidden", "4096", "heads", "32")));
        assertMessage("energy.profile.m.layer is not a known key; known: active-experts, active-params, estimate,"
                + " experts, head-dim, heads, hidden, kv-bytes, kv-heads, kv-latent, layers, like, params, source,"
                + " weight-bytes", () -> ModelProfile.fromProperties("m", Map.of("layer", "32")));
        assertMessage("energy.profile.m.active-experts is required (an integer from 1 to 8)",
                () -> ModelProfile.fromProperties("m", Map.of("params", "46.7B", "active-params", "12.9B",
                        "layers", "32", "hidden", "4096", "heads", "32", "experts", "8")));
        assertMessage("energy.profile.m.like must name a built-in profile (llama-3.1-8b, llama-3.1-70b,"
                + " llama-3.1-405b, qwen2.5-7b, qwen2.5-72b, mixtral-8x7b, deepseek-v3, gpt-4o-class,"
                + " gpt-4o-mini-class, claude-sonnet-class, gemini-flash-class, dense-1t, simulated,"
                + " embedding-small) but was 'gpt-9'",
                () -> ModelProfile.fromProperties("m", Map.of("like", "gpt-9")));
    }

    @Test
    void accelerator_builtinsFromDatasheets() {
        Accelerator h100 = Accelerator.builtin("h100-sxm");
        assertEquals(989e12, h100.peakFlops());
        assertEquals(3.35e12, h100.bandwidth());
        assertEquals(700, h100.watts());
        assertEquals(80_000_000_000L, h100.memoryBytes());
        assertEquals(List.of("h100-sxm", "h200", "a100-sxm-80gb", "l4", "b200"),
                Accelerator.builtins().stream().map(Accelerator::name).toList());
    }

    @Test
    void accelerator_fromProperties() {
        Accelerator a = Accelerator.fromProperties("mi300x",
                Map.of("flops", "1307T", "bandwidth", "5.3T", "watts", "750", "memory", "192G"));
        assertEquals(new Accelerator("mi300x", 1307e12, 5.3e12, 750, 192_000_000_000L, "config file"), a);
        assertEquals(400, Accelerator.fromProperties("capped", Map.of("like", "h100-sxm", "watts", "400")).watts());
        assertMessage("energy.accelerator.x.watts must be a number from 1 to 10000 but was '0'",
                () -> Accelerator.fromProperties("x", Map.of("like", "l4", "watts", "0")));
        assertMessage("Accelerator.bandwidth must be a number from 1e9 to 1e15 but was 1000",
                () -> new Accelerator("x", 1e12, 1e3, 100, 1_000_000_000L, ""));
    }

    @Test
    void deployment_default() {
        Deployment d = Deployment.DEFAULT;
        assertEquals("h100-sxm", d.accelerator().name());
        assertEquals(0, d.acceleratorsPerReplica());
        assertEquals(32, d.batch());
        assertEquals(1.56, d.pue());
        assertEquals(445, d.gridIntensity());
        assertEquals(0.10, d.pricePerKwh());
        assertEquals("USD", d.currency());
    }

    @Test
    void deployment_fromProperties_overridesAndUserAccelerator() {
        Accelerator mine = Accelerator.fromProperties("mine", Map.of("like", "h200", "watts", "600"));
        Deployment d = Deployment.fromProperties(Map.of("accelerator", "mine", "accelerators", "8", "batch", "64",
                "pue", "1.1", "grid-intensity", "50", "price-per-kwh", "0.25", "currency", "EUR"),
                Map.of("mine", mine));
        assertEquals(mine, d.accelerator());
        assertEquals(8, d.acceleratorsFor(ModelProfile.builtin("llama-3.1-8b")));
        assertEquals(64, d.batch());
        assertEquals(1.1, d.pue());
        assertEquals("EUR", d.currency());
        assertEquals(Accelerator.builtin("b200"),
                Deployment.fromProperties(Map.of("accelerator", "B200"), Map.of()).accelerator());
        assertEquals(Deployment.DEFAULT, Deployment.fromProperties(Map.of(), Map.of()));
    }

    @Test
    void deployment_badValues_messageNamesKey() {
        assertMessage("energy.deployment.batch must be an integer from 1 to 4096 but was '0'",
                () -> Deployment.fromProperties(Map.of("batch", "0"), Map.of()));
        assertMessage("energy.deployment.pue must be a number from 1 to 3 but was '0.9'",
                () -> Deployment.fromProperties(Map.of("pue", "0.9"), Map.of()));
        assertMessage("Deployment.decodeUtilisation must be a number from 0.01 to 1 but was 1.5",
                () -> new Deployment(Accelerator.builtin("l4"), 1, 1, 0.4, 1.5, 0.7, 1.2, 400, 0.1, "USD"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Deployment.fromProperties(Map.of("accelerator", "tpu-v9"), Map.of()));
        assertTrue(e.getMessage().startsWith("energy.deployment.accelerator must name a built-in or configured"
                + " accelerator but was 'tpu-v9'"), e.getMessage());
    }

    @Test
    void deployment_acceleratorsFor_h200HoldsMore() {
        Deployment h200 = Deployment.fromProperties(Map.of("accelerator", "h200"), Map.of());
        // 141.1 GB of weights + 32 × 8,192 × 327,680 B = 227 GB ≤ 2 × 141 GB × 0.9 = 253.8 GB
        assertEquals(2, h200.acceleratorsFor(ModelProfile.builtin("llama-3.1-70b")));
        // 811.7 GB + 135.4 GB = 947 GB → 13.2 × 72 GB → 16 (a power of two)
        assertEquals(16, Deployment.DEFAULT.acceleratorsFor(ModelProfile.builtin("llama-3.1-405b")));
    }

    @Test
    void deployment_fromProperties_powerAndHostOverhead() {
        assertEquals(Deployment.MEASURED_POWER, Deployment.fromProperties(Map.of(), Map.of()).powerFraction());
        assertEquals(0.7, Deployment.fromProperties(Map.of("power-fraction", "0.7"), Map.of()).powerFraction());
        assertEquals(1.0, Deployment.fromProperties(Map.of("host-overhead", "1"), Map.of()).hostOverhead());
        assertEquals(Deployment.DEFAULT_HOST_OVERHEAD, Deployment.DEFAULT.hostOverhead());
        assertMessage("energy.deployment.power-fraction must be 0 (the measured curve) or a number from 0.05 to 1"
                + " but was '0.01'", () -> Deployment.fromProperties(Map.of("power-fraction", "0.01"), Map.of()));
        assertMessage("energy.deployment.host-overhead must be a number from 1 to 3 but was '0.5'",
                () -> Deployment.fromProperties(Map.of("host-overhead", "0.5"), Map.of()));
        // the ten-argument constructor keeps its old boundary: accelerators and PUE only
        assertEquals(1.0, new Deployment(Accelerator.builtin("l4"), 1, 1, 0.4, 0.6, 0.7, 1.2, 400, 0.1, "USD")
                .hostOverhead());
    }
}
