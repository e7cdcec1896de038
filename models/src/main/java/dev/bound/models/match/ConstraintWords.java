package dev.bound.models.match;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The constraint words of {@code bound/match/constraints.txt} (length, audience, format, language,
 * tone, unit…) and the mismatch flag built on them: "Write a haiku about cats." and "Write a
 * limerick about cats." share every other word and most of their vector, yet ask for different
 * answers.
 */
final class ConstraintWords {

    /** A class has a value in each text that the other lacks: haiku/limerick, Python/Java, child/historian. */
    static final double SUBSTITUTED = 1.0;
    /** A class has a value in one text only and the other text holds none the first lacks: a constraint added or removed. */
    static final double ONE_SIDED = 0.5;

    static final ConstraintWords DEFAULT = load("bound/match/constraints.txt");

    private record Entry(String className, String value) {
    }

    /** Stem of a listed word to its class and value. */
    private final Map<String, Entry> words;
    /** Two adjacent words as written ("in go") to their class and value. */
    private final Map<String, Entry> pairs;

    private ConstraintWords(Map<String, Entry> words, Map<String, Entry> pairs) {
        this.words = Map.copyOf(words);
        this.pairs = Map.copyOf(pairs);
    }

    /**
     * {@link #SUBSTITUTED} (1) when some class has a value in each text that the other lacks,
     * else {@link #ONE_SIDED} (0.5) when some class has a value in one text only, else 0.
     *
     * <p>Why two levels: a substitution ("in Python" / "in Java") is almost always a different
     * request, while a one-sided word is usually an added constraint ("Explain recursion." /
     * "Explain recursion in detail.") but sometimes only a rewording that names a hypernym or a
     * nationality ("a haiku" / "a haiku poem", "the capital of France" / "the French capital").
     * Half the flag lets the learned weight push that case half as hard. A direction swap
     * ("30 Celsius to Fahrenheit" / "30 Fahrenheit to Celsius") has the same words on both sides
     * and gives 0: the word-order features ({@code displaced}, {@code swap}) are the ones to catch it.
     */
    static double mismatch(TextFeatures a, TextFeatures b) {
        return DEFAULT.score(a, b);
    }

    double score(TextFeatures a, TextFeatures b) {
        Map<String, Double> differing = differing(a, b);
        return differing.containsValue(SUBSTITUTED) ? SUBSTITUTED : differing.isEmpty() ? 0 : ONE_SIDED;
    }

    /**
     * The classes whose values differ between the texts, each with {@link #SUBSTITUTED} when each
     * text has a value the other lacks, else {@link #ONE_SIDED}.
     */
    private Map<String, Double> differing(TextFeatures a, TextFeatures b) {
        Map<String, Set<String>> inA = valuesIn(a);
        Map<String, Set<String>> inB = valuesIn(b);
        Set<String> classes = new HashSet<>(inA.keySet());
        classes.addAll(inB.keySet());
        Map<String, Double> out = new HashMap<>();
        for (String c : classes) {
            Set<String> x = inA.getOrDefault(c, Set.of());
            Set<String> y = inB.getOrDefault(c, Set.of());
            boolean onlyA = !y.containsAll(x);
            boolean onlyB = !x.containsAll(y);
            if (onlyA || onlyB) {
                out.put(c, onlyA && onlyB ? SUBSTITUTED : ONE_SIDED);
            }
        }
        return out;
    }

    /**
     * Words that, on one side only, are as often a rewording as an added constraint: a
     * nationality adjective names a language ("French cuisine" / "the cuisine of France"), and
     * "sentence" or "paragraph" is as often what the prompt is about ("Translate this sentence",
     * "Rewrite this paragraph") as the length of the answer. For {@link #added} they count only
     * where they set the answer: a language right after "in", "into" or "to" ("in French", "into
     * Japanese"); a sentence or paragraph with an amount among the {@value #AMOUNT_REACH} words
     * before it, "a" and "an" included ("in one sentence", "3 short paragraphs", "a couple of
     * sentences", "Write a paragraph"), unless a word that points at a text comes first ("this
     * sentence", "the following paragraph"). The mismatch flag, which the verifier's network
     * reads, counts them everywhere, as it did when the network was trained.
     */
    private static final String NATURAL_LANGUAGE = "natural-language";
    private static final String LENGTH = "length";
    private static final Set<String> LENGTH_UNITS = Set.of("sentence", "paragraph");
    private static final Set<String> INTO = Set.of("in", "into", "to");
    private static final int AMOUNT_REACH = 3;
    /** Amounts besides numbers ("one" is no number to {@link TextFeatures#number}, as a pronoun). */
    private static final Set<String> AMOUNTS = Set.of("a", "an", "one", "single", "couple", "few",
            "several", "dozen");
    /** Words that make "sentence" or "paragraph" a text the prompt is about. */
    private static final Set<String> POINTERS = Set.of("this", "that", "these", "those", "the",
            "following", "my", "your", "our", "his", "her", "its", "their", "each", "every",
            "which", "what");

    /**
     * 1 when a constraint is added or removed: some class has a value in one text that the other
     * lacks ("Explain recursion." / "Explain recursion in detail.", "What is the capital of
     * France?" / "… Please be brief."), counting the words above only where they set the answer.
     * A veto: the answer to the looser prompt does not fit the tighter one, nor the other way
     * round.
     */
    static double added(TextFeatures a, TextFeatures b) {
        return DEFAULT.addedOrRemoved(a, b) ? 1 : 0;
    }

