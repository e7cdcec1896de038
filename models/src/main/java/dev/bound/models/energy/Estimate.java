package dev.bound.models.energy;

/**
 * The energy, emissions and electricity cost of one or more model calls, each as a mid figure with
 * the low–high band described in ENERGY.md.
 *
 * @param wh energy in watt-hours, facility overhead (PUE) included
 * @param whLow the band's low end
 * @param whHigh the band's high end
 * @param gco2e emissions in grams CO2e at the deployment's grid intensity
 * @param gco2eLow the band's low end
 * @param gco2eHigh the band's high end
 * @param money electricity cost in the deployment's currency
 * @param moneyLow the band's low end
 * @param moneyHigh the band's high end
 * @param prefillSeconds replica time spent on the prompt at the mid assumptions
 * @param decodeSeconds replica time attributed to generating the answer at the mid assumptions (a
 *     batch shares the replica, so this is this call's share, not its latency)
 */
public record Estimate(double wh, double whLow, double whHigh, double gco2e, double gco2eLow,
        double gco2eHigh, double money, double moneyLow, double moneyHigh, double prefillSeconds,
        double decodeSeconds) {

    /** Nothing: the start of a sum. */
    public static final Estimate ZERO = new Estimate(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public Estimate {
        check("wh", whLow, wh, whHigh);
        check("gco2e", gco2eLow, gco2e, gco2eHigh);
        check("money", moneyLow, money, moneyHigh);
        Check.number("Estimate.prefillSeconds", prefillSeconds, 0, Double.MAX_VALUE);
        Check.number("Estimate.decodeSeconds", decodeSeconds, 0, Double.MAX_VALUE);
    }

    /** The sum of two estimates (bands add corner to corner). */
    public Estimate plus(Estimate o) {
        return new Estimate(wh + o.wh, whLow + o.whLow, whHigh + o.whHigh, gco2e + o.gco2e,
                gco2eLow + o.gco2eLow, gco2eHigh + o.gco2eHigh, money + o.money, moneyLow + o.moneyLow,
                moneyHigh + o.moneyHigh, prefillSeconds + o.prefillSeconds, decodeSeconds + o.decodeSeconds);
    }

    private static void check(String what, double low, double mid, double high) {
        // A relative slack of 1e-9 absorbs rounding when a band has collapsed to a point.
        double slack = 1e-9 * Math.abs(high);
        if (!(low >= 0 && low <= mid + slack && mid <= high + slack && Double.isFinite(high))) {
            throw new IllegalArgumentException("Estimate." + what + " needs 0 <= low <= mid <= high but was "
                    + low + ", " + mid + ", " + high);
        }
    }
}
