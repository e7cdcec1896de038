package dev.bound.models.match;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The curated word lists behind the lexical features, read once from {@code bound/match/}. */
final class Lexicon {

    static final Lexicon DEFAULT = load();

    /** Prefixes that negate a word: lock/unlock, able/unable, activate/deactivate. */
    static final List<String> NEGATING_PREFIXES = List.of("un", "dis", "non", "in", "im", "il", "ir", "de");
    private static final int MIN_PREFIXED_ROOT = 4;

    private final Set<String> negations;
    private final Set<String> stopwords;
    /** Names of software ({@code [software]} in words.txt). */
    private final Set<String> software;
    /** Names of software that are everyday words too ({@code [software-everyday]}). */
    private final Set<String> everydaySoftware;
    /** Words that make such a name the tool's ({@code [software-context]}). */
    private final Set<String> softwareContext;
    /** Stem to the stems of its opposites. */
    private final Map<String, Set<String>> opposites;
    /** The listed pairs as written, word to its opposites; for making contrast pairs in training. */
    private final Map<String, List<String>> listedWords;

    private Lexicon(Set<String> negations, Set<String> stopwords, Set<String> software, Set<String> everydaySoftware,
            Set<String> softwareContext, Map<String, Set<String>> opposites, Map<String, List<String>> listedWords) {
        this.negations = negations;
        this.stopwords = stopwords;
        this.software = software;
        this.everydaySoftware = everydaySoftware;
        this.softwareContext = softwareContext;
        this.opposites = opposites;
        this.listedWords = listedWords;
    }

    Map<String, List<String>> listedWords() {
        return listedWords;
    }

    /** A listed negation, or a word that ends in "n't", with a straight or a typographic apostrophe ("doesn’t"). */
    boolean isNegation(String lowerToken) {
        return negations.contains(lowerToken) || lowerToken.endsWith("n't") || lowerToken.endsWith("n\u2019t");
    }

    boolean isStopword(String lowerToken) {
        return stopwords.contains(lowerToken);
    }

    /**
     * Whether some token of the text names a piece of software: "git", "kubectl", "postgres", or a
     * name that is an everyday word too beside a word of a developer's work: "celery inspect
     * registered tasks", not "a stick of celery".
     */
    boolean namesSoftware(TextFeatures t) {
        return names(t, software) || names(t, everydaySoftware) && names(t, softwareContext);
    }

    /** Whether a lower-case word is the name of a piece of software, everyday words included ("nginx", "pandas"). */
    boolean software(String word) {
        return software.contains(word) || everydaySoftware.contains(word);
    }

