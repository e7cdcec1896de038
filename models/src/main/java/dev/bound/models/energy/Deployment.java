package dev.bound.models.energy;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a model is served and where its electricity comes from. The utilisations, the power fraction
 * and the batch are the uncertain assumptions that {@link EnergyModel} moves to draw its band.
 *
 * @param accelerator the accelerator type of one replica
 * @param acceleratorsPerReplica accelerators holding one copy of the model (1 to 4096), or 0 to
 *     choose per model: the fewest whose memory holds the weights plus {@value #WEIGHT_HEADROOM_PERCENT} %
 * @param batch sequences decoded together, sharing each read of the weights (1 to 4096)
 * @param prefillUtilisation fraction of peak FLOP/s achieved on prompt processing (0.01 to 1)
 * @param decodeUtilisation fraction of peak memory bandwidth achieved while decoding (0.01 to 1)
 * @param powerFraction fraction of board power drawn under load (0.05 to 1)
 * @param pue facility power usage effectiveness (1 to 3)
 * @param gridIntensity grid carbon intensity in gCO2e per kWh (0 to 2000)
 * @param pricePerKwh electricity price per kWh in {@code currency} (0 to 100)
 * @param currency the currency of {@code pricePerKwh}, e.g. USD
 */
public record Deployment(Accelerator accelerator, int acceleratorsPerReplica, int batch,
        double prefillUtilisation, double decodeUtilisation, double powerFraction, double pue,
        double gridIntensity, double pricePerKwh, String currency) {

    /** Memory above the weights kept for KV cache and activations when choosing the accelerator count. */
    public static final int WEIGHT_HEADROOM_PERCENT = 20;

    /** Uptime Institute Global Data Center Survey 2024: average annual PUE 1.56. */
    public static final double DEFAULT_PUE = 1.56;

    /** IEA Electricity 2025: world electricity generation emitted about 445 gCO2 per kWh in 2024. */
    public static final double DEFAULT_GRID_INTENSITY = 445;

    /** USD 0.10 per kWh, a round figure between US industrial and commercial average tariffs. */
    public static final double DEFAULT_PRICE_PER_KWH = 0.10;

    /**
     * H100 SXM, accelerators chosen per model, batch 32, 40 % of peak FLOP/s on prefill, 60 % of peak
     * bandwidth on decode, 70 % of board power, and the PUE, grid and price defaults above.
     */
    public static final Deployment DEFAULT = new Deployment(Accelerator.builtin("h100-sxm"), 0, 32, 0.4, 0.6,
            0.7, DEFAULT_PUE, DEFAULT_GRID_INTENSITY, DEFAULT_PRICE_PER_KWH, "USD");

    public Deployment {
        Objects.requireNonNull(accelerator, "Deployment.accelerator");
        Check.integer("Deployment.acceleratorsPerReplica", acceleratorsPerReplica, 0, 4096);
        Check.integer("Deployment.batch", batch, 1, 4096);
        Check.number("Deployment.prefillUtilisation", prefillUtilisation, 0.01, 1);
        Check.number("Deployment.decodeUtilisation", decodeUtilisation, 0.01, 1);
        Check.number("Deployment.powerFraction", powerFraction, 0.05, 1);
        Check.number("Deployment.pue", pue, 1, 3);
        Check.number("Deployment.gridIntensity", gridIntensity, 0, 2000);
        Check.number("Deployment.pricePerKwh", pricePerKwh, 0, 100);
        Check.text("Deployment.currency", currency);
    }

    /** Accelerators per replica for this model: as configured, or the fewest that hold its weights plus headroom. */
    public int acceleratorsFor(ModelProfile profile) {
        if (acceleratorsPerReplica > 0) {
            return acceleratorsPerReplica;
        }
        double needed = profile.weightBytesTotal() * (1 + WEIGHT_HEADROOM_PERCENT / 100.0);
        return (int) Math.max(1, Math.ceil(needed / accelerator.memoryBytes()));
    }

    /** This deployment with another batch size. */
    public Deployment withBatch(int newBatch) {
        return new Deployment(accelerator, acceleratorsPerReplica, newBatch, prefillUtilisation,
                decodeUtilisation, powerFraction, pue, gridIntensity, pricePerKwh, currency);
    }

    /** This deployment with another PUE. */
    public Deployment withPue(double newPue) {
        return new Deployment(accelerator, acceleratorsPerReplica, batch, prefillUtilisation, decodeUtilisation,
                powerFraction, newPue, gridIntensity, pricePerKwh, currency);
    }

    private static final Set<String> KEYS = Set.of("accelerator", "accelerators", "batch", "prefill-utilisation",
            "decode-utilisation", "power-fraction", "pue", "grid-intensity", "price-per-kwh", "currency");

    /**
     * {@link #DEFAULT} with the config fields given (the part after {@code energy.deployment.}):
     * {@code accelerator} (a built-in or one of {@code accelerators}), {@code accelerators} (0 for
     * automatic), {@code batch}, {@code prefill-utilisation}, {@code decode-utilisation},
     * {@code power-fraction}, {@code pue}, {@code grid-intensity}, {@code price-per-kwh}, {@code currency}.
     *
     * @param accelerators user-defined accelerators by name, looked up before the built-ins
     * @throws IllegalArgumentException naming the key
     */
    public static Deployment fromProperties(Map<String, String> fields, Map<String, Accelerator> accelerators) {
        String prefix = "energy.deployment.";
        Check.Fields f = new Check.Fields(prefix, fields, KEYS);
        Deployment d = DEFAULT;
        Accelerator acc = d.accelerator;
        if (f.has("accelerator")) {
            String name = f.text("accelerator", null);
            acc = accelerators.get(name);
            if (acc == null) {
                try {
                    acc = Accelerator.builtin(name.toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(prefix + "accelerator must name a built-in or configured"
                            + " accelerator but was '" + name + "'; " + e.getMessage(), e);
                }
            }
        }
        return new Deployment(acc,
                (int) f.integer("accelerators", 0, 4096, d.acceleratorsPerReplica),
                (int) f.integer("batch", 1, 4096, d.batch),
                f.amount("prefill-utilisation", 0.01, 1, d.prefillUtilisation),
                f.amount("decode-utilisation", 0.01, 1, d.decodeUtilisation),
                f.amount("power-fraction", 0.05, 1, d.powerFraction),
                f.amount("pue", 1, 3, d.pue),
                f.amount("grid-intensity", 0, 2000, d.gridIntensity),
                f.amount("price-per-kwh", 0, 100, d.pricePerKwh),
                f.text("currency", d.currency));
    }
}
