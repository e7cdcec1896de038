package dev.bound.models.match;

import dev.bound.models.Embedder;

/**
 * Decides whether a stored prompt found by vector search means the same as the query, so that its
 * answer may be served. The gateway's lookup and {@code bound eval} call the same object.
 *
 * <p>Costs are split on purpose: {@link #prepare} does the per-text work (tokenising, and embedding
 * with a second model if the matcher has one) and is called once for the query per lookup and once
 * per stored prompt, whose result may be cached; {@link #score} is arithmetic on two prepared texts
 * and costs microseconds, except where a matcher made with the primary model embeds the slot two
 * prompts differ in ({@link #verified(Verifier, Embedder, Embedder)}). Implementations are
 * immutable and thread-safe.
 */
public interface PairMatcher {

    /** A short name for logs and reports: {@code cosine}, {@code verified} or {@code verified-lexical}. */
    String name();

    /** Serve a candidate when its {@link #score} is at least this; the default operating point. */
    double threshold();

    /**
     * The lowest primary cosine at which a candidate can still reach {@link #threshold()}, whatever
     * its other features; a vector search may drop candidates below it.
     */
    double minCosine();

    /**
     * Makes one text ready for scoring.
     *
     * @param vector the text's unit vector from the primary embedding model
     * @throws IllegalStateException if the second model fails
     */
    Prepared prepare(String text, float[] vector);

    /**
     * Does ahead of time, for a text about to be stored, the part of {@link #prepare}'s work that
     * an embedder keeping its vectors can keep: embedding it with a second model, so that its
     * first lookup as a candidate does not wait for it. Nothing for a matcher without one.
     */
    default void warm(String text) {
    }

    /**
     * Starts, on a thread of its own, the work a lookup for {@code text} may ask for once its
     * candidates are scored, so that it runs while the primary model embeds the text and the
     * index is searched: for a matcher that asks a second model where the first is unsure, the
     * text's embedding with that model, kept for the lookup to find. Worth it only on a machine
     * with a core to spare, since the work is lost when no candidate asks for it. Nothing for a
     * matcher without such work.
     */
    default void ahead(String text) {
    }

    /**
     * How likely the candidate means the same as the query, in [0, 1]; higher is more alike.
     *
     * @param cosine the primary cosine of the two, as the vector search reported it
     * @throws IllegalArgumentException if either text was prepared by another kind of matcher
     */
    double score(Prepared query, Prepared candidate, double cosine);

    /**
     * The score as far as it comes without a second opinion ({@link #secondOpinion}); {@link
     * #score} for a matcher that never asks for one. A lookup with several candidates scores them
     * all this way and asks again only for the best.
     */
    default double firstScore(Prepared query, Prepared candidate, double cosine) {
        return score(query, candidate, cosine);
    }

    /** Whether {@link #secondOpinion} would judge a pair whose first score is {@code first} again. */
    default boolean asksAgain(Prepared query, Prepared candidate, double first) {
        return false;
    }

    /**
     * The score of a pair whose {@link #firstScore} was {@code first}, judged again where the
     * matcher asks for a second opinion; {@code first} elsewhere. {@code secondOpinion(q, c,
     * cosine, firstScore(q, c, cosine))} equals {@code score(q, c, cosine)}.
     */
    default double secondOpinion(Prepared query, Prepared candidate, double cosine, double first) {
        return first;
    }

    /** Whether a candidate with this score may be served at the matcher's own threshold. */
    default boolean serves(double score) {
        return score >= threshold();
    }

    /**
     * Plain cosine: the score is the primary cosine clipped to [0, 1], the behaviour before the
     * verifier existed.
     *
     * @throws IllegalArgumentException unless 0 &lt;= threshold &lt;= 1
     */
    static PairMatcher cosine(double threshold) {
        return new CosineMatcher(threshold);
    }

    /**
     * A learned verifier over the primary cosine and lexical checks, plus a second model's cosine if
     * the verifier weighs one.
     *
     * @param second the second embedding model named by {@link Verifier#secondModel()}, or null when
     *     the verifier uses none; the caller keeps ownership and closes it
     * @throws IllegalArgumentException if {@code second} is missing, not needed, or another model
     */
    static PairMatcher verified(Verifier verifier, Embedder second) {
        return verified(verifier, second, null);
    }

    /**
     * As {@link #verified(Verifier, Embedder)}, and with the primary embedding model the matcher
     * also embeds the one slot in which two prompts differ, when they differ in one (an audience
     * or a tone in words no list has), and refuses the pair when the two slots mean different
     * things. {@link #score} then costs one embedding of two short texts for such pairs.
     *
     * @param primary the model named by {@link Verifier#primaryModel()}, or null for no slot
     *     check; the caller keeps ownership and closes it
     * @throws IllegalArgumentException also if {@code primary} is another model
     */
    static PairMatcher verified(Verifier verifier, Embedder second, Embedder primary) {
        return new VerifiedMatcher(verifier, second, primary);
    }

    /**
     * As {@link #verified(Verifier, Embedder, Embedder)}, judging a pair of texts that both name a
     * piece of software with {@code software}, a verifier that reads the second model's vectors
     * too, and every other pair with {@code verifier}, which reads none. Only a text that names
     * software is embedded with {@code second}, so other traffic pays nothing for it. The software
     * verifier's score is put on {@code verifier}'s scale, its serving point on the other's
     * operating point.
     *
     * @throws IllegalArgumentException if {@code verifier} needs a second model, {@code software}
     *     needs none, or {@code second} is not the one it needs
     */
    static PairMatcher verified(Verifier verifier, Verifier software, Embedder second, Embedder primary) {
        return new VerifiedMatcher(verifier, software, second, primary);
    }

    /**
     * As {@link #verified(Verifier, Verifier, Embedder, Embedder)}, and any other pair that
     * {@code verifier} scores from {@code low} to {@code high} is judged by {@code software} as
     * well, its score put on {@code verifier}'s scale with the two operating points matched: a
     * second opinion where the first is least sure, for two embeddings with the second model
     * (fewer where they are kept).
     *
     * @throws IllegalArgumentException also unless 0 &le; low &le; high &le; 1
     */
    static PairMatcher verified(Verifier verifier, Verifier software, Embedder second, Embedder primary,
            double low, double high) {
        return new VerifiedMatcher(verifier, software, second, primary, new VerifiedMatcher.Band(low, high));
    }
}
