package dev.bound.models.energy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Renders a {@link ConversationCost} as the fixed-width table {@code bound energy} prints. */
final class ConversationTable {

    private ConversationTable() {}

    static String render(ConversationCost c) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Next phrase of a conversation growing %d tokens/min: a %d-token"
                + " turn answered with %d tokens%n%n", c.tokensPerMinute(), c.promptTokens(), c.answerTokens()));
        assumptions(out, c);
        out.append('\n');
        rows(out, c);
        out.append('\n');
        totals(out, c);
        out.append('\n');
        explanation(out, c);
        return out.toString();
    }

    private static void assumptions(StringBuilder out, ConversationCost c) {
        ModelProfile p = c.profile();
        Deployment d = c.deployment();
        Accelerator acc = d.accelerator();
        EnergyModel model = EnergyModel.of(p, d);
        int n = model.accelerators();
        line(out, "model", p.name() + (p.estimate() ? " (ESTIMATE)" : "") + ", " + sig(p.totalParams() / 1e9)
                + "B total, " + sig(p.activeParams() / 1e9) + "B active, " + sig(p.weightBytes())
                + " bytes/param, KV " + sig(p.kvBytesPerToken() / 1024) + " KiB/token");
        line(out, "source", p.source());
        line(out, "accelerator", n + " × " + acc.name() + " (" + sig(acc.peakFlops() / 1e12) + " TFLOP/s, "
                + sig(acc.bandwidth() / 1e12) + " TB/s, " + sig(acc.watts()) + " W, "
                + sig(acc.memoryBytes() / 1e9) + " GB each)" + (d.acceleratorsPerReplica() == 0
                        ? ", the fewest (a power of two) holding the weights and batch " + d.batch() + " at "
                                + Memory.DESIGN_CONTEXT_TOKENS + " tokens each in " + pct(Memory.USABLE)
                                + " of memory" : ""));
        line(out, "memory", sig(p.weightBytesTotal() / 1e9) + " GB of weights, "
                + sig(Math.max(0, Memory.kvBudget(p, acc, n)) / 1e9) + " GB left for KV cache: batch "
                + d.batch() + " fits up to " + model.fullBatchContext() + " tokens each (minute "
                + model.fullBatchContext() / c.tokensPerMinute() + "); one sequence alone up to "
                + Memory.maxContext(p, acc, n) + " tokens");
        line(out, "utilisation", "prefill " + pct(d.prefillUtilisation()) + " of peak FLOP/s, decode "
                + pct(d.decodeUtilisation()) + " of peak bandwidth, power " + (d.powerFraction() > 0
                        ? pct(d.powerFraction()) + " of board" : "from batch (ML.ENERGY curve)"));
        line(out, "facility", "host overhead ×" + sig(d.hostOverhead()) + ", PUE " + sig(d.pue()) + ", grid "
                + sig(d.gridIntensity()) + " gCO2e/kWh, " + sig(d.pricePerKwh()) + " " + d.currency() + "/kWh");
    }

    private static void rows(StringBuilder out, ConversationCost c) {
        String header = String.format(Locale.ROOT, "%6s %8s %-4s %6s %4s %8s  %-26s %-9s %-9s %s", "minute",
                "context", "KV", "batch", "GPUs", "J/token", "Wh/phrase mid (low–high)", "hold Wh", "gCO2e",
                "cost");
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (ConversationCost.Row r : c.rows()) {
            Estimate e = r.estimate();
            String batch = r.effectiveBatch() < r.batch() ? r.effectiveBatch() + "*" : String.valueOf(r.batch());
            out.append(String.format(Locale.ROOT, "%6d %8d %-4s %6s %4d %8s  %-26s %-9s %-9s %s%n", r.minute(),
                    r.contextTokens(), r.reuseKv() ? "kept" : "redo", batch, r.accelerators(),
                    sig(c.joulesPerToken(r)), sig(e.wh()) + " (" + sig(e.whLow()) + "–" + sig(e.whHigh()) + ")",
                    r.reuseKv() ? sig(r.hold().wh()) : "-", sig(e.gco2e()),
                    sig(e.money()) + " " + c.deployment().currency()));
        }
        out.append("* the batch shrank: no more sequences of this context fit in memory beside the weights.\n");
    }

    private static void totals(StringBuilder out, ConversationCost c) {
        if (c.totals().isEmpty()) {
            return;
        }
        ConversationCost.Total first = c.totals().get(0);
        out.append(String.format(Locale.ROOT, "Whole conversation to minute %d: %d turns, one every %s s%n",
                c.rows().isEmpty() ? 0 : c.rows().get(c.rows().size() - 1).minute(), first.turns(),
                sig(60.0 * (c.promptTokens() + c.answerTokens()) / c.tokensPerMinute())));
        String header = String.format(Locale.ROOT, "%6s  %-30s %-30s %s", "batch", "KV kept kWh mid (low–high)",
                "KV redone kWh mid (low–high)", "redone/kept");
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (ConversationCost.Total t : c.totals()) {
            out.append(String.format(Locale.ROOT, "%6d  %-30s %-30s %s%n", t.batch(), kwh(t.kept()),
                    kwh(t.redone()), sig(t.redone().wh() / t.kept().wh())));
        }
    }

    private static String kwh(Estimate e) {
        return sig(e.wh() / 1000) + " (" + sig(e.whLow() / 1000) + "–" + sig(e.whHigh() / 1000) + ")";
    }

    private static void explanation(StringBuilder out, ConversationCost c) {
        out.append("Why it grows: with the KV cache kept, every new token reads the whole cache and its memory\n")
                .append("crowds out the batch, so the cost per token grows linearly with the context, and a\n")
                .append("conversation summing ever dearer turns grows with the square of its length; redoing\n")
                .append("the context instead prefills all of it again at every turn.\n")
                .append("KV kept: the server holds the conversation's KV cache between turns (hold Wh: its share\n")
                .append("of the replica's memory × the replica's power × the time since the last turn).\n")
                .append("KV redo: the whole conversation is prefilled again before answering.\n")
                .append("Band: every uncertain assumption at once at its favourable / unfavourable bound:\n")
                .append("utilisations ×/÷ ").append(sig(EnergyModel.UTILISATION_FACTOR))
                .append(" (at most 100 %), power ± ").append(sig(c.deployment().powerFraction() > 0
                        ? EnergyModel.POWER_FRACTION_STEP : EnergyModel.MEASURED_POWER_STEP))
                .append(" of board, batch ×/÷ ").append(EnergyModel.BATCH_FACTOR).append(" (batch 1 stays 1)")
                .append(c.profile().estimate() ? ", and ×/÷ " + sig(EnergyModel.ESTIMATE_FACTOR)
                        + " more because the model's size is a guess" : "")
                .append(".\nA corner-to-corner range, not a confidence interval. gCO2e and cost are Wh times"
                        + " the grid\nintensity and the price, taken as given; their bands scale the same way.\n");
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-12s %s%n", label, value));
    }

    private static String pct(double fraction) {
        return sig(fraction * 100) + " %";
    }

    /** Three significant figures, plain notation above 1e-6 (readable for Wh from 1e-5 to 1e4). */
    static String sig(double v) {
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) < 1e-6) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
