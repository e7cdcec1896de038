package dev.bound.models.energy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a served language model, as far as the energy of running it depends on it: how many
 * parameters each token passes through, how many bytes they take, and how big its KV cache grows.
 *
 * @param name a non-blank name, the key used in config and in {@link ProfileMatcher}
 * @param totalParams all parameters held in accelerator memory (1e6 to 1e14)
 * @param activeParams parameters each token passes through (all of them for a dense model; the
 *     shared layers plus {@code activeExperts} experts for a mixture of experts)
 * @param layers transformer blocks (1 to 1000)
 * @param hiddenSize width of the residual stream (1 to 1,000,000)
 * @param queryHeads attention query heads per layer (1 to 10,000)
 * @param kvHeads key/value heads per layer, at most {@code queryHeads} (fewer with grouped-query attention)
 * @param headDim width of one query/key head (1 to 4096)
 * @param kvLatentDim elements cached per token and layer when the model caches a compressed latent
 *     instead of keys and values (multi-head latent attention, DeepSeek-V3: 576); 0 otherwise
 * @param weightBytes bytes per parameter as served (2 for bf16, 1 for fp8, 0.5 for 4-bit)
 * @param kvBytes bytes per cached KV element (2 for bf16, 1 for fp8)
 * @param experts routed experts per MoE layer, 0 for a dense model
 * @param activeExperts routed experts each token uses, 0 for a dense model
 * @param source where the numbers come from
 * @param estimate true when the architecture is not published and the numbers are a guess
 */
