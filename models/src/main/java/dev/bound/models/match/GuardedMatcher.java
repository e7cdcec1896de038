package dev.bound.models.match;

/**
 * A matcher that never serves a pair whose query or candidate the language guard refuses, as the
 * gateway behaves when it skips the semantic tier for such prompts; for evaluation.
 */
final class GuardedMatcher implements PairMatcher {

    private final PairMatcher inner;
    private final LanguageGuard guard;

    GuardedMatcher(PairMatcher inner, LanguageGuard guard) {
        this.inner = inner;
        this.guard = guard;
    }

    @Override
    public String name() {
        return inner.name() + "+guard";
    }

    @Override
    public double threshold() {
        return inner.threshold();
    }

    @Override
    public double minCosine() {
        return inner.minCosine();
    }

    @Override
    public Prepared prepare(String text, float[] vector) {
        if (!guard.semanticAllowed(text)) {
            return new Prepared(name(), text, vector, null, null);
        }
        return inner.prepare(text, vector);
    }

    @Override
    public double score(Prepared query, Prepared candidate, double cosine) {
        if (query.matcher().equals(name()) || candidate.matcher().equals(name())) {
            return 0;
        }
        return inner.score(query, candidate, cosine);
    }
}
