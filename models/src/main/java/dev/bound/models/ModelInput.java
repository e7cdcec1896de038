package dev.bound.models;

/**
 * What an embedding model reads of a text. A WordPiece model reads at most its first N tokens, yet
 * tokenizing a 4 MB prompt to find them takes seconds of a carrier thread. Every maximal run of
 * letters and digits, and every other character that is not white space, becomes at least one
 * token (the pre-tokenizer splits at white space and punctuation, and WordPiece never joins what
 * it split), so a prefix that ends after N + 1 such units, at a unit boundary, already holds more
 * than the model reads, and is tokenized into the same first N tokens as the whole text.
 */
public final class ModelInput {

    private ModelInput() {
    }

    /**
     * The shortest prefix of {@code text} that holds at least {@code maxTokens + 1} units, ending
     * after a whole unit; the text itself when it holds fewer. Costs time in the prefix's length
     * only.
     */
    public static String readable(String text, int maxTokens) {
        int units = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (Character.isWhitespace(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            if (Character.isLetterOrDigit(cp)) {
                while (i < n && Character.isLetterOrDigit(text.codePointAt(i))) {
                    i += Character.charCount(text.codePointAt(i));
                }
            } else {
                i += Character.charCount(cp);
            }
            units++;
            if (units > maxTokens) {
                return text.substring(0, i);
            }
        }
        return text;
    }
}
