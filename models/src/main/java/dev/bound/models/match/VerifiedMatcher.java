package dev.bound.models.match;

import dev.bound.models.Embedder;

import java.util.Objects;

/** A learned verifier over the primary vectors, lexical checks and optionally a second model's vectors. */
final class VerifiedMatcher implements PairMatcher {

    private final Verifier verifier;
    private final Embedder second;

    VerifiedMatcher(Verifier verifier, Embedder second) {
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
        this.second = second;
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
        return new Prepared(name(), text, vector, secondVector, TextFeatures.of(text));
    }

    @Override
    public double score(Prepared query, Prepared candidate, double cosine) {
        check(query, "query");
        check(candidate, "candidate");
        double secondCosine = second == null ? Double.NaN
                : PairEvaluation.cosine(query.secondVector(), candidate.secondVector());
        double[] all = Features.extract(query.features(), candidate.features(), cosine, secondCosine);
        return verifier.score(all, query.vector(), candidate.vector(), query.secondVector(), candidate.secondVector());
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
