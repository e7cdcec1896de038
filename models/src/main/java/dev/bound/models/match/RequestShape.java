package dev.bound.models.match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two veto flags for prompts that ask for the same thing in a different amount or the other way
 * round, which neither the vectors nor the constraint words see:
 *
 * <ul>
 *   <li>{@link #countMismatch}: "Give me 3 tips …" / "Give me 10 tips …", "In one sentence …" /
 *       "Using three sentences …", "… in about 50 words" / no word count.
 *   <li>{@link #comparisonSwap}: "What makes X better than Y?" / "What makes Y better than X?",
 *       "Why prefer debit cards to credit cards?" / "… credit cards to debit cards?", "Convert PDF
 *       to Word" / "Convert Word to PDF", "orders per customer" / "customers per order", "this
 *       Terraform config as a CloudFormation template" / the other way round.
 * </ul>
 *
 * <p>Both are vetoes only (never network inputs): a learned weight could not overrule a cosine
 * near 1, which these pairs have.
 */
final class RequestShape {

    /**
     * Nouns whose count shapes an answer: units of length and the items of a list. Kept to words
     * that, after a number, are almost always counted things; time and money units are left out
     * ("in 30 days", "under 10k" are as often part of the question as of its answer's shape).
     */
    private static final Set<String> COUNTED = Lexicon.stems("sentence", "word", "paragraph", "line",
            "bullet", "point", "step", "way", "reason", "idea", "tip", "example", "item", "thing", "fact",
            "question", "option", "name", "book", "movie", "film", "song", "place", "podcast", "exercise",
            "recipe", "sign", "benefit", "mistake", "rule", "tool", "app", "website", "habit", "skill",
            "quote", "joke", "story", "stories", "title", "slogan", "synonym", "destination", "activity",
            "activities", "game", "trick", "hack", "strategy", "strategies", "alternative");

    /** Words that put one side of a comparison or conversion before the other. */
    private static final Set<String> ORDERED = Set.of("than", "over", "to", "into", "instead",
            "rather", "from", "per", "as");

    /** Words before an "as" that make it compare: "the same as", "such as", "as well as". */
    private static final Set<String> COMPARING = Set.of("same", "such", "well", "just", "so", "twice");

    /**
     * Whether the "as" at {@code at} turns one thing into another ("rewrite this config as a
     * template"), not part of a comparison: "the same as", "such as", "as well as", "as fast as".
     */
    static boolean convertingAs(List<String> tokens, int at) {
        String before = at > 0 ? tokens.get(at - 1) : "";
        String after = at + 1 < tokens.size() ? tokens.get(at + 1) : "";
        if (COMPARING.contains(before) || after.equals("well")) {
            return false;
        }
        for (int k = Math.max(0, at - SIDE); k < at; k++) {
            if (tokens.get(k).equals("as")) {
                return false;
            }
        }
        for (int k = at + 1; k < Math.min(tokens.size(), at + 1 + SIDE); k++) {
            if (tokens.get(k).equals("as")) {
                return false;
            }
        }
        return true;
    }

    /** How far from its ordering word a side of a comparison may stand. */
    private static final int SIDE = 3;

    /** How many words may stand between a number and the noun it counts. */
    private static final int BETWEEN = 2;

    /** The largest count read as one: a larger number after it is a year or a size, not a count. */
    private static final int MAX_COUNT = 999;

    private RequestShape() {}

    /** 1 when the texts count some kind of thing differently, or only one of them counts it. */
    static double countMismatch(TextFeatures a, TextFeatures b) {
        return countsDiffer(a, b) || recountsDiffer(a, b) || amountsDiffer(a, b) || yearsDiffer(a, b) ? 1 : 0;
    }

    /** The years a text can name ("2016", "the 1920s"). */
    private static final int FIRST_YEAR = 1000;
    private static final int LAST_YEAR = 2199;

    /**
     * Whether both texts name years or decades and not the same ones: "What was life like in the
     * 1920s?" / "… in the 1950s?", "the best films of 2016" / "… of 2017".
     */
    private static boolean yearsDiffer(TextFeatures a, TextFeatures b) {
        Set<String> x = years(a.tokens);
        Set<String> y = years(b.tokens);
        return !x.isEmpty() && !y.isEmpty() && !x.equals(y);
    }

    private static Set<String> years(List<String> tokens) {
        Set<String> out = new HashSet<>();
        for (String token : tokens) {
            String digits = token.endsWith("s") ? token.substring(0, token.length() - 1) : token;
            if (digits.length() == 4 && digits.chars().allMatch(Character::isDigit)) {
                int year = Integer.parseInt(digits);
                if (year >= FIRST_YEAR && year <= LAST_YEAR) {
                    out.add(token);
                }
            }
        }
        return out;
    }

    private static final Set<String> SCALES = Set.of("hundred", "thousand", "million", "billion");

    /** Words that make the number before them an amount of money ("8,000 dollars", "50 bucks"). */
    private static final Set<String> MONEY = Set.of("dollar", "dollars", "usd", "euro", "euros", "eur",
            "pound", "pounds", "gbp", "yen", "jpy", "rupee", "rupees", "inr", "buck", "bucks", "cents",
            "francs", "pesos", "yuan", "rmb");

    /**
     * Whether both texts name amounts of money and not the same ones: "if my accounts total
     * $8,000" / "… $80,000". An amount is a number beside a currency sign or before a currency
     * word, with "k", "thousand" or "million" applied ("$50k" is "50,000 dollars").
     */
    private static boolean amountsDiffer(TextFeatures a, TextFeatures b) {
        Set<Double> x = amounts(a);
        Set<Double> y = amounts(b);
        return !x.isEmpty() && !y.isEmpty() && !x.equals(y);
    }

    private static Set<Double> amounts(TextFeatures t) {
        Set<Double> out = new HashSet<>();
        List<String> tokens = t.tokens;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String n = TextFeatures.number(token);
            if (n == null || n.isEmpty() || SCALES.contains(token)) {
                continue; // "thousand" in "eight thousand dollars" scales the number before it
            }
            double value;
            try {
                value = Double.parseDouble(n);
            } catch (NumberFormatException e) {
                continue;
            }
            String suffix = Character.isDigit(token.charAt(0)) ? token.substring(token.length() - 1) : "";
            int next = i + 1;
            String after = next < tokens.size() ? tokens.get(next) : "";
            if (suffix.equals("k") || after.equals("k") || after.equals("thousand")) {
                value *= 1_000;
            } else if (suffix.equals("m") || after.equals("million")) {
                value *= 1_000_000;
            }
            if (after.equals("k") || after.equals("thousand") || after.equals("million")) {
                next++;
            }
            if (t.signedAmounts.contains(i) || next < tokens.size() && MONEY.contains(tokens.get(next))) {
                out.add(value);
            }
        }
        return out;
    }

    /**
     * Whether a counted noun has another count in the other text, or a count in one text only,
     * unless the other text has the same number elsewhere ("2 multiple-choice quiz questions" /
     * "two multiple choice questions for a quiz": the noun stands too far from its number).
     */
    private static boolean countsDiffer(TextFeatures a, TextFeatures b) {
        Map<String, String> inA = counts(a.tokens, a.entities);
        Map<String, String> inB = counts(b.tokens, b.entities);
        for (Map.Entry<String, String> e : inA.entrySet()) {
            String other = inB.get(e.getKey());
            if (other == null ? !b.numbers.contains(e.getValue()) : !other.equals(e.getValue())) {
                return true;
            }
        }
        for (Map.Entry<String, String> e : inB.entrySet()) {
            if (!inA.containsKey(e.getKey()) && !a.numbers.contains(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether both texts count the same word, listed or not, with other numbers: "3 houseplants"
     * / "8 houseplants". The word is the first content word after the number; a count on one
     * side only is left to the listed nouns, since "in 30 days" is as often a rewording of "in a
     * month" as another request.
     */
    private static boolean recountsDiffer(TextFeatures a, TextFeatures b) {
        Map<String, Set<String>> inB = anyCounts(b);
        for (Map.Entry<String, Set<String>> e : anyCounts(a).entrySet()) {
            Set<String> other = inB.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The stem of the first content word after each count, to its counts ("3 years of experience
     * at 25 years old": year to 3 and 25).
     */
    private static Map<String, Set<String>> anyCounts(TextFeatures t) {
        Map<String, Set<String>> out = new HashMap<>();
        List<String> tokens = t.tokens;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            String token = tokens.get(i);
            // both texts must count the word, so "a single comic" / "four comics" may read "a
            // single" as 1 (not "every single night", nor "one", as often a pronoun)
            String n = token.equals("single") && i > 0 && tokens.get(i - 1).equals("a") ? "1" : TextFeatures.number(token);
            if (n == null || !isCount(n) || ordinal(token) || i > 0 && t.entities.contains(tokens.get(i - 1))) {
                continue;
            }
            for (int j = i + 1; j < tokens.size() && j <= i + 1 + BETWEEN; j++) {
                String w = tokens.get(j);
                if (TextFeatures.number(w) != null) {
                    break;
                }
                if (t.content.contains(w)) {
                    out.computeIfAbsent(Lexicon.stem(w), k -> new HashSet<>()).add(n);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * 1 when, in both texts, two content words stand just before and just after the same ordering
     * word (within {@value #SIDE} words of it), in the other order: the comparison or conversion
     * is reversed. The window keeps long statements, whose clauses move freely around a "to", out
     * of it.
     */
    static double comparisonSwap(TextFeatures a, TextFeatures b) {
        List<Side> inB = sides(b.tokens, onceEach(b));
        for (Side x : sides(a.tokens, onceEach(a))) {
            for (Side y : inB) {
                if (x.marker().equals(y.marker()) && x.before().equals(y.after()) && x.after().equals(y.before())) {
                    return 1;
                }
            }
        }
        return 0;
    }

    /** A content word just before an ordering word, the word, and a content word just after it. */
    private record Side(String before, String marker, String after) {
    }

    private static List<Side> sides(List<String> tokens, Map<String, Integer> once) {
        List<Side> out = new ArrayList<>();
        for (int m = 0; m < tokens.size(); m++) {
            if (!ORDERED.contains(tokens.get(m)) || tokens.get(m).equals("as") && !convertingAs(tokens, m)) {
                continue;
            }
            for (Map.Entry<String, Integer> x : once.entrySet()) {
                int before = m - x.getValue();
                if (before < 1 || before > SIDE) {
                    continue;
                }
                for (Map.Entry<String, Integer> y : once.entrySet()) {
                    int after = y.getValue() - m;
                    if (after >= 1 && after <= SIDE) {
                        out.add(new Side(x.getKey(), tokens.get(m), y.getKey()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Counted noun stem to its count, for each number followed by a counted noun within
     * {@value #BETWEEN} other words ("5 podcasts", "5 good history podcasts").
     */
    private static Map<String, String> counts(List<String> tokens, Set<String> names) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            // "one" and "single" are left out: "the single most …", "one thing people …" ask
            // for no amount; a number right after a name is a version ("Angular 2 books").
            String n = TextFeatures.number(tokens.get(i));
            if (n == null || !isCount(n) || ordinal(tokens.get(i)) || i > 0 && names.contains(tokens.get(i - 1))) {
                continue;
            }
            for (int j = i + 1; j < tokens.size() && j <= i + 1 + BETWEEN; j++) {
                String noun = Lexicon.stem(tokens.get(j));
                if (COUNTED.contains(noun)) {
                    out.put(noun, n);
                    break;
                }
            }
        }
        return out;
    }

    /** "2nd", "21st", "4th": a rank, not a count. */
    private static boolean ordinal(String token) {
        return token.matches("\\d+(st|nd|rd|th)");
    }

    private static boolean isCount(String n) {
        try {
            int v = Integer.parseInt(n);
            return v >= 1 && v <= MAX_COUNT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Content-word stems that occur exactly once in the text, with their position. */
    private static Map<String, Integer> onceEach(TextFeatures t) {
        Map<String, Integer> at = new HashMap<>();
        Set<String> repeated = new HashSet<>();
        for (int i = 0; i < t.tokens.size(); i++) {
            String token = t.tokens.get(i);
            if (!t.content.contains(token) || ORDERED.contains(token)) {
                continue;
            }
            String s = Lexicon.stem(token);
            if (at.putIfAbsent(s, i) != null) {
                repeated.add(s);
            }
        }
        repeated.forEach(at::remove);
        return at;
    }
}
