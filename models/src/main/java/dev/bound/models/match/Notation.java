package dev.bound.models.match;

/**
 * Superscript and subscript characters, which carry meaning that their plain digits and letters
 * do not: "x²" is x squared, "x2" a variable's name; "CO₂" and "CO2" are read alike by people but
 * "2³" and "23" are not. Unicode's compatibility forms (NFKC) fold them into plain characters, and
 * the embedding models barely see them, so the exact key and the verifier both ask here.
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
}