    /** Whether {@code t} holds a word of {@code words}, alone or with a possessive: "Docker's default network". */
    private static boolean names(TextFeatures t, Set<String> words) {
        if (!java.util.Collections.disjoint(t.tokenSet, words)) {
            return true;
        }
        for (String w : t.tokenSet) {
            if (w.length() > 2 && (w.endsWith("'s") || w.endsWith("\u2019s"))
                    && words.contains(w.substring(0, w.length() - 2))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the two stems are listed as opposites or one is the other with a negating prefix. */
    boolean opposite(String stemA, String stemB) {
        // "vertically" / "horizontally": adverbs of listed words; "too fast" / "too slowly": an
        // adverb without -ly against one with it
        return listed(stemA, stemB)
                || adverb(stemA) && adverb(stemB) && listed(stem(unadverbed(stemA)), stem(unadverbed(stemB)))
                || FLAT_ADVERBS.contains(stemA) && adverb(stemB) && listed(stemA, stem(unadverbed(stemB)))
                || FLAT_ADVERBS.contains(stemB) && adverb(stemA) && listed(stem(unadverbed(stemA)), stemB)
                || prefixed(stemA, stemB) || prefixed(stemB, stemA) || lacking(stemA, stemB) || lacking(stemB, stemA);
    }

    private boolean listed(String stemA, String stemB) {
        Set<String> listed = opposites.get(stemA);
        return listed != null && listed.contains(stemB);
    }

    /**
     * Adverbs written like their adjective ("dries too fast", "plays it loud"), whose opposite may
     * take -ly ("too slowly", "quietly"); as stems. Not "new" or "local": "day-old" and "newly
     * hatched" are one age, and a text that says "locally" says it of a place. Stems, so "late" is
     * "lat" and "loose" "loos".
     */
    private static final Set<String> FLAT_ADVERBS = Set.of("fast", "slow", "quick", "loud", "soft", "hard",
            "lat", "early", "tight", "loos", "deep", "high", "low");

    /** Whether a word is an adverb in "-ly" made of a word of three letters or more. */
    private static boolean adverb(String word) {
        return word.length() >= 5 && word.endsWith("ly");
    }

    private static String unadverbed(String adverb) {
        return adverb.substring(0, adverb.length() - 2);
    }

    /** Whether {@code word} is {@code root} with "-less": "tubeless" / "tubed", "wireless" / "wired". */
    private static boolean lacking(String root, String word) {
        return word.endsWith("less") && word.length() - 4 >= MIN_PREFIXED_ROOT
                && stem(word.substring(0, word.length() - 4)).equals(root);
    }

    private static boolean prefixed(String root, String word) {
        return prefix(root, word, NEGATING_PREFIXES) != null;
    }

    /**
     * The one of {@code prefixes} that makes {@code word} of {@code root} ("un" for "mount" /
     * "unmount"), or null; a root shorter than four letters has none ("put" / "input").
     */
    static String prefix(String root, String word, List<String> prefixes) {
        if (root.length() < MIN_PREFIXED_ROOT || word.length() <= root.length() || !word.endsWith(root)) {
            return null;
        }
        String prefix = word.substring(0, word.length() - root.length());
        return prefixes.contains(prefix) ? prefix : null;
    }

    /** The stems of some words, as a set: for lists kept in code. */
    static Set<String> stems(String... words) {
        Set<String> out = new HashSet<>();
        for (String w : words) {
            out.add(stem(w));
        }
        return Set.copyOf(out);
    }

    /** A word without its possessive "'s" ("Moon's" → "Moon"), as written with either apostrophe. */
    static String withoutPossessive(String token) {
        return token.endsWith("'s") || token.endsWith("\u2019s") ? token.substring(0, token.length() - 2) : token;
    }

    /** The stem of an owner's word without its apostrophe: "bride's" is stemmed "bride'", read as "bride". */
    static String unowned(String stem) {
        return stem.endsWith("'") || stem.endsWith("\u2019") ? stem(stem.substring(0, stem.length() - 1)) : stem;
    }

    /**
     * A crude suffix strip, enough to make enable/enabled/enables/enabling one key; it is only ever
     * compared with itself, so it need not produce real stems.
     */
    static String stem(String lower) {
        String s = lower;
        if (s.length() > 5 && s.endsWith("ing")) {
            s = s.substring(0, s.length() - 3);
        } else if (s.length() > 4 && s.endsWith("ed")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.length() > 3 && s.endsWith("s") && !s.endsWith("ss")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.length() > 3 && s.endsWith("e")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static Lexicon load() {
        Map<String, Set<String>> sections = new HashMap<>();
        String section = null;
        for (String line : lines("bound/match/words.txt")) {
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            if (section == null) {
                throw new IllegalStateException("bound/match/words.txt: words before the first [section]: " + line);
            }
            for (String w : line.split("\\s+")) {
                sections.computeIfAbsent(section, k -> new HashSet<>()).add(w.toLowerCase(Locale.ROOT));
            }
        }
        Map<String, Set<String>> opposites = new HashMap<>();
        Map<String, List<String>> listed = new java.util.TreeMap<>();
        for (String line : lines("bound/match/antonyms.txt")) {
            String[] w = line.split("\\s+");
            if (w.length != 2) {
                throw new IllegalStateException("bound/match/antonyms.txt: expected two words in: " + line);
            }
            listed.computeIfAbsent(w[0].toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(w[1].toLowerCase(Locale.ROOT));
            listed.computeIfAbsent(w[1].toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(w[0].toLowerCase(Locale.ROOT));
            String a = stem(w[0].toLowerCase(Locale.ROOT));
            String b = stem(w[1].toLowerCase(Locale.ROOT));
            opposites.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            opposites.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }
        return new Lexicon(Set.copyOf(sections.getOrDefault("negation", Set.of())),
                Set.copyOf(sections.getOrDefault("stopwords", Set.of())),
                Set.copyOf(sections.getOrDefault("software", Set.of())),
                Set.copyOf(sections.getOrDefault("software-everyday", Set.of())),
                Set.copyOf(sections.getOrDefault("software-context", Set.of())), Map.copyOf(opposites),
                java.util.Collections.unmodifiableMap(listed));
    }

    /** Non-blank lines with comments removed. */
    private static List<String> lines(String resource) {
        InputStream in = Lexicon.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " is missing (is the build incomplete?)");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .map(l -> l.indexOf('#') >= 0 ? l.substring(0, l.indexOf('#')) : l)
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + resource, e);
        }
    }
}
