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
 *     choose per model: the fewest, a power of two, whose usable memory holds the weights and the
 *     batch at {@value Memory#DESIGN_CONTEXT_TOKENS} tokens each, doubled while one sequence of a
 *     request does not fit
 * @param batch sequences decoded together, sharing each read of the weights (1 to 4096); fewer
 *     when their KV cache does not fit beside the weights
 * @param prefillUtilisation fraction of peak FLOP/s achieved on prompt processing (0.01 to 1)
 * @param decodeUtilisation fraction of peak memory bandwidth achieved while decoding (0.01 to 1)
 * @param powerFraction fraction of board power drawn under load (0.05 to 1), or 0 for the curve
 *     of power against batch fitted to ML.ENERGY's measurements
 * @param pue facility power usage effectiveness (1 to 3)
 * @param hostOverhead energy of the host CPUs and DRAM and of idle reserve machines, as a multiple
 *     of the accelerators' energy (1 to 3; 1 counts the accelerators alone)
 * @param gridIntensity grid carbon intensity in gCO2e per kWh (0 to 2000)
 * @param pricePerKwh electricity price per kWh in {@code currency} (0 to 100)
 * @param currency the currency of {@code pricePerKwh}, e.g. USD
 */
public record Deployment(Accelerator accelerator, int acceleratorsPerReplica, int batch,
        double prefillUtilisation, double decodeUtilisation, double powerFraction, double pue,
        double hostOverhead, double gridIntensity, double pricePerKwh, String currency) {

    /** {@code powerFraction} of 0: the fraction follows the batch (ML.ENERGY's measured curve). */
    public static final double MEASURED_POWER = 0;

    /**
     * Google (arXiv 2508.15734, 2025): of the median Gemini prompt's energy, active accelerators
     * took 58 %, host CPU and DRAM 25 % and idle reserve machines 10 %, so (58+25+10)/58 ≈ 1.6.
     */
    public static final double DEFAULT_HOST_OVERHEAD = 1.6;

    /** Uptime Institute Global Data Center Survey 2024: average annual PUE 1.56. */
    public static final double DEFAULT_PUE = 1.56;

    /** IEA Electricity 2025: world electricity generation emitted about 445 gCO2 per kWh in 2024. */
    public static final double DEFAULT_GRID_INTENSITY = 445;

    /** USD 0.10 per kWh, a round figure between US industrial and commercial average tariffs. */
    public static final double DEFAULT_PRICE_PER_KWH = 0.10;

    /**
     * H100 SXM, accelerators chosen per model, batch 32, 40 % of peak FLOP/s on prefill, 60 % of peak
     * bandwidth on decode, power from the measured curve, host overhead 1.6, and the PUE, grid and
     * price defaults above.
     */
    public static final Deployment DEFAULT = new Deployment(Accelerator.builtin("h100-sxm"), 0, 32, 0.4, 0.6,
            MEASURED_POWER, DEFAULT_PUE, DEFAULT_HOST_OVERHEAD, DEFAULT_GRID_INTENSITY, DEFAULT_PRICE_PER_KWH,
            "USD");

    public Deployment {
        Objects.requireNonNull(accelerator, "Deployment.accelerator");
        Check.integer("Deployment.acceleratorsPerReplica", acceleratorsPerReplica, 0, 4096);
        Check.integer("Deployment.batch", batch, 1, 4096);
        Check.number("Deployment.prefillUtilisation", prefillUtilisation, 0.01, 1);
        Check.number("Deployment.decodeUtilisation", decodeUtilisation, 0.01, 1);
        if (powerFraction != MEASURED_POWER) {
            Check.number("Deployment.powerFraction", powerFraction, 0.05, 1);
        }
        Check.number("Deployment.pue", pue, 1, 3);
        Check.number("Deployment.hostOverhead", hostOverhead, 1, 3);
        Check.number("Deployment.gridIntensity", gridIntensity, 0, 2000);
        Check.number("Deployment.pricePerKwh", pricePerKwh, 0, 100);
        Check.text("Deployment.currency", currency);
    }

    /**
     * The deployment before the host overhead was a setting: accelerators and PUE only
     * ({@code hostOverhead} 1).
     */
    public Deployment(Accelerator accelerator, int acceleratorsPerReplica, int batch, double prefillUtilisation,
            double decodeUtilisation, double powerFraction, double pue, double gridIntensity, double pricePerKwh,
            String currency) {
        this(accelerator, acceleratorsPerReplica, batch, prefillUtilisation, decodeUtilisation, powerFraction, pue,
                1, gridIntensity, pricePerKwh, currency);
    }

    /**
     * Accelerators per replica for this model: as configured, or the fewest, a power of two, whose
     * usable memory ({@value Memory#USABLE} of it) holds the weights and the batch at
     * {@value Memory#DESIGN_CONTEXT_TOKENS} tokens of KV cache each.
     */
    public int acceleratorsFor(ModelProfile profile) {
        if (acceleratorsPerReplica > 0) {
            return acceleratorsPerReplica;
        }
        return Memory.replica(profile, accelerator, batch, Memory.DESIGN_CONTEXT_TOKENS);
    }

    /** This deployment with another batch size. */
    public Deployment withBatch(int newBatch) {
        return new Deployment(accelerator, acceleratorsPerReplica, newBatch, prefillUtilisation,
                decodeUtilisation, powerFraction, pue, hostOverhead, gridIntensity, pricePerKwh, currency);
    }

    /** This deployment with another PUE. */
    public Deployment withPue(double newPue) {
        return new Deployment(accelerator, acceleratorsPerReplica, batch, prefillUtilisation, decodeUtilisation,
                powerFraction, newPue, hostOverhead, gridIntensity, pricePerKwh, currency);
    }

    /** This deployment with another host overhead (1 counts the accelerators alone). */
    public Deployment withHostOverhead(double newHostOverhead) {
        return new Deployment(accelerator, acceleratorsPerReplica, batch, prefillUtilisation, decodeUtilisation,
                powerFraction, pue, newHostOverhead, gridIntensity, pricePerKwh, currency);
    }

    /** This deployment with a fixed power fraction, or {@link #MEASURED_POWER} for the measured curve. */
    public Deployment withPowerFraction(double newPowerFraction) {
        return new Deployment(accelerator, acceleratorsPerReplica, batch, prefillUtilisation, decodeUtilisation,
                newPowerFraction, pue, hostOverhead, gridIntensity, pricePerKwh, currency);
    }

    /** This deployment on another accelerator. */
    public Deployment withAccelerator(Accelerator newAccelerator) {
        return new Deployment(newAccelerator, acceleratorsPerReplica, batch, prefillUtilisation, decodeUtilisation,
                powerFraction, pue, hostOverhead, gridIntensity, pricePerKwh, currency);
    }

    /** This deployment with a fixed number of accelerators per replica (0 chooses per model). */
    public Deployment withAccelerators(int perReplica) {
        return new Deployment(accelerator, perReplica, batch, prefillUtilisation, decodeUtilisation,
                powerFraction, pue, hostOverhead, gridIntensity, pricePerKwh, currency);
    }

    private static final Set<String> KEYS = Set.of("accelerator", "accelerators", "batch", "prefill-utilisation",
            "decode-utilisation", "power-fraction", "pue", "host-overhead", "grid-intensity", "price-per-kwh",
            "currency");

    /**
     * {@link #DEFAULT} with the config fields given (the part after {@code energy.deployment.}):
     * {@code accelerator} (a built-in or one of {@code accelerators}), {@code accelerators} (0 for
     * automatic), {@code batch}, {@code prefill-utilisation}, {@code decode-utilisation},
     * {@code power-fraction} (0 for the measured curve), {@code pue}, {@code host-overhead},
     * {@code grid-intensity}, {@code price-per-kwh}, {@code currency}.
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
                powerFraction(f, d.powerFraction),
                f.amount("pue", 1, 3, d.pue),
                f.amount("host-overhead", 1, 3, d.hostOverhead),
                f.amount("grid-intensity", 0, 2000, d.gridIntensity),
                f.amount("price-per-kwh", 0, 100, d.pricePerKwh),
                f.text("currency", d.currency));
    }

    private static double powerFraction(Check.Fields f, double fallback) {
        double v = f.amount("power-fraction", 0, 1, fallback);
        if (v != MEASURED_POWER && v < 0.05) {
            throw new IllegalArgumentException(f.key("power-fraction") + " must be 0 (the measured curve) or a"
                    + " number from 0.05 to 1 but was '" + Check.show(v) + "'");
        }
        return v;
    }
}
