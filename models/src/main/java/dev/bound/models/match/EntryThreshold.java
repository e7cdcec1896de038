package dev.bound.models.match;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one cached entry has learned about when serving it is correct: for each score bin
 * (width {@value #BIN_WIDTH}), how often serving it would have been right and wrong, as found by
 * sampled verification and feedback. Immutable; {@link AdaptivePolicy#observe} returns the next
 * state. It stores as a short string ({@link #encode()}), a few bytes per bin that has
 * observations.
 */
public final class EntryThreshold {

    /** Similarities are kept to this resolution. */
    public static final double BIN_WIDTH = 0.005;
    static final int BINS = (int) Math.round(1 / BIN_WIDTH) + 1;
    /** Past this many observations all counts are halved, so an entry keeps adapting to newer evidence. */
    static final int MAX_OBSERVATIONS = 1000;
    private static final String VERSION = "v1";
    private static final EntryThreshold EMPTY = new EntryThreshold(new int[0], new int[0], new int[0]);

    private final int[] bins;
    private final int[] correct;
    private final int[] wrong;

    private EntryThreshold(int[] bins, int[] correct, int[] wrong) {
        this.bins = bins;
        this.correct = correct;
        this.wrong = wrong;
    }

    /** A new entry: nothing observed yet. */
    public static EntryThreshold empty() {
        return EMPTY;
    }

    /** Number of observations held (after any halving). */
    public int observations() {
        int n = 0;
        for (int i = 0; i < bins.length; i++) {
            n += correct[i] + wrong[i];
        }
        return n;
    }

    static int bin(double similarity) {
        double s = Math.max(0, Math.min(1, similarity));
        return (int) Math.round(s / BIN_WIDTH);
    }

    static double similarityOf(int bin) {
        return bin * BIN_WIDTH;
    }

    int size() {
        return bins.length;
    }

    int binAt(int i) {
        return bins[i];
    }

    int correctAt(int i) {
        return correct[i];
    }

    int wrongAt(int i) {
        return wrong[i];
    }

    /**
     * Observations that speak for serving at this score: correct ones at a score no higher (a
     * closer prompt is at least as likely to be right).
     */
    public int correctAtOrBelow(double score) {
        int b = bin(score);
        int n = 0;
        for (int i = 0; i < bins.length && bins[i] <= b; i++) {
            n += correct[i];
        }
        return n;
    }

    /**
     * Observations that speak against serving at this score: wrong ones at a score no lower (a
     * less close prompt is at least as likely to be wrong).
     */
    public int wrongAtOrAbove(double score) {
        int b = bin(score);
        int n = 0;
        for (int i = bins.length - 1; i >= 0 && bins[i] >= b; i--) {
            n += wrong[i];
        }
        return n;
    }

    /** This state plus one observation. */
    public EntryThreshold plus(double similarity, boolean wasCorrect) {
        int b = bin(similarity);
        int at = Arrays.binarySearch(bins, b);
        int[] nb;
        int[] nc;
        int[] nw;
        if (at >= 0) {
            nb = bins;
            nc = correct.clone();
            nw = wrong.clone();
        } else {
            int insert = -at - 1;
            nb = insertAt(bins, insert, b);
            nc = insertAt(correct, insert, 0);
            nw = insertAt(wrong, insert, 0);
            at = insert;
        }
        if (wasCorrect) {
            nc[at]++;
        } else {
            nw[at]++;
        }
        EntryThreshold next = new EntryThreshold(nb, nc, nw);
        return next.observations() > MAX_OBSERVATIONS ? next.halved() : next;
    }

    private EntryThreshold halved() {
        int kept = 0;
        int[] nb = new int[bins.length];
        int[] nc = new int[bins.length];
        int[] nw = new int[bins.length];
        for (int i = 0; i < bins.length; i++) {
            int c = correct[i] / 2;
            int w = wrong[i] / 2;
            if (c + w > 0) {
                nb[kept] = bins[i];
                nc[kept] = c;
                nw[kept] = w;
                kept++;
            }
        }
        return new EntryThreshold(Arrays.copyOf(nb, kept), Arrays.copyOf(nc, kept), Arrays.copyOf(nw, kept));
    }

    private static int[] insertAt(int[] a, int index, int value) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, index);
        out[index] = value;
        System.arraycopy(a, index, out, index + 1, a.length - index);
        return out;
    }

    /** The state as text: {@code v1} then {@code ;bin:correct:wrong} per bin with observations. */
    public String encode() {
        StringBuilder out = new StringBuilder(VERSION);
        for (int i = 0; i < bins.length; i++) {
            out.append(';').append(bins[i]).append(':').append(correct[i]).append(':').append(wrong[i]);
        }
        return out.toString();
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException if the text is not an encoded state
     */
    public static EntryThreshold decode(String text) {
        String[] parts = text.split(";");
        if (!parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("not an encoded entry threshold (expected '" + VERSION + "' first): " + text);
        }
        int n = parts.length - 1;
        int[] b = new int[n];
        int[] c = new int[n];
        int[] w = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                String[] f = parts[i + 1].split(":");
                if (f.length != 3) {
                    throw new IllegalArgumentException("bad bin '" + parts[i + 1] + "' in: " + text);
                }
                b[i] = Integer.parseInt(f[0]);
                c[i] = Integer.parseInt(f[1]);
                w[i] = Integer.parseInt(f[2]);
                if (b[i] < 0 || b[i] >= BINS || c[i] < 0 || w[i] < 0 || (i > 0 && b[i] <= b[i - 1])) {
                    throw new IllegalArgumentException("bad bin '" + parts[i + 1] + "' in: " + text);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in encoded entry threshold: " + text, e);
        }
        return n == 0 ? EMPTY : new EntryThreshold(b, c, w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryThreshold t && Arrays.equals(bins, t.bins) && Arrays.equals(correct, t.correct)
                && Arrays.equals(wrong, t.wrong);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bins) * 31 + Arrays.hashCode(correct) * 7 + Arrays.hashCode(wrong);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EntryThreshold[%d observations in %d bins]", observations(), bins.length);
    }
}
