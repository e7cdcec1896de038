package dev.bound.models.energy;

/**
 * What fits in a replica's accelerator memory: the weights, and beside them the KV cache of the
 * sequences in flight. It sizes replicas and caps the batch (ENERGY.md, "Memory").
 */
final class Memory {

    /** Share of accelerator memory a server gives to weights and KV cache (vLLM's default 0.9). */
    static final double USABLE = 0.9;
    /** A replica chosen automatically holds its batch at this many tokens each beside the weights. */
    static final int DESIGN_CONTEXT_TOKENS = 8192;
    /** Replicas come in powers of two accelerators, as tensor parallelism needs. */
    static final int MAX_ACCELERATORS = 4096;

    private Memory() {}

    /** Bytes a replica of {@code n} accelerators can give to weights and KV cache. */
    static double usableBytes(Accelerator a, int n) {
        return (double) n * a.memoryBytes() * USABLE;
    }

    /** Bytes left for KV cache once the weights are loaded (negative if they do not fit). */
    static double kvBudget(ModelProfile p, Accelerator a, int n) {
        return usableBytes(a, n) - p.weightBytesTotal();
    }

    /**
     * The fewest accelerators, a power of two, whose usable memory holds the weights plus
     * {@code sequences} sequences of {@code tokens} tokens of KV cache each.
     */
    static int replica(ModelProfile p, Accelerator a, int sequences, double tokens) {
        double need = p.weightBytesTotal() + sequences * tokens * p.kvBytesPerToken();
        int n = 1;
        while (n < MAX_ACCELERATORS && usableBytes(a, n) < need) {
            n *= 2;
        }
        return n;
    }

    /** How many sequences of {@code tokens} tokens of KV cache fit beside the weights (at least 1). */
    static int batchCap(ModelProfile p, Accelerator a, int n, double tokens) {
        double perSequence = tokens * p.kvBytesPerToken();
        if (perSequence <= 0) {
            return Integer.MAX_VALUE;
        }
        double fit = Math.floor(kvBudget(p, a, n) / perSequence);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, fit));
    }

    /** The longest context one sequence can hold on its own on {@code n} accelerators. */
    static long maxContext(ModelProfile p, Accelerator a, int n) {
        return (long) Math.max(0, Math.floor(kvBudget(p, a, n) / p.kvBytesPerToken()));
    }
}
