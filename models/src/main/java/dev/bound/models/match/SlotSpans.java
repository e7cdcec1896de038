package dev.bound.models.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two prompts that share their wording but for one slot, where the slot is the kind of place a
 * request puts its constraints: after "for" or "to" (an audience), after "I'm a" (the asker),
 * after a comma, a dash or a sentence of its own (a tone, a length), after "Write a" and the
 * like (the kind of text), or
 * before "voice" or "tone". "Explain renters insurance
 * for a first-time renter." / "… for an insurance claims adjuster." is one; "What is the best way
 * to learn French?" / "What is the easiest way to learn French?" is not, since its slot neither
 * follows such a word nor ends the request.
 *
 * <p>The word lists cannot name every audience or tone ("someone who rides to work twice a week"
 * / "a certified professional bike fitter"), so {@link VerifiedMatcher} embeds the two slots and
 * refuses the pair when they mean different things. A slot is found only where both sides have a
 * content word in it and the frame around it is at least {@link #FRAME} of the longer prompt.
 * Immutable helpers; thread-safe.
 */
final class SlotSpans {

    /** The two slots, in the order the texts were given, as their words joined by spaces. */
    record Slots(String first, String second) {}

    /** The least share of the longer prompt's tokens that the frame around the slot covers. */
    static final double FRAME = 0.3;

    /** Words and the punctuation that can open or close a slot, each a token of its own. */
    private static final Pattern TOKEN = Pattern.compile(
            "[\\p{L}\\p{N}'/+#.-]*[\\p{L}\\p{N}]|[,;:?!.\\u2013\\u2014]|(?<=\\s)-(?=\\s)");
    private static final Set<String> ARTICLES = Set.of("a", "an");
    private static final Set<String> PUNCTUATION = Set.of(",", ";", ":", "?", "!", ".", "-", "\u2013", "\u2014");

    /** The words after which a slot opens, besides punctuation: an audience, a tone, a form. */
    private static final Set<String> OPENERS = Set.of("for", "to", "into", "at", "toward", "towards", "like",
            "as", "sound", "sounding");
    /**
     * Verbs that ask for a text, after which a slot opens past an article: "Write a warm, fun
     * welcome message" / "Write a strictly professional welcome message", "Draft a heartfelt
     * speech". Without the article the words after the verb are the request's topic ("Explain
     * recursion"). Narrower than {@code ConstraintWords.PRODUCERS}: after "explain", "describe" or
     * "tell" an article opens the topic too ("Explain a mortgage").
     */
    private static final Set<String> PRODUCERS = Set.of("write", "rewrite", "draft", "compose", "create",
            "craft", "generate", "produce", "prepare");
    /**
     * What may follow a slot: the end of the request, the end of a sentence that is not a
     * question, or a word that names what the slot describes ("in a cozy voice", "in a blunt,
     * critical way").
     */
    private static final Set<String> CLOSERS = Set.of(".", "!", "voice", "tone", "style", "manner", "register", "way");
    /**
     * Of those, the ones that close a slot only after "in": "in a blunt, critical way", not "the
     * easiest way to quit", which Quora asks as a duplicate of "the best way".
     */
    private static final Set<String> AFTER_IN = Set.of("way");
    /** Words of degree before a slot, skipped on the way back to its opener: "sound more empathetic". */
    private static final Set<String> DEGREE = Set.of("more", "less", "very", "really", "quite", "slightly", "extra",
            "bit", "little");

    private SlotSpans() {}

    /** The slots in which the two texts differ, or null when they do not differ in one slot. */
    static Slots of(String a, String b) {
        return of(tokens(a), tokens(b));
    }

    /** How many tokens two texts share at their start, and then at their end. */
    record Frame(int prefix, int suffix) {

        static Frame of(List<String> x, List<String> y) {
            int prefix = 0;
            while (prefix < x.size() && prefix < y.size() && x.get(prefix).equals(y.get(prefix))) {
                prefix++;
            }
            int suffix = 0;
            while (suffix < x.size() - prefix && suffix < y.size() - prefix
                    && x.get(x.size() - 1 - suffix).equals(y.get(y.size() - 1 - suffix))) {
                suffix++;
            }
            return new Frame(prefix, suffix);
        }

        /** The tokens of one of the two texts between the shared start and the shared end: where the texts differ. */
        List<String> middle(List<String> tokens) {
            return tokens.subList(prefix, tokens.size() - suffix);
        }

        /** As {@link #of}, with words of one stem taken as the same: "tables" / "a table". */
        static Frame ofStems(List<String> x, List<String> y) {
            return of(x.stream().map(Lexicon::stem).toList(), y.stream().map(Lexicon::stem).toList());
        }
    }

    /** As {@link #of(String, String)}, on the texts' {@link #tokens}. */
    static Slots of(List<String> x, List<String> y) {
        Frame frame = Frame.of(x, y);
        int prefix = frame.prefix();
        // "Draft an urgent, emotional appeal" / "Draft a calm, fact-based appeal": the article
        // agrees with the slot's first word, so the slot opens after the verb all the same
        int opening = prefix < x.size() && prefix < y.size() && ARTICLES.contains(x.get(prefix))
                && ARTICLES.contains(y.get(prefix)) ? prefix + 1 : prefix;
        int suffix = frame.suffix();
        if (prefix + suffix < FRAME * Math.max(x.size(), y.size())) {
            return null;
        }
        List<String> inX = frame.middle(x);
        List<String> inY = frame.middle(y);
        if (!hasContent(inX) || !hasContent(inY)) {
            return null;
        }
        if (!opens(x, opening) && !closes(x, prefix, x.size() - suffix)) {
            return null;
        }
        return new Slots(words(inX), words(inY));
    }

    private static boolean opens(List<String> tokens, int at) {
        int i = wordBefore(tokens, at);
        if (i < 0) {
            return false; // a slot at the very start is the request's own wording
        }
        String before = tokens.get(i);
        return OPENERS.contains(before) || PUNCTUATION.contains(before)
                || PRODUCERS.contains(before) && i < at - 1 || introduced(tokens, i);
    }

    /**
     * Whether the asker says who they are just before the slot: "I'm a professional patternmaker"
     * / "I'm a hobbyist who just bought my first sewing pattern", "I am a nurse": the reader
     * the answer is for.
     */
    private static boolean introduced(List<String> tokens, int i) {
        String w = tokens.get(i);
        return w.equals("i'm") || w.equals("am") && i > 0 && tokens.get(i - 1).equals("i");
    }

    private static boolean closes(List<String> tokens, int from, int at) {
        if (at == tokens.size()) {
            return true;
        }
        String closer = tokens.get(at);
        if (!AFTER_IN.contains(closer)) {
            return CLOSERS.contains(closer);
        }
        int i = wordBefore(tokens, from);
        return i >= 0 && tokens.get(i).equals("in");
    }

    /**
     * The index of the word before {@code at} that may open a slot, skipping articles and the like
     * and words of degree: "for a first-time renter" opens at "for", "to sound more empathetic"
     * at "sound"; -1 when there is none.
     */
    private static int wordBefore(List<String> tokens, int at) {
        int i = at - 1;
        while (i >= 0 && (RequestShape.DETERMINERS.contains(tokens.get(i)) || DEGREE.contains(tokens.get(i)))) {
            i--;
        }
        return i;
    }

    private static boolean hasContent(List<String> span) {
        for (String t : span) {
            if (!PUNCTUATION.contains(t) && !Lexicon.DEFAULT.isStopword(t)) {
                return true;
            }
        }
        return false;
    }

    private static String words(List<String> span) {
        StringBuilder out = new StringBuilder();
        for (String t : span) {
            if (!PUNCTUATION.contains(t)) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(t);
            }
        }
        return out.toString();
    }

    /** The lower-cased words and slot-bounding punctuation of a text, in order. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return List.copyOf(out);
    }
}
