package dev.bound.models.match;

/** The score is the primary cosine; nothing to prepare. */
final class CosineMatcher implements PairMatcher {

    static final String NAME = "cosine";

    private final double threshold;

    CosineMatcher(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("cosine threshold must be between 0 and 1, got " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public double minCosine() {
        return threshold;
    }

    @Override
    public Prepared prepare(String text, float[] vector) {
        return new Prepared(NAME, text, vector, null, null);
    }

    @Override
    public double score(Prepared query, Prepared candidate, double cosine) {
        return Math.max(0, Math.min(1, cosine));
    }

    @Override
    public String toString() {
        return "cosine(threshold=" + threshold + ")";
    }
}
