package dev.bound.models.match;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pair features a verifier may weigh, by name and in one canonical order. Each lies in [0, 1];
 * the flags are 0 or 1. MATCHING.md explains each one.
 */
final class Features {

    static final String COSINE = "cosine";
    static final String SECOND_COSINE = "second_cosine";
    static final List<String> NAMES = List.of(
            COSINE,
            SECOND_COSINE,
            "token_jaccard",
            "content_jaccard",
            "bigram_jaccard",
            "order_disagreement",
            "swap",
            "displaced",
            "number_mismatch",
            "negation_mismatch",
            "antonym",
            "entity_mismatch",
            "length_ratio",
            "constraint_mismatch",
            "direction_swap",
            "count_mismatch",
            "added_constraint");
    private static final Map<String, Integer> INDEX = index();
    private Features() {
    }

    /** The position of a feature in {@link #extract}'s result, or -1 if no feature has this name. */
    static int indexOf(String name) {
        return INDEX.getOrDefault(name, -1);
    }

    /**
     * All features of a pair. {@code secondCosine} is NaN when no second model is used; a
     * verifier that weighs it refuses to run without one.
     */
    static double[] extract(TextFeatures a, TextFeatures b, double cosine, double secondCosine) {
        double tokens = jaccard(a.tokenSet, b.tokenSet);
        double order = orderDisagreement(a.tokens, b.tokens);
        return new double[] {
            clamp(cosine),
            Double.isNaN(secondCosine) ? Double.NaN : clamp(secondCosine),
            tokens,
            a.content.isEmpty() && b.content.isEmpty() ? tokens : jaccard(a.content, b.content),
            jaccard(a.bigrams, b.bigrams),
            order,
            // Same words, different order: the word-swap case that a bag-of-words vector cannot see.
            tokens * tokens * order,
            // Nearly the same words, and at least two of them out of order.
            tokens * tokens * Math.min(1, displaced(a.tokens, b.tokens) / 2.0),
            a.numbers.equals(b.numbers) ? 0 : 1,
            (a.negations > 0) == (b.negations > 0) ? 0 : 1,
            // A word for its opposite, or a negation put in: the meaning flips; or the same words
            // asked with "where" for "how", or "a new branch" for "an existing branch": another
            // thing is asked.
            antonym(a, b) || RequestShape.negationInserted(a, b) || RequestShape.askedOtherThing(a, b)
                    || RequestShape.modifierOpposed(a, b) || RequestShape.inclusionTurned(a, b) ? 1 : 0,
            entityMismatch(a, b),
            lengthRatio(a.tokens.size(), b.tokens.size()),
            // A word that shapes the answer (haiku, in Python, for a child) on one side only, or
            // put for another of its kind; a name put for another, or a prefixed word for the
            // word alone, is read as the latter.
            RequestShape.nameSubstituted(a, b) || RequestShape.prefixed(a, b) ? 1 : ConstraintWords.mismatch(a, b),
            // The same two units, languages or currencies, or the two sides of a comparison, in
            // the other order: a reversed request.
            ConstraintWords.directionSwap(a, b),
            // "3 tips" / "10 tips", "one sentence" / "three sentences": another amount asked for.
            RequestShape.countMismatch(a, b),
            // A constraint on one side only: the looser answer does not fit the tighter prompt.
            ConstraintWords.added(a, b),
        };
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int shared = 0;
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        for (String s : small) {
            if (large.contains(s)) {
                shared++;
            }
        }
        return (double) shared / (a.size() + b.size() - shared);
    }

