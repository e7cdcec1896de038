package dev.bound.models.energy;

/** Sums a per-token time that is the larger of two lines in the token's position. */
final class Roofline {

    private Roofline() {}

    /**
     * {@code Σ max(m0 + m1·t, c0 + c1·t)} over {@code t = start .. start+count-1}: the decode time of
     * {@code count} tokens whose memory time and compute time each grow linearly with position.
     * Two lines cross at most once, so the sum splits into two arithmetic series.
     */
    static double sumOfMax(double m0, double m1, double c0, double c1, double start, long count) {
        if (count <= 0) {
            return 0;
        }
        if (m1 == c1) {
            return line(Math.max(m0, c0), m1, start, 0, count);
        }
        double crossing = (c0 - m0) / (m1 - c1) - start; // index where the lines meet
        long split = (long) Math.max(0, Math.min(count, Math.ceil(crossing)));
        if (m1 > c1) {
            // memory grows faster: compute dominates before the crossing, memory after it
            return line(c0, c1, start, 0, split) + line(m0, m1, start, split, count);
        }
        return line(m0, m1, start, 0, split) + line(c0, c1, start, split, count);
    }

    /** {@code Σ (a + b·(start+i))} for {@code i = from .. to-1}. */
    private static double line(double a, double b, double start, long from, long to) {
        long n = to - from;
        if (n <= 0) {
            return 0;
        }
        double indexSum = (double) to * (to - 1) / 2 - (double) from * (from - 1) / 2;
        return n * (a + b * start) + b * indexSum;
    }
}
