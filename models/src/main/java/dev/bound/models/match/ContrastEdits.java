package dev.bound.models.match;

import dev.bound.models.match.PairEvaluation.LabelledPair;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Contrast pairs for training and checking the verifier: a sentence and a copy of it with one edit
 * that changes its meaning (a word swapped for its opposite, a negation added or removed, a number
 * changed, a name replaced). The shared data holds too few such pairs for the mismatch flags to
 * learn a weight, and they are exactly the wrong hits of issue 8. Deterministic for a seed.
 */
final class ContrastEdits {

    enum Kind { ANTONYM, NEGATION, NUMBER, NAME, SWAP }

    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}']*");
    private static final Pattern AUXILIARY = Pattern.compile(
            "\\b(is|are|was|were|can|could|will|would|should|does|do|did|has|have|had|must)\\b(?! not\\b)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT = Pattern.compile("\\bnot\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d.,])\\d{1,4}(?![\\d.,]?\\d)");

    private ContrastEdits() {
    }

    /** Up to {@code perKind} negative pairs of each kind, made from the sentences of these pairs. */
    static List<LabelledPair> make(List<LabelledPair> source, int perKind, long seed) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (LabelledPair p : source) {
            unique.add(p.first());
            unique.add(p.second());
        }
        List<String> sentences = new ArrayList<>(unique);
        List<String> names = new ArrayList<>();
        for (String s : sentences) {
            names.addAll(TextFeatures.namesAsWritten(s));
        }
        List<LabelledPair> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            SplittableRandom random = new SplittableRandom(seed + kind.ordinal());
            List<String> order = new ArrayList<>(sentences);
            for (int i = order.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String t = order.get(i);
                order.set(i, order.get(j));
                order.set(j, t);
            }
            int made = 0;
            for (String s : order) {
                if (made >= perKind) {
                    break;
                }
                String edited = edit(kind, s, names, random);
                if (edited != null && !edited.equals(s)) {
                    out.add(new LabelledPair(s, edited, false));
                    made++;
                }
            }
        }
        return out;
    }

    static String edit(Kind kind, String s, List<String> names, SplittableRandom random) {
        return switch (kind) {
            case ANTONYM -> antonym(s, random);
            case NEGATION -> negation(s);
            case NUMBER -> number(s, random);
            case NAME -> name(s, names, random);
            case SWAP -> swap(s, random);
        };
    }

    /** Replaces one listed word (content words first) with its opposite, keeping its capital. */
    private static String antonym(String s, SplittableRandom random) {
        Map<String, List<String>> listed = Lexicon.DEFAULT.listedWords();
        List<int[]> content = new ArrayList<>();
        List<int[]> function = new ArrayList<>();
        Matcher m = WORD.matcher(s);
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT);
            if (listed.containsKey(w)) {
                (Lexicon.DEFAULT.isStopword(w) ? function : content).add(new int[] {m.start(), m.end()});
            }
        }
        List<int[]> choices = content.isEmpty() ? function : content;
        if (choices.isEmpty()) {
            return null;
        }
        int[] at = choices.get(random.nextInt(choices.size()));
        String word = s.substring(at[0], at[1]);
        List<String> opposites = listed.get(word.toLowerCase(Locale.ROOT));
        String replacement = opposites.get(random.nextInt(opposites.size()));
        if (Character.isUpperCase(word.charAt(0))) {
            replacement = Character.toUpperCase(replacement.charAt(0)) + replacement.substring(1);
        }
        return s.substring(0, at[0]) + replacement + s.substring(at[1]);
    }

    /** Removes the first "not", or else adds one after the first auxiliary verb. */
    private static String negation(String s) {
        Matcher not = NOT.matcher(s);
        if (not.find()) {
            return s.substring(0, not.start()) + s.substring(not.end());
        }
        Matcher aux = AUXILIARY.matcher(s);
        if (aux.find()) {
            return s.substring(0, aux.end()) + " not" + s.substring(aux.end());
        }
        return null;
    }

    /** Changes one number written with digits. */
    private static String number(String s, SplittableRandom random) {
        List<int[]> found = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            found.add(new int[] {m.start(), m.end()});
        }
        if (found.isEmpty()) {
            return null;
        }
        int[] at = found.get(random.nextInt(found.size()));
        int value = Integer.parseInt(s.substring(at[0], at[1]));
        int changed = value + 1 + random.nextInt(value >= 1000 ? 10 : Math.max(2, value));
        return s.substring(0, at[0]) + changed + s.substring(at[1]);
    }

    private static final Pattern DETERMINED = Pattern.compile(
            "\\b(?:the|a|an|my|your|his|her|their|its|our)\\s+(\\p{L}{3,})\\b", Pattern.CASE_INSENSITIVE);

    /**
     * Swaps two names, or else two nouns after a determiner: the same words in another order, the
     * word-swap case ("flights from Paris to Rome", "the dog chased the cat").
     */
    private static String swap(String s, SplittableRandom random) {
        List<int[]> spans = new ArrayList<>();
        for (String name : new LinkedHashSet<>(TextFeatures.namesAsWritten(s))) {
            Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(s);
            if (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        if (spans.size() < 2) {
            spans.clear();
            Matcher m = DETERMINED.matcher(s);
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            while (m.find()) {
                String w = m.group(1).toLowerCase(Locale.ROOT);
                if (!Lexicon.DEFAULT.isStopword(w) && seen.add(w)) {
                    spans.add(new int[] {m.start(1), m.end(1)});
                }
            }
        }
        if (spans.size() < 2) {
            return null;
        }
        int i = random.nextInt(spans.size());
        int j = random.nextInt(spans.size() - 1);
        if (j >= i) {
            j++;
        }
        int[] first = spans.get(Math.min(i, j));
        int[] second = spans.get(Math.max(i, j));
        if (first[1] > second[0]) {
            return null;
        }
        return s.substring(0, first[0]) + s.substring(second[0], second[1]) + s.substring(first[1], second[0])
                + s.substring(first[0], first[1]) + s.substring(second[1]);
    }

    /** Replaces one name inside a sentence with a name from another sentence. */
    private static String name(String s, List<String> names, SplittableRandom random) {
        List<String> own = TextFeatures.namesAsWritten(s);
        if (own.isEmpty() || names.isEmpty()) {
            return null;
        }
        String target = own.get(random.nextInt(own.size()));
        for (int attempt = 0; attempt < 10; attempt++) {
            String other = names.get(random.nextInt(names.size()));
            if (!other.equalsIgnoreCase(target) && !s.toLowerCase(Locale.ROOT).contains(other.toLowerCase(Locale.ROOT))) {
                Matcher m = Pattern.compile("\\b" + Pattern.quote(target) + "\\b").matcher(s);
                return m.find() ? s.substring(0, m.start()) + other + s.substring(m.end()) : null;
            }
        }
        return null;
    }
}