    /**
     * Among the words that occur exactly once in each text, the share of word pairs whose order
     * differs between the texts (normalised Kendall tau distance); 0 when fewer than three such words.
     */
    static double orderDisagreement(List<String> a, List<String> b) {
        Map<String, Integer> positionsB = uniquePositions(b);
        Map<String, Integer> positionsA = uniquePositions(a);
        int[] sequence = new int[a.size()];
        int n = 0;
        for (String t : a) {
            Integer inA = positionsA.get(t);
            Integer inB = positionsB.get(t);
            if (inA != null && inA >= 0 && inB != null && inB >= 0) {
                sequence[n++] = inB;
            }
        }
        if (n < 3) {
            return 0;
        }
        long discordant = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (sequence[i] > sequence[j]) {
                    discordant++;
                }
            }
        }
        return discordant / (n * (n - 1) / 2.0);
    }

    /**
     * Among the words that occur exactly once in each text, how many must move for the second text
     * to have them in the first text's order (their count minus the longest run kept in order): 2
     * for two swapped words, however long the sentence.
     */
    static int displaced(List<String> a, List<String> b) {
        Map<String, Integer> positionsB = uniquePositions(b);
        Map<String, Integer> positionsA = uniquePositions(a);
        int[] tails = new int[a.size()];
        int length = 0;
        int n = 0;
        for (String t : a) {
            Integer inA = positionsA.get(t);
            Integer inB = positionsB.get(t);
            if (inA == null || inA < 0 || inB == null || inB < 0) {
                continue;
            }
            n++;
            // Patience sorting: tails[k] is the smallest end of an increasing run of length k + 1.
            int lo = 0;
            int hi = length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tails[mid] < inB) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            tails[lo] = inB;
            if (lo == length) {
                length++;
            }
        }
        return n - length;
    }

    /** Position of each word that occurs once; -1 for words that occur more than once. */
    private static Map<String, Integer> uniquePositions(List<String> tokens) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            positions.merge(tokens.get(i), i, (x, y) -> -1);
        }
        return positions;
    }

    /**
     * A word more often in one text whose opposite is more often in the other (enable/disable,
     * buy/sell, lock/unlock). Counting, rather than asking which text has a word at all, sees
     * "Write a script that reads a file." / "Write a script that writes a file.", where "write"
     * is in both. An owner counts as the word: "the bride's family" / "the groom's family". A
     * word that its own text joins to its opposite ({@link #bothPoles}) turns nothing round.
     */
    static boolean antonym(TextFeatures a, TextFeatures b) {
        for (Map.Entry<String, Integer> x : a.stemCounts.entrySet()) {
            if (b.stemCounts.getOrDefault(x.getKey(), 0) >= x.getValue()) {
                continue;
            }
            for (Map.Entry<String, Integer> y : b.stemCounts.entrySet()) {
                if (a.stemCounts.getOrDefault(y.getKey(), 0) < y.getValue()
                        && Lexicon.DEFAULT.opposite(x.getKey(), y.getKey()) && !withNone(a, x.getKey(), b, y.getKey())
                        && negated(a, x.getKey()) == negated(b, y.getKey())
                        && !bothPoles(a, x.getKey()) && !bothPoles(b, y.getKey())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the text joins this word and its opposite ("pros and cons", "advantages and
     * drawbacks", "warm or cold", "diegetic vs non-diegetic"): it weighs both sides, so another
     * word for a pole in the other text turns nothing round ("Should sake be served warm or
     * cold?" / "Is sake meant to be drunk hot or chilled?").
     */
    private static boolean bothPoles(TextFeatures t, String stem) {
        List<String> tokens = t.tokens;
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (RequestShape.JOINED.contains(tokens.get(i + 1))) {
                String x = Lexicon.unowned(Lexicon.stem(tokens.get(i)));
                String y = Lexicon.unowned(Lexicon.stem(tokens.get(i + 2)));
                if ((x.equals(stem) || y.equals(stem)) && !x.equals(y) && Lexicon.DEFAULT.opposite(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How far before a word a negation still negates it ("didn't pass", "did not really pass"). */
    private static final int NEGATION_REACH = 2;

    /**
     * Whether every word of this stem in the text is negated: "didn't pass" says what "failed"
     * says, so the two are no opposites.
     */
    private static boolean negated(TextFeatures t, String stem) {
        boolean seen = false;
        for (int i = 0; i < t.tokens.size(); i++) {
            if (!Lexicon.unowned(Lexicon.stem(t.tokens.get(i))).equals(stem)) {
                continue;
            }
            seen = true;
            if (!RequestShape.negationBefore(t.tokens, i, NEGATION_REACH)) {
                return false;
            }
        }
        return seen;
    }

    /**
     * "with no math" says what "without math" says: with/without is no opposite when every "with"
     * of the text that has it is followed by "no" or "zero".
     */
    private static boolean withNone(TextFeatures a, String x, TextFeatures b, String y) {
        TextFeatures with = x.equals("with") ? a : y.equals("with") ? b : null;
        if (with == null || !(x.equals("without") || y.equals("without"))) {
            return false;
        }
        List<String> t = with.tokens;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).equals("with")
                    && (i + 1 == t.size() || !(t.get(i + 1).equals("no") || t.get(i + 1).equals("zero")))) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many of the two texts (0, 1 or 2, halved) hold a name-like token (2FA, Paris, AWS) that the
     * other lacks; a share of all names would fade in long texts full of them.
     */
    static double entityMismatch(TextFeatures a, TextFeatures b) {
        return (missingFrom(a.entities, b) + missingFrom(b.entities, a)) / 2.0;
    }

    private static int missingFrom(Set<String> names, TextFeatures other) {
        for (String e : names) {
            if (!other.tokenSet.contains(e)) {
                return 1;
            }
        }
        return 0;
    }

    static double lengthRatio(int a, int b) {
        return Math.max(a, b) == 0 ? 1 : (double) Math.min(a, b) / Math.max(a, b);
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }

    private static Map<String, Integer> index() {
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            map.put(NAMES.get(i), i);
        }
        return Map.copyOf(map);
    }
}
