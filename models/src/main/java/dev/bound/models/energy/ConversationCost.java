package dev.bound.models.energy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the next phrase of a growing conversation costs, minute by minute: a conversation gains
 * {@code tokensPerMinute} tokens a minute, and at each minute a new user turn of
 * {@code promptTokens} is answered with {@code answerTokens}. Each minute is costed with and
 * without the server keeping the conversation's KV cache between turns, at batch 1 and at the
 * deployment's batch.
 *
 * @param profile the model
 * @param deployment how it is served
 * @param tokensPerMinute conversation growth (1 to 100,000)
 * @param promptTokens tokens of the new user turn (1 to 100,000)
 * @param answerTokens tokens of the answer (0 to 100,000)
 * @param rows one per minute, KV reuse and batch
 */
public record ConversationCost(ModelProfile profile, Deployment deployment, int tokensPerMinute, int promptTokens,
        int answerTokens, List<Row> rows) {

    /** About the pace of speech (150 words a minute at about 1.5 tokens a word). */
    public static final int DEFAULT_TOKENS_PER_MINUTE = 225;
    /** A spoken phrase of 20 to 25 words. */
    public static final int DEFAULT_PROMPT_TOKENS = 30;
    /** An answer as long as the phrase. */
    public static final int DEFAULT_ANSWER_TOKENS = 30;
    /** The minutes the table looks at. */
    public static final List<Integer> DEFAULT_MINUTES = List.of(5, 55, 205, 305, 505);

    /**
     * One line of the table.
     *
     * @param minute minutes into the conversation
     * @param contextTokens tokens present before the phrase ({@code minute × tokensPerMinute})
     * @param reuseKv whether the KV cache of the context was kept between turns
     * @param batch the batch the phrase was decoded in
     * @param estimate what the phrase cost
     */
    public record Row(int minute, long contextTokens, boolean reuseKv, int batch, Estimate estimate) {
        public Row {
            Objects.requireNonNull(estimate, "Row.estimate");
        }
    }

    public ConversationCost {
        Objects.requireNonNull(profile, "ConversationCost.profile");
        Objects.requireNonNull(deployment, "ConversationCost.deployment");
        Check.integer("ConversationCost.tokensPerMinute", tokensPerMinute, 1, 100_000);
        Check.integer("ConversationCost.promptTokens", promptTokens, 1, 100_000);
        Check.integer("ConversationCost.answerTokens", answerTokens, 0, 100_000);
        rows = List.copyOf(rows);
    }

    /** The table at the defaults: 225 tokens a minute, a 30-token phrase, a 30-token answer. */
    public static ConversationCost of(ModelProfile profile, Deployment deployment) {
        return of(profile, deployment, DEFAULT_TOKENS_PER_MINUTE, DEFAULT_PROMPT_TOKENS, DEFAULT_ANSWER_TOKENS,
                DEFAULT_MINUTES);
    }

    /** The table for a conversation of this pace and phrase, at these minutes (0 to 100,000 each). */
    public static ConversationCost of(ModelProfile profile, Deployment deployment, int tokensPerMinute,
            int promptTokens, int answerTokens, List<Integer> minutes) {
        List<Deployment> batches = deployment.batch() == 1 ? List.of(deployment)
                : List.of(deployment.withBatch(1), deployment);
        List<Row> rows = new ArrayList<>();
        for (int minute : minutes) {
            Check.integer("ConversationCost minute", minute, 0, 100_000);
            long context = (long) minute * tokensPerMinute;
            for (Deployment d : batches) {
                EnergyModel model = EnergyModel.of(profile, d);
                for (boolean reuse : new boolean[] {true, false}) {
                    Estimate e = model.estimate(new Request(promptTokens, context, answerTokens, reuse));
                    rows.add(new Row(minute, context, reuse, d.batch(), e));
                }
            }
        }
        return new ConversationCost(profile, deployment, tokensPerMinute, promptTokens, answerTokens, rows);
    }

    /** A fixed-width table of the rows, headed by every assumption and followed by how the band is drawn. */
    public String render() {
        Accelerator acc = deployment.accelerator();
        int count = deployment.acceleratorsFor(profile);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Next phrase of a conversation growing %d tokens/min: a %d-token"
                + " turn answered with %d tokens%n%n", tokensPerMinute, promptTokens, answerTokens));
        line(out, "model", profile.name() + (profile.estimate() ? " (ESTIMATE)" : "") + ", "
                + sig(profile.totalParams() / 1e9) + "B total, " + sig(profile.activeParams() / 1e9)
                + "B active, " + sig(profile.weightBytes()) + " bytes/param, KV "
                + sig(profile.kvBytesPerToken() / 1024) + " KiB/token");
        line(out, "source", profile.source());
        line(out, "accelerator", count + " × " + acc.name() + " (" + sig(acc.peakFlops() / 1e12) + " TFLOP/s, "
                + sig(acc.bandwidth() / 1e12) + " TB/s, " + sig(acc.watts()) + " W each)"
                + (deployment.acceleratorsPerReplica() == 0 ? ", count chosen for weights + "
                        + Deployment.WEIGHT_HEADROOM_PERCENT + " %" : ""));
        line(out, "utilisation", "prefill " + pct(deployment.prefillUtilisation()) + " of peak FLOP/s, decode "
                + pct(deployment.decodeUtilisation()) + " of peak bandwidth, power " + pct(deployment.powerFraction())
                + " of board");
        line(out, "facility", "PUE " + sig(deployment.pue()) + ", grid " + sig(deployment.gridIntensity())
                + " gCO2e/kWh, " + sig(deployment.pricePerKwh()) + " " + deployment.currency() + "/kWh");
        out.append('\n');
        String header = String.format(Locale.ROOT, "%6s %9s %-4s %5s  %-28s %-10s %-16s %9s",
                "minute", "context", "KV", "batch", "Wh  mid (low–high)", "gCO2e mid", "cost mid",
                "replica s");
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (Row r : rows) {
            Estimate e = r.estimate();
            out.append(String.format(Locale.ROOT, "%6d %9d %-4s %5d  %-28s %-10s %-16s %9s%n", r.minute(),
                    r.contextTokens(), r.reuseKv() ? "kept" : "redo", r.batch(),
                    sig(e.wh()) + " (" + sig(e.whLow()) + "–" + sig(e.whHigh()) + ")", sig(e.gco2e()),
                    sig(e.money()) + " " + deployment.currency(), sig(e.prefillSeconds() + e.decodeSeconds())));
        }
        out.append('\n')
                .append("KV kept: the server still holds the conversation's KV cache, so only the new turn is\n")
                .append("prefilled. KV redo: the whole conversation is prefilled again before answering.\n")
                .append("Band: every uncertain assumption at once at its favourable / unfavourable bound:\n")
                .append("utilisations ×/÷ ").append(sig(EnergyModel.UTILISATION_FACTOR))
                .append(" (at most 100 %), power fraction ± ").append(sig(EnergyModel.POWER_FRACTION_STEP))
                .append(", batch ×/÷ ").append(EnergyModel.BATCH_FACTOR)
                .append(" (batch 1 stays 1)")
                .append(profile.estimate() ? ", and ×/÷ " + sig(EnergyModel.ESTIMATE_FACTOR)
                        + " more because the model's size is a guess" : "")
                .append(".\nA corner-to-corner range, not a confidence interval. gCO2e and cost are Wh times"
                        + " the grid\nintensity and the price, taken as given; their bands scale the same way.\n"
                        + "replica s: seconds of the whole replica attributed to the phrase (a batch shares"
                        + " it).\n");
        return out.toString();
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