public record ModelProfile(String name, long totalParams, long activeParams, int layers, int hiddenSize,
        int queryHeads, int kvHeads, int headDim, int kvLatentDim, double weightBytes, double kvBytes,
        int experts, int activeExperts, String source, boolean estimate) {

    static final long MIN_PARAMS = 1_000_000L;
    static final long MAX_PARAMS = 100_000_000_000_000L;
    static final int MAX_LAYERS = 1000;
    static final int MAX_HIDDEN = 1_000_000;
    static final int MAX_HEADS = 10_000;
    static final int MAX_HEAD_DIM = 4096;
    static final int MAX_LATENT = 65_536;
    static final double MIN_BYTES = 0.125;
    static final double MAX_BYTES = 8;
    static final int MAX_EXPERTS = 100_000;

    public ModelProfile {
        Check.text("ModelProfile.name", name);
        Check.integer("ModelProfile.totalParams", totalParams, MIN_PARAMS, MAX_PARAMS);
        Check.integer("ModelProfile.activeParams", activeParams, MIN_PARAMS, totalParams);
        Check.integer("ModelProfile.layers", layers, 1, MAX_LAYERS);
        Check.integer("ModelProfile.hiddenSize", hiddenSize, 1, MAX_HIDDEN);
        Check.integer("ModelProfile.queryHeads", queryHeads, 1, MAX_HEADS);
        Check.integer("ModelProfile.kvHeads", kvHeads, 1, queryHeads);
        Check.integer("ModelProfile.headDim", headDim, 1, MAX_HEAD_DIM);
        Check.integer("ModelProfile.kvLatentDim", kvLatentDim, 0, MAX_LATENT);
        Check.number("ModelProfile.weightBytes", weightBytes, MIN_BYTES, MAX_BYTES);
        Check.number("ModelProfile.kvBytes", kvBytes, MIN_BYTES, MAX_BYTES);
        Check.integer("ModelProfile.experts", experts, 0, MAX_EXPERTS);
        Check.integer("ModelProfile.activeExperts", activeExperts, experts == 0 ? 0 : 1, experts);
        if (source == null) {
            throw new IllegalArgumentException("ModelProfile.source must not be null");
        }
        if (experts > activeExperts) {
            // The routed experts' weights are what total and active differ by; the rest is shared.
            double perExpert = (double) (totalParams - activeParams) / (experts - activeExperts);
            if (activeExperts * perExpert > activeParams) {
                throw new IllegalArgumentException("ModelProfile.activeParams (" + activeParams
                        + ") is less than " + activeExperts + " of " + experts + " experts of "
                        + Check.show(perExpert) + " parameters each; check totalParams, activeParams,"
                        + " experts and activeExperts of '" + name + "'");
            }
        }
    }

    /** Bytes of KV cache one token adds, over all layers. */
    public double kvBytesPerToken() {
        double perLayer = kvLatentDim > 0 ? kvLatentDim : 2.0 * kvHeads * headDim;
        return layers * perLayer * kvBytes;
    }

    /** Bytes the weights take in accelerator memory. */
    public double weightBytesTotal() {
        return totalParams * weightBytes;
    }

    /** Whether tokens are routed to a subset of experts. */
    public boolean isMixtureOfExperts() {
        return experts > 0;
    }

    /**
     * Parameters read from memory by one forward step of {@code batch} sequences. For a mixture of
     * experts the batch touches the union of the experts its tokens are routed to, taken as the
     * expectation under uniform, independent routing: {@code E·(1-(1-k/E)^batch)} experts per layer.
     */
    double paramsReadPerStep(int batch) {
        if (experts == 0 || experts == activeExperts) {
            return experts == 0 ? activeParams : totalParams;
        }
        double perExpert = (double) (totalParams - activeParams) / (experts - activeExperts);
        double shared = activeParams - activeExperts * perExpert;
        double touched = experts * (1 - Math.pow(1 - (double) activeExperts / experts, batch));
        return shared + perExpert * touched;
    }

    /** The built-in profile of this name (case-insensitive). */
    public static ModelProfile builtin(String name) {
        ModelProfile p = name == null ? null : BUILTINS.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("unknown model profile '" + name + "'; built-in: "
                    + String.join(", ", BUILTINS.keySet()));
        }
        return p;
    }

    /** Every built-in profile, in a stable order. */
    public static List<ModelProfile> builtins() {
        return List.copyOf(BUILTINS.values());
    }

    private static final Set<String> KEYS = Set.of("like", "params", "active-params", "layers", "hidden",
            "heads", "kv-heads", "head-dim", "kv-latent", "weight-bytes", "kv-bytes", "experts",
            "active-experts", "source", "estimate");

    /**
     * A profile from config fields (the part after {@code energy.profile.<name>.}): {@code params},
     * {@code layers}, {@code hidden} and {@code heads} are required unless {@code like} names a
     * built-in profile to start from; the rest default as a dense bf16 model. Counts accept a suffix
     * K, M, B (billion) or T.
     *
     * @throws IllegalArgumentException naming the key, e.g. {@code energy.profile.mymodel.layers}
     */
    public static ModelProfile fromProperties(String name, Map<String, String> fields) {
        String prefix = "energy.profile." + name + ".";
        Check.text("energy.profile name", name);
        Check.Fields f = new Check.Fields(prefix, fields, KEYS);
        ModelProfile base = null;
        if (f.has("like")) {
            String like = f.text("like", null);
            base = BUILTINS.get(like.toLowerCase(Locale.ROOT));
            if (base == null) {
                throw new IllegalArgumentException(prefix + "like must name a built-in profile ("
                        + String.join(", ", BUILTINS.keySet()) + ") but was '" + like + "'");
            }
        } else {
            f.require("params", "total parameters, e.g. 8B");
            f.require("layers", "an integer from 1 to " + MAX_LAYERS);
            f.require("hidden", "an integer from 1 to " + MAX_HIDDEN);
            f.require("heads", "an integer from 1 to " + MAX_HEADS);
        }
        long total = (long) f.amount("params", MIN_PARAMS, MAX_PARAMS, base == null ? 0 : base.totalParams);
        long active = (long) f.amount("active-params", MIN_PARAMS, total,
                base == null || f.has("params") ? total : Math.min(base.activeParams, total));
        int layers = (int) f.integer("layers", 1, MAX_LAYERS, base == null ? 0 : base.layers);
        int hidden = (int) f.integer("hidden", 1, MAX_HIDDEN, base == null ? 0 : base.hiddenSize);
        int heads = (int) f.integer("heads", 1, MAX_HEADS, base == null ? 0 : base.queryHeads);
        int kvHeads = (int) f.integer("kv-heads", 1, heads, base == null ? heads : Math.min(base.kvHeads, heads));
        int headDim = (int) f.integer("head-dim", 1, MAX_HEAD_DIM,
                base == null || f.has("hidden") || f.has("heads") ? Math.max(1, hidden / heads) : base.headDim);
        int latent = (int) f.integer("kv-latent", 0, MAX_LATENT, base == null ? 0 : base.kvLatentDim);
        double wBytes = f.amount("weight-bytes", MIN_BYTES, MAX_BYTES, base == null ? 2 : base.weightBytes);
        double kvBytes = f.amount("kv-bytes", MIN_BYTES, MAX_BYTES, base == null ? 2 : base.kvBytes);
        int experts = (int) f.integer("experts", 0, MAX_EXPERTS, base == null ? 0 : base.experts);
        if (experts > 0 && (base == null || f.has("experts"))) {
            f.require("active-experts", "an integer from 1 to " + experts);
        }
        int activeExperts = (int) f.integer("active-experts", experts == 0 ? 0 : 1, experts,
                experts == 0 || base == null ? 0 : base.activeExperts);
        String source = f.text("source", base == null ? "config file" : "config file, like " + base.name);
        boolean estimate = f.bool("estimate", base != null && base.estimate);
        try {
            return new ModelProfile(name, total, active, layers, hidden, heads, kvHeads, headDim, latent,
                    wBytes, kvBytes, experts, activeExperts, source, estimate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
        }
    }

    // Figures from each model's published config.json on Hugging Face (hidden_size,
    // num_hidden_layers, num_attention_heads, num_key_value_heads, head_dim) and parameter counts
    // from the model cards or papers. ENERGY.md lists them with their sources.
    private static final Map<String, ModelProfile> BUILTINS = index(
            dense("llama-3.1-8b", 8_030_000_000L, 32, 4096, 32, 8, 128,
                    "meta-llama/Llama-3.1-8B config.json (Hugging Face, 2024); 8.03B parameters per model card", false),
            dense("llama-3.1-70b", 70_550_000_000L, 80, 8192, 64, 8, 128,
                    "meta-llama/Llama-3.1-70B config.json (Hugging Face, 2024); 70.55B parameters", false),
            dense("llama-3.1-405b", 405_850_000_000L, 126, 16384, 128, 8, 128,
                    "meta-llama/Llama-3.1-405B config.json; The Llama 3 Herd of Models (Meta, 2024); bf16 as"
                            + " served here (Meta also ships an fp8 version: set weight-bytes=1)", false),
            dense("qwen2.5-7b", 7_610_000_000L, 28, 3584, 28, 4, 128,
                    "Qwen/Qwen2.5-7B config.json (Hugging Face, 2024); 7.61B parameters per model card", false),
            dense("qwen2.5-72b", 72_700_000_000L, 80, 8192, 64, 8, 128,
                    "Qwen/Qwen2.5-72B config.json (Hugging Face, 2024); 72.7B parameters per model card", false),
            new ModelProfile("mixtral-8x7b", 46_700_000_000L, 12_900_000_000L, 32, 4096, 32, 8, 128, 0, 2, 2,
                    8, 2, "mistralai/Mixtral-8x7B-v0.1 config.json; Mixtral of Experts (Jiang et al., 2024):"
                            + " 46.7B total, 12.9B active, 8 experts, top-2", false),
            new ModelProfile("deepseek-v3", 671_000_000_000L, 37_000_000_000L, 61, 7168, 128, 128, 192, 576, 1, 2,
                    256, 8, "DeepSeek-V3 Technical Report (DeepSeek-AI, 2024) and config.json: 671B total,"
                            + " 37B active, 256 routed experts top-8 plus 1 shared, fp8 weights; multi-head"
                            + " latent attention caches a 512-wide latent plus a 64-wide RoPE key per layer"
                            + " (kv-latent 576); head-dim 192 is the query/key width (value width 128)", false),
            new ModelProfile("gpt-4o-class", 200_000_000_000L, 100_000_000_000L, 80, 10240, 80, 8, 128, 0, 2, 2,
                    8, 2, "ESTIMATE: architecture unpublished. ~200B total (third-party estimate listed in"
                            + " Ben Abacha et al., MEDEC, Microsoft 2024) and ~100B active (the assumption"
                            + " of Epoch AI, 2025); layer shape and 8-expert top-2 routing are placeholders", true),
            dense("gpt-4o-mini-class", 8_000_000_000L, 32, 4096, 32, 8, 128,
                    "ESTIMATE: architecture unpublished. ~8B (third-party estimate listed in Ben Abacha"
                            + " et al., MEDEC, Microsoft 2024), shaped like Llama 3.1 8B", true),
            dense("claude-sonnet-class", 175_000_000_000L, 96, 12288, 96, 8, 128,
                    "ESTIMATE: architecture unpublished. ~175B (third-party estimate for Claude 3.5 Sonnet"
                            + " listed in Ben Abacha et al., MEDEC, Microsoft 2024); taken as dense, which"
                            + " errs high if it is a mixture of experts", true),
            new ModelProfile("gemini-flash-class", 100_000_000_000L, 15_000_000_000L, 40, 5120, 40, 8, 128, 0, 2,
                    2, 64, 8, "ESTIMATE: architecture unpublished (Gemini 2.x models are sparse MoE per"
                            + " Google's Gemini 2.5 report). 100B total, 15B active is a guess from its price"
                            + " tier, next to gpt-4o-mini; shape is a placeholder", true),
            dense("dense-1t", 1_000_000_000_000L, 140, 24576, 192, 16, 128,
                    "HYPOTHETICAL: a dense 1-trillion-parameter transformer (12·layers·hidden² ≈ 1e12),"
                            + " bf16, grouped-query attention with 16 KV heads", false),
            dense("simulated", 8_030_000_000L, 32, 4096, 32, 8, 128,
                    "Bound's simulated demo upstream, costed as if it were Llama 3.1 8B (same figures)", false),
            // An encoder reads its input once and generates nothing, so only prefill is ever charged.
            dense("embedding-small", 110_000_000L, 12, 768, 12, 12, 64,
                    "An encoder of BERT-base shape (Devlin et al., 2019: 110M parameters, 12 layers,"
                            + " hidden 768, 12 heads of 64), which BAAI/bge-base-en-v1.5 and"
                            + " nomic-embed-text-v1 share per their config.json; stands in for every"
                            + " embedding model, including OpenAI's unpublished text-embedding-*", false));

    private static ModelProfile dense(String name, long params, int layers, int hidden, int heads, int kvHeads,
            int headDim, String source, boolean estimate) {
        return new ModelProfile(name, params, params, layers, hidden, heads, kvHeads, headDim, 0, 2, 2, 0, 0,
                source, estimate);
    }

    private static Map<String, ModelProfile> index(ModelProfile... profiles) {
        Map<String, ModelProfile> m = new LinkedHashMap<>();
        for (ModelProfile p : profiles) {
            m.put(p.name(), p);
        }
        return Collections.unmodifiableMap(m);
    }
}
