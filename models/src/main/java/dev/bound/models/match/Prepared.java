package dev.bound.models.match;

import java.util.List;
import java.util.Objects;

/**
 * One text made ready for {@link PairMatcher#score}: what the matcher needs from it, computed once.
 * Immutable and thread-safe; a stored prompt's {@code Prepared} may be kept and reused for every
 * later lookup that finds it.
 */
public final class Prepared {

    private final String matcher;
    private final String text;
    private final float[] vector;
    private final float[] secondVector;
    private final TextFeatures features;
    private final List<String> slotTokens;
    /** {@link WordRelations#canonical} of the text, worked out the first time it is asked for. */
    private String sameWordsForm;

    Prepared(String matcher, String text, float[] vector, float[] secondVector, TextFeatures features) {
        this(matcher, text, vector, secondVector, features, null);
    }

    Prepared(String matcher, String text, float[] vector, float[] secondVector, TextFeatures features,
            List<String> slotTokens) {
        this.matcher = matcher;
        this.text = Objects.requireNonNull(text, "text");
        this.vector = Objects.requireNonNull(vector, "vector");
        this.secondVector = secondVector;
        this.features = features;
        this.slotTokens = slotTokens;
    }

    /** The text as given. */
    public String text() {
        return text;
    }

    /** The name of the matcher that prepared it; only that matcher can score it. */
    public String matcher() {
        return matcher;
    }

    float[] vector() {
        return vector;
    }

    /** The second model's unit vector, or null if the matcher uses no second model. */
    float[] secondVector() {
        return secondVector;
    }

    /** The lexical features, or null for the plain cosine matcher. */
    TextFeatures features() {
        return features;
    }

    /**
     * The text as {@link WordRelations#sameWords} compares it, kept once made: a stored prompt's
     * form is then made once for all the lookups that find it. Two threads may both make it; they
     * make the same string.
     */
    String sameWordsForm() {
        String form = sameWordsForm;
        if (form == null) {
            form = WordRelations.canonical(text);
            sameWordsForm = form;
        }
        return form;
    }

    /** The tokens {@link SlotSpans} compares, or null when the matcher checks no slots. */
    List<String> slotTokens() {
        return slotTokens;
    }
}
