package dev.bound.models.match;

import dev.bound.models.Embedder;

import java.util.List;
import java.util.Objects;

/**
 * A learned verifier over the primary vectors, lexical checks and optionally a second model's
 * vectors; with the primary model at hand, also a check of the one slot in which two prompts
 * differ ({@link SlotSpans}).
 */
final class VerifiedMatcher implements PairMatcher {

    /**
     * Below this cosine between the two slots' own vectors, the slots ask for different things
     * ("calm and factual" / "absolutely livid" 0.19, "a first-time renter" / "an insurance claims
     * adjuster" 0.22) rather than the same in other words ("plain language" / "simple terms"
     * 0.39). Chosen on the hand-written constraint sets 1 to 24 with the Quora pairs beside them
     * (MATCHING.md, "Sets 21–34, and a slot compared by its meaning").
     */
    static final double SLOT_COSINE = 0.35;

    /**
     * Directions along which two slots can ask for different answers though their words are near:
     * a reader's expertise ("newly diagnosed adults at a community health fair" / "second-year
     * internal medicine residents"), a tone's warmth, confidence or excitement ("warm but firm" /
     * "cold and clipped", "hype-filled, over-the-top" / "calm, understated"), an answer's length,
     * a reader's age ("my teenage cousins" / "my elderly aunts and uncles").
     * Each is the difference between the primary model's vectors of two poles; a slot's place on
     * it is its cosine to one pole less its cosine to the other.
     */
    static final List<List<String>> AXES = List.of(
            List.of("an expert professional with years of advanced training",
                    "a complete beginner with no background knowledge"),
            List.of("warm, kind, gentle and caring", "cold, harsh, blunt and curt"),
            List.of("confident, bold and assertive", "humble, modest and understated"),
            List.of("excited, hyped, energetic and over-the-top", "calm, quiet, restrained and low-key"),
            List.of("long, detailed and thorough", "very short and brief, one line"),
            List.of("young children, kids and teenagers", "elderly seniors, old people in retirement"));

    /**
     * Two slots this far apart on one of the {@link #AXES} ask for different answers. At 0.18 the
     * check refused none of the served paraphrases in the shared data, the Quora pairs or
     * STS-B; at 0.16 it refused three PAWS paraphrases (MATCHING.md, same section).
     */
    static final double AXIS_APART = 0.18;

    /**
     * Pairs scored below this are not served at the operating point nor under any error bound
     * ({@link PooledCalibration#LOW}), so their slots are not embedded; only an explicit
     * per-request threshold below it serves them unchecked.
     */
    static final double SLOT_CHECKED = PooledCalibration.LOW;

    private final Verifier verifier;
    private final Embedder second;
    private final Embedder primary;
    /** Per axis, its two poles' vectors; empty without the primary model. */
    private final List<List<float[]>> poles;

    VerifiedMatcher(Verifier verifier, Embedder second, Embedder primary) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        if (verifier.needsSecondModel()) {
            if (second == null) {
                throw new IllegalArgumentException("verifier '" + verifier.variant() + "' needs the second embedding model '"
                        + verifier.secondModel() + "'");
            }
            if (!second.name().equals(verifier.secondModel())) {
                throw new IllegalArgumentException("verifier '" + verifier.variant() + "' was trained with second model '"
                        + verifier.secondModel() + "', not '" + second.name() + "'");
            }
        } else if (second != null) {
            throw new IllegalArgumentException("verifier '" + verifier.variant() + "' uses no second embedding model, but '"
                    + second.name() + "' was given");
        }
        if (primary != null && !primary.name().equals(verifier.primaryModel())) {
            // the slots' cosine is read against a bound measured with this model
            throw new IllegalArgumentException("verifier '" + verifier.variant() + "' was trained with primary model '"
                    + verifier.primaryModel() + "', not '" + primary.name() + "'");
        }
        this.second = second;
        this.primary = primary;
        this.poles = primary == null ? List.of() : AXES.stream().map(primary::embedAll).toList();
        Thread.ofVirtual().name("wordnet-load").start(WordRelations::load); // before the first lookup needs it
    }

    @Override
    public String name() {
        return verifier.variant();
    }

    @Override
    public double threshold() {
        return verifier.threshold();
    }

    @Override
    public double minCosine() {
        return verifier.minCosine();
    }

    @Override
    public Prepared prepare(String text, float[] vector) {
        Objects.requireNonNull(text, "text");
        float[] secondVector = second == null ? null : second.embed(text);
        return new Prepared(name(), text, vector, secondVector, TextFeatures.of(text),
                primary == null ? null : SlotSpans.tokens(text));
    }

    @Override
    public double score(Prepared query, Prepared candidate, double cosine) {
        check(query, "query");
        check(candidate, "candidate");
        double secondCosine = second == null ? Double.NaN
                : PairEvaluation.cosine(query.secondVector(), candidate.secondVector());
        double[] all = Features.extract(query.features(), candidate.features(), cosine, secondCosine);
        double p = verifier.score(all, query.vector(), candidate.vector(), query.secondVector(),
                candidate.secondVector());
        boolean refused = p >= SLOT_CHECKED
                && (!query.features().superscripts.equals(candidate.features().superscripts)
                        || WordRelations.oneWordChanged(query.features(), candidate.features())
                        || RequestShape.operationSwapped(query.features(), candidate.features())
                        || RequestShape.codeDiffers(query.features(), candidate.features())
                        || WordRelations.spanSubstituted(query.features(), candidate.features())
                        || WordRelations.spanInserted(query.features(), candidate.features())
                        || WordRelations.placesTraded(query.features(), candidate.features())
                        || slotsDiffer(query, candidate));
        return refused ? Verifier.VETO_SCALE * p : p;
    }

    /**
     * Whether the texts differ in one slot whose two fillings mean different things, or lie far
     * apart on one of the {@link #AXES}; false without the primary model. Costs one embedding of
     * the two short slots, and only for the pairs {@link SlotSpans} finds a slot in (about 1 % of
     * the Quora pairs the verifier serves, counted with a first version); the tokens it compares were read once per text, in
     * {@link #prepare}.
     */
    private boolean slotsDiffer(Prepared a, Prepared b) {
        if (primary == null || a.slotTokens() == null || b.slotTokens() == null) {
            return false; // a text prepared by a matcher of the same name made without the model
        }
        SlotSpans.Slots slots = SlotSpans.of(a.slotTokens(), b.slotTokens());
        if (slots == null) {
            return false;
        }
        List<float[]> v = primary.embedAll(List.of(slots.first(), slots.second()));
        if (PairEvaluation.cosine(v.get(0), v.get(1)) < SLOT_COSINE) {
            return true;
        }
        for (List<float[]> axis : poles) {
            if (Math.abs(place(v.get(0), axis) - place(v.get(1), axis)) >= AXIS_APART) {
                return true;
            }
        }
        return false;
    }

    private static double place(float[] slot, List<float[]> axis) {
        return PairEvaluation.cosine(slot, axis.get(0)) - PairEvaluation.cosine(slot, axis.get(1));
    }

    private void check(Prepared p, String role) {
        if (!p.matcher().equals(name())) {
            throw new IllegalArgumentException("the " + role + " was prepared by matcher '" + p.matcher()
                    + "', not '" + name() + "'");
        }
    }

    @Override
    public String toString() {
        return verifier.variant() + "(threshold=" + verifier.threshold() + ")";
    }
}
