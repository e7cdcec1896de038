package dev.bound.models.match;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Superscript and subscript characters, which carry meaning that their plain digits and letters
 * do not: "x²" is x squared, "x2" a variable's name; "CO₂" and "CO2" are read alike by people but
 * "2³" and "23" are not. Unicode's compatibility forms (NFKC) fold them into plain characters, and
 * the embedding models barely see them, so the exact key and the verifier both ask here. Also
 * code put between backticks, where one changed character is another program ("`int* const p`"
 * / "`int const* p`") and the words around it are the same.
 */
public final class Notation {

    private Notation() {
    }

    /** Whether {@code ch} is a superscript or subscript character (², ³, ¹, and U+2070 to U+209F). */
    private static boolean isScript(char ch) {
        return ch == '\u00B2' || ch == '\u00B3' || ch == '\u00B9' || (ch >= '\u2070' && ch <= '\u209F');
    }

    /** The index of the first superscript or subscript character of {@code s} from {@code from}, or -1. */
    public static int firstScript(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (isScript(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The superscript characters of {@code s}, in order; empty when it has none. Only these: a
     * superscript is an exponent or a power ("x²", "2³", "10⁻⁶"), and its plain digit means
     * something else, while a subscript is an index or a count of atoms that people type as a
     * plain digit for the same thing ("x₁" and "x1", "CO₂" and "CO2").
     */
    static String superscripts(String s) {
        StringBuilder out = null;
        for (int at = firstScript(s, 0); at >= 0; at = firstScript(s, at + 1)) {
            char ch = s.charAt(at);
            if (ch <= '\u207F') {
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(ch);
            }
        }
        return out == null ? "" : out.toString();
    }

    /**
     * A bracketed part of a formula ({@link #writesFormula}): brackets around a digit, an operator
     * or a letter standing alone ("ln(x^2)", "(ln x)^2", "(a+b)"), not around words only ("What
     * should men do (and not do)").
     */
    private static final Pattern FORMULA_GROUP = Pattern.compile(
            "[(\\[][^()\\[\\]]*(?:[0-9^+*/=<>]|\\b\\p{L}\\b)[^()\\[\\]]*[)\\]]");
    private static final Pattern NOT_GROUPING = Pattern.compile("[^\\p{L}\\p{N}()\\[\\]]+");

    /**
     * The letters, digits and brackets of {@code s} in order, lower-cased, where it writes a
     * bracket; null where it writes none. Two texts of the same words whose brackets stand
     * elsewhere in a formula ({@link #writesFormula}) ask about another expression: "the
     * derivative of ln(x^2)" / "… of (ln x)^2", "(a+b)^2" / "a+b^2".
     */
    static String grouping(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == ')' || c == '[' || c == ']') {
                return NOT_GROUPING.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("");
            }
        }
        return null;
    }

    /**
     * Whether {@code s} writes a bracketed part of a formula. Brackets around words are asides,
     * put in or left out alike ("universities (British)" / "British universities").
     */
    static boolean writesFormula(String s) {
        return FORMULA_GROUP.matcher(s).find();
    }

    /**
     * Code put between backticks, one or three: "`dict.get(key)`", "```int const* p```". Not two,
     * which open a quotation that two apostrophes close in text typeset the TeX way ("`` Obey
     * Alone ''", as PAWS writes its titles).
     */
    static final Pattern CODE = Pattern.compile("(?<!`)(`|```)(?!`)([^`]+)\\1(?!`)");

    /**
     * The pieces of code of {@code s} put between backticks, each with its runs of white space
     * made one space; empty when it has none.
     */
    static Set<String> codeSpans(String s) {
        if (s.indexOf('`') < 0) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        Matcher m = CODE.matcher(s);
        while (m.find()) {
            String code = m.group(2).strip().replaceAll("\\s+", " ");
            if (!code.isEmpty()) {
                out.add(code);
            }
        }
        return Set.copyOf(out);
    }

    /**
     * A name read through a sigil: a make function or variable ("$(call", "$(MAKE"), a shell or
     * template variable ("${HOME", "$name") or a special parameter ("$@", "$<", "$?"). Not a sum
     * of money ("$500"), and not a placeholder inside a longer word ("bg-${color}-500", where
     * the name is the writer's own and another writer picks another).
     */
    private static final Pattern SIGIL = Pattern.compile(
            "\\$\\(([A-Za-z_][\\w-]*)|(?<![\\w-])\\$\\{([A-Za-z_]\\w*)|\\$([A-Za-z_]\\w*)|\\$([@<^?*#%+])");

    /**
     * The names {@code s} reads through a sigil ({@link #SIGIL}), lower-cased, with the sigil's
     * first character ("$") and, for a make call, its bracket: "$(call", "$name", "$@". Empty
     * for most texts.
     */
    static Set<String> sigilNames(String s) {
        if (s.indexOf('$') < 0) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        Matcher m = SIGIL.matcher(s);
        while (m.find()) {
            if (m.group(1) != null) {
                out.add("$(" + m.group(1).toLowerCase(Locale.ROOT));
            } else if (m.group(2) != null) {
                out.add("$" + m.group(2).toLowerCase(Locale.ROOT));
            } else if (m.group(3) != null) {
                out.add("$" + m.group(3).toLowerCase(Locale.ROOT));
            } else {
                out.add("$" + m.group(4));
            }
        }
        return Set.copyOf(out);
    }

    /** {@code s} with each piece of code between backticks put out. */
    static String withoutCode(String s) {
        return s.indexOf('`') < 0 ? s : CODE.matcher(s).replaceAll(" ");
    }
}
