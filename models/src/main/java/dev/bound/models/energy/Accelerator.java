package dev.bound.models.energy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One accelerator (GPU) as its vendor's datasheet describes it.
 *
 * @param name a non-blank name, the key used in config
 * @param peakFlops dense bf16 FLOP/s without structured sparsity (1e9 to 1e18)
 * @param bandwidth memory bandwidth in bytes/s (1e9 to 1e15)
 * @param watts board power (TDP) in watts (1 to 10,000)
 * @param memoryBytes accelerator memory in bytes (1e8 to 1e13)
 * @param source where the numbers come from
 */
public record Accelerator(String name, double peakFlops, double bandwidth, double watts, long memoryBytes,
        String source) {

    public Accelerator {
        Check.text("Accelerator.name", name);
        Check.number("Accelerator.peakFlops", peakFlops, 1e9, 1e18);
        Check.number("Accelerator.bandwidth", bandwidth, 1e9, 1e15);
        Check.number("Accelerator.watts", watts, 1, 10_000);
        Check.integer("Accelerator.memoryBytes", memoryBytes, 100_000_000L, 10_000_000_000_000L);
        if (source == null) {
            throw new IllegalArgumentException("Accelerator.source must not be null");
        }
    }

    /** The built-in accelerator of this name (case-insensitive). */
    public static Accelerator builtin(String name) {
        Accelerator a = name == null ? null : BUILTINS.get(name.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown accelerator '" + name + "'; built-in: "
                    + String.join(", ", BUILTINS.keySet()));
        }
        return a;
    }

    /** Every built-in accelerator, in a stable order. */
    public static List<Accelerator> builtins() {
        return List.copyOf(BUILTINS.values());
    }

    private static final Set<String> KEYS = Set.of("like", "flops", "bandwidth", "watts", "memory", "source");

    /**
     * An accelerator from config fields (the part after {@code energy.accelerator.<name>.}):
     * {@code flops}, {@code bandwidth}, {@code watts} and {@code memory}, all required unless
     * {@code like} names a built-in to start from; amounts accept a suffix K, M, G, T, P.
     *
     * @throws IllegalArgumentException naming the key
     */
    public static Accelerator fromProperties(String name, Map<String, String> fields) {
        Check.text("energy.accelerator name", name);
        String prefix = "energy.accelerator." + name + ".";
        Check.Fields f = new Check.Fields(prefix, fields, KEYS);
        Accelerator base = null;
        if (f.has("like")) {
            String like = f.text("like", null);
            base = BUILTINS.get(like.toLowerCase(Locale.ROOT));
            if (base == null) {
                throw new IllegalArgumentException(prefix + "like must name a built-in accelerator ("
                        + String.join(", ", BUILTINS.keySet()) + ") but was '" + like + "'");
            }
        } else {
            f.require("flops", "dense bf16 FLOP/s, e.g. 989T");
            f.require("bandwidth", "memory bandwidth in bytes/s, e.g. 3.35T");
            f.require("watts", "board power in watts, e.g. 700");
            f.require("memory", "memory in bytes, e.g. 80G");
        }
        return new Accelerator(name,
                f.amount("flops", 1e9, 1e18, base == null ? 0 : base.peakFlops),
                f.amount("bandwidth", 1e9, 1e15, base == null ? 0 : base.bandwidth),
                f.amount("watts", 1, 10_000, base == null ? 0 : base.watts),
                (long) f.amount("memory", 1e8, 1e13, base == null ? 0 : base.memoryBytes),
                f.text("source", base == null ? "config file" : "config file, like " + base.name));
    }

    // Vendor datasheet figures; bf16 dense is half the "with sparsity" figure NVIDIA headlines.
    private static final Map<String, Accelerator> BUILTINS = index(
            new Accelerator("h100-sxm", 989e12, 3.35e12, 700, 80_000_000_000L,
                    "NVIDIA H100 Tensor Core GPU datasheet (SXM5): 989 TFLOP/s bf16 dense (1,979 with"
                            + " sparsity), 3.35 TB/s HBM3, up to 700 W, 80 GB"),
            new Accelerator("h200", 989e12, 4.8e12, 700, 141_000_000_000L,
                    "NVIDIA H200 Tensor Core GPU datasheet (SXM): 989 TFLOP/s bf16 dense, 4.8 TB/s HBM3e,"
                            + " up to 700 W, 141 GB"),
            new Accelerator("a100-sxm-80gb", 312e12, 2.039e12, 400, 80_000_000_000L,
                    "NVIDIA A100 Tensor Core GPU datasheet (SXM 80GB): 312 TFLOP/s bf16 dense, 2,039 GB/s"
                            + " HBM2e, 400 W, 80 GB"),
            new Accelerator("l4", 121e12, 300e9, 72, 24_000_000_000L,
                    "NVIDIA L4 datasheet: 242 TFLOP/s bf16 with sparsity (121 dense), 300 GB/s GDDR6, 72 W,"
                            + " 24 GB"),
            new Accelerator("b200", 2.25e15, 8e12, 1000, 180_000_000_000L,
                    "NVIDIA HGX B200 datasheet, per GPU: 2.25 PFLOP/s bf16 dense (4.5 with sparsity),"
                            + " 8 TB/s HBM3e, 1,000 W, 180 GB"));

    private static Map<String, Accelerator> index(Accelerator... accelerators) {
        Map<String, Accelerator> m = new LinkedHashMap<>();
        for (Accelerator a : accelerators) {
            m.put(a.name(), a);
        }
        return Collections.unmodifiableMap(m);
    }
}