    boolean addedOrRemoved(TextFeatures a, TextFeatures b) {
        return !answerShape(a).equals(answerShape(b));
    }

    /** Per class, the values a text asks of the answer: {@link #valuesIn}, the words above only where they set it. */
    private Map<String, Set<String>> answerShape(TextFeatures t) {
        Map<String, Set<String>> out = valuesIn(t);
        // The soft values come from single words only (no pair in constraints.txt spells one), so
        // removing them here and adding back those of the words below leaves the rest as it was.
        out.forEach((c, values) -> values.removeIf(v -> soft(c, v)));
        out.values().removeIf(Set::isEmpty);
        for (int i = 1; i < t.tokens.size(); i++) {
            Entry e = words.get(Lexicon.stem(t.tokens.get(i)));
            if (e != null && soft(e.className(), e.value()) && (e.className().equals(NATURAL_LANGUAGE)
                    ? INTO.contains(t.tokens.get(i - 1)) : amountBefore(t.tokens, i))) {
                add(out, e);
            }
        }
        return out;
    }

    private static boolean soft(String className, String value) {
        return className.equals(NATURAL_LANGUAGE) || className.equals(LENGTH) && LENGTH_UNITS.contains(value);
    }

    private static boolean amountBefore(List<String> tokens, int at) {
        for (int j = at - 1; j >= Math.max(0, at - AMOUNT_REACH); j--) {
            String w = tokens.get(j);
            if (POINTERS.contains(w)) {
                return false;
            }
            if (AMOUNTS.contains(w) || TextFeatures.number(w) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * 1 when both texts hold the same two or more values of one class in a different order:
     * "Celsius to Fahrenheit" / "Fahrenheit to Celsius", "from English to French" / "from French to
     * English". The words are the same, so {@link #mismatch} cannot see it; the request is reversed.
     */
    static double directionSwap(TextFeatures a, TextFeatures b) {
        return DEFAULT.swapped(a, b) ? 1 : RequestShape.comparisonSwap(a, b);
    }

    boolean swapped(TextFeatures a, TextFeatures b) {
        Map<String, List<String>> inA = ordered(a);
        Map<String, List<String>> inB = ordered(b);
        for (Map.Entry<String, List<String>> e : inA.entrySet()) {
            List<String> x = e.getValue();
            List<String> y = inB.get(e.getKey());
            if (x.size() >= 2 && y != null && y.size() == x.size() && Set.copyOf(x).equals(Set.copyOf(y)) && !x.equals(y)) {
                return true;
            }
        }
        return false;
    }

    /** Per class, its values in the order of their first word in the text. */
    private Map<String, List<String>> ordered(TextFeatures t) {
        Map<String, List<String>> found = new HashMap<>();
        for (String token : t.tokens) {
            Entry e = words.get(Lexicon.stem(token));
            if (e != null) {
                List<String> values = found.computeIfAbsent(e.className(), k -> new ArrayList<>());
                if (!values.contains(e.value())) {
                    values.add(e.value());
                }
            }
        }
        return found;
    }

    /** Class name to the values (each named by its first spelling) that a text holds; sorted, for reading a decision. */
    Map<String, Set<String>> valuesIn(TextFeatures t) {
        Map<String, Set<String>> found = new TreeMap<>();
        for (String stem : t.stems) {
            add(found, words.get(stem));
        }
        for (String pair : t.bigrams) {
            add(found, pairs.get(pair));
        }
        return found;
    }

    private static void add(Map<String, Set<String>> found, Entry e) {
        if (e != null) {
            found.computeIfAbsent(e.className(), k -> new TreeSet<>()).add(e.value());
        }
    }

    /** Parses the lines of a constraint-word file (comments and blank lines already removed); {@code source} names it in errors. */
    static ConstraintWords parse(String source, List<String> lines) {
        Map<String, Entry> words = new HashMap<>();
        Map<String, Entry> pairs = new HashMap<>();
        Set<String> classNames = new HashSet<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException(source + ": expected \"class: value value ...\" in: " + line);
            }
            String className = line.substring(0, colon).strip();
            if (!classNames.add(className)) {
                throw new IllegalStateException(source + ": class " + className + " is listed twice");
            }
            for (String value : line.substring(colon + 1).strip().split("\\s+")) {
                String[] spellings = value.toLowerCase(Locale.ROOT).split("/");
                Entry entry = new Entry(className, spellings[0]);
                for (String spelling : spellings) {
                    boolean pair = spelling.contains("_");
                    String key = pair ? spelling.replace('_', ' ') : Lexicon.stem(spelling);
                    Entry before = (pair ? pairs : words).putIfAbsent(key, entry);
                    if (before != null && !before.equals(entry)) {
                        throw new IllegalStateException(source + ": \"" + spelling + "\" is in both "
                                + before.className() + " (" + before.value() + ") and " + className + " (" + entry.value() + ")");
                    }
                }
            }
        }
        return new ConstraintWords(words, pairs);
    }

    private static ConstraintWords load(String resource) {
        InputStream in = ConstraintWords.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " is missing (is the build incomplete?)");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(resource, reader.lines()
                    .map(l -> l.indexOf('#') >= 0 ? l.substring(0, l.indexOf('#')) : l)
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + resource, e);
        }
    }
}
