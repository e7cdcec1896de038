package dev.bound.models.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the next phrase of a growing conversation costs, minute by minute: a conversation gains
 * {@code tokensPerMinute} tokens a minute, and at each minute a new user turn of
 * {@code promptTokens} is answered with {@code answerTokens}. Each minute is costed with and
 * without the server keeping the conversation's KV cache between turns, at batch 1 and at the
 * deployment's batch; the whole conversation up to the last minute is summed the same ways.
 *
 * @param profile the model
 * @param deployment how it is served
 * @param tokensPerMinute conversation growth (1 to 100,000)
 * @param promptTokens tokens of the new user turn (1 to 100,000)
 * @param answerTokens tokens of the answer (0 to 100,000)
 * @param rows one per minute, KV reuse and batch
 * @param totals the whole conversation, one per batch
 */
public record ConversationCost(ModelProfile profile, Deployment deployment, int tokensPerMinute, int promptTokens,
        int answerTokens, List<Row> rows, List<Total> totals) {

    /** About the pace of speech (150 words a minute at about 1.5 tokens a word). */
    public static final int DEFAULT_TOKENS_PER_MINUTE = 225;
    /** A spoken phrase of 20 to 25 words. */
    public static final int DEFAULT_PROMPT_TOKENS = 30;
    /** An answer as long as the phrase. */
    public static final int DEFAULT_ANSWER_TOKENS = 30;
    /** The most turns the whole-conversation sum walks through. */
    static final long MAX_TURNS = 1_000_000;
    /** The minutes the table looks at. */
    public static final List<Integer> DEFAULT_MINUTES = List.of(5, 55, 205, 305, 505);

    /**
     * One line of the table.
     *
     * @param minute minutes into the conversation
     * @param contextTokens tokens present before the phrase ({@code minute × tokensPerMinute})
     * @param reuseKv whether the KV cache of the context was kept between turns
     * @param batch the batch the deployment asks for
     * @param effectiveBatch the batch that fits in memory beside the weights at this context
     * @param accelerators accelerators of the replica that served the phrase
     * @param estimate what the phrase cost, holding the KV cache since the last turn included
     * @param hold the part of {@code estimate} spent holding the KV cache since the last turn
     */
    public record Row(int minute, long contextTokens, boolean reuseKv, int batch, int effectiveBatch,
            int accelerators, Estimate estimate, Estimate hold) {
        public Row {
            Objects.requireNonNull(estimate, "Row.estimate");
            Objects.requireNonNull(hold, "Row.hold");
        }
    }

    /**
     * The whole conversation from minute 0 to the last minute asked for, one turn after another.
     *
     * @param batch the batch the deployment asks for
     * @param turns phrases answered
     * @param kept every turn with the KV cache kept (holding it between turns included)
     * @param redone every turn with the context prefilled again
     */
    public record Total(int batch, long turns, Estimate kept, Estimate redone) {
        public Total {
            Objects.requireNonNull(kept, "Total.kept");
            Objects.requireNonNull(redone, "Total.redone");
        }
    }

    public ConversationCost {
        Objects.requireNonNull(profile, "ConversationCost.profile");
        Objects.requireNonNull(deployment, "ConversationCost.deployment");
        Check.integer("ConversationCost.tokensPerMinute", tokensPerMinute, 1, 100_000);
        Check.integer("ConversationCost.promptTokens", promptTokens, 1, 100_000);
        Check.integer("ConversationCost.answerTokens", answerTokens, 0, 100_000);
        rows = List.copyOf(rows);
        totals = List.copyOf(totals);
    }

    /** The table at the defaults: 225 tokens a minute, a 30-token phrase, a 30-token answer. */
    public static ConversationCost of(ModelProfile profile, Deployment deployment) {
        return of(profile, deployment, DEFAULT_TOKENS_PER_MINUTE, DEFAULT_PROMPT_TOKENS, DEFAULT_ANSWER_TOKENS,
                DEFAULT_MINUTES);
    }

    /** The table for a conversation of this pace and phrase, at these minutes (0 to 100,000 each). */
    public static ConversationCost of(ModelProfile profile, Deployment deployment, int tokensPerMinute,
            int promptTokens, int answerTokens, List<Integer> minutes) {
        Check.integer("ConversationCost.tokensPerMinute", tokensPerMinute, 1, 100_000);
        List<Deployment> batches = deployment.batch() == 1 ? List.of(deployment)
                : List.of(deployment.withBatch(1), deployment);
        double turnSeconds = 60.0 * (promptTokens + answerTokens) / tokensPerMinute;
        List<Row> rows = new ArrayList<>();
        int last = 0;
        for (int minute : minutes) {
            Check.integer("ConversationCost minute", minute, 0, 100_000);
            last = Math.max(last, minute);
            long context = (long) minute * tokensPerMinute;
            for (Deployment d : batches) {
                EnergyModel model = EnergyModel.of(profile, d);
                for (boolean reuse : new boolean[] {true, false}) {
                    Request r = new Request(promptTokens, context, answerTokens, reuse);
                    Estimate hold = reuse ? model.hold(context, turnSeconds) : Estimate.ZERO;
                    rows.add(new Row(minute, context, reuse, d.batch(), model.batch(r), model.accelerators(r),
                            model.estimate(r).plus(hold), hold));
                }
            }
        }
        List<Total> totals = new ArrayList<>();
        for (Deployment d : batches) {
            totals.add(total(EnergyModel.of(profile, d), (long) last * tokensPerMinute, promptTokens,
                    answerTokens, turnSeconds));
        }
        return new ConversationCost(profile, deployment, tokensPerMinute, promptTokens, answerTokens, rows, totals);
    }

    /** Every turn from an empty context until the context reaches {@code lastContext} tokens. */
    private static Total total(EnergyModel model, long lastContext, int prompt, int answer, double turnSeconds) {
        int step = Math.max(1, prompt + answer);
        if (lastContext / step > MAX_TURNS) {
            throw new IllegalArgumentException("the conversation would take more than " + MAX_TURNS
                    + " turns to sum; ask for fewer minutes or longer turns");
        }
        Estimate kept = Estimate.ZERO;
        Estimate redone = Estimate.ZERO;
        long turns = 0;
        for (long context = 0; context <= lastContext; context += step) {
            kept = kept.plus(model.estimate(new Request(prompt, context, answer, true)))
                    .plus(model.hold(context, turnSeconds));
            redone = redone.plus(model.estimate(new Request(prompt, context, answer, false)));
            turns++;
        }
        return new Total(model.deployment().batch(), turns, kept, redone);
    }

    /** J per token the turn adds to the conversation (its prompt and answer). */
    public double joulesPerToken(Row row) {
        return row.estimate().wh() * 3600 / Math.max(1, promptTokens + answerTokens);
    }

    /** A fixed-width table of the rows and totals, headed by every assumption and followed by the band rule. */
    public String render() {
        return ConversationTable.render(this);
    }

    /** Three significant figures, plain notation above 1e-6 (readable for Wh from 1e-5 to 1e4). */
    static String sig(double v) {
        return ConversationTable.sig(v);
    }
}
