package dev.bound.models.match;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;
import dev.bound.models.ModelInput;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether the primary embedding model can represent a text well enough for a semantic
 * hit. An English model maps most foreign text to a few generic directions, so two unrelated
 * Russian or Chinese prompts can look alike; such prompts should get exact hits only. Three checks,
 * any of which refuses: letters outside the model's scripts, word pieces the vocabulary does not
 * know ([UNK]), and words shattered into many pieces. Thread-safe; holds a native tokenizer until
 * {@link #close()}.
 */
public final class LanguageGuard implements AutoCloseable {

    /** The scripts of the built-in English models. */
    public static final Set<Character.UnicodeScript> LATIN = Set.of(Character.UnicodeScript.LATIN);
    /** Refuse when more than this share of the letters is in other scripts (a quoted foreign word is fine). */
    public static final double MAX_FOREIGN_LETTERS = 0.3;
    /** Refuse when more than this share of the word pieces is unknown to the vocabulary (a stray emoji is fine). */
    public static final double MAX_UNKNOWN = 0.15;
    /**
     * Refuse when words average more pieces than this. English in the shared data: median 1.0 to
     * 1.15, 99.9th percentile 1.75 to 2.0; German 2.3, Polish 3.9, Turkish 4.0, Russian 5.1.
     */
    public static final double MAX_PIECES_PER_WORD = 2.0;
    /** The fragmentation check needs this many words to mean anything. */
    public static final int MIN_WORDS_FOR_FRAGMENTATION = 4;
    private static final int MAX_TOKENS = 512;

    private final HuggingFaceTokenizer tokenizer;
    private final Set<Character.UnicodeScript> scripts;
    /** The tokens the model reads; a longer text is judged by what it reads. */
    private final int maxTokens;

    /**
     * The outcome for one text.
     *
     * @param allowed whether a semantic hit may be served
     * @param reason why not, or {@code "ok"}
     * @param foreignLetterShare share of letters outside the model's scripts
     * @param unknownShare share of word pieces that are [UNK]
     * @param piecesPerWord word pieces per word
     */
    public record Verdict(boolean allowed, String reason, double foreignLetterShare, double unknownShare,
            double piecesPerWord) {
    }

    private LanguageGuard(HuggingFaceTokenizer tokenizer, Set<Character.UnicodeScript> scripts, int maxTokens) {
        this.tokenizer = tokenizer;
        this.scripts = Set.copyOf(scripts);
        this.maxTokens = maxTokens;
    }

    /** A guard for one of the built-in English models (Latin script), or a custom model assumed to be English. */
    public static LanguageGuard open(EmbeddingModelSpec spec, Path cacheDir) {
        return open(spec, cacheDir, LATIN);
    }

    /**
     * A guard for a model trained on the given scripts.
     *
     * @throws IllegalArgumentException if {@code scripts} is empty
     * @throws IllegalStateException if the model's tokenizer cannot be loaded
     */
    public static LanguageGuard open(EmbeddingModelSpec spec, Path cacheDir, Set<Character.UnicodeScript> scripts) {
        Objects.requireNonNull(scripts, "scripts");
        if (scripts.isEmpty()) {
            throw new IllegalArgumentException("a language guard needs at least one script");
        }
        Path file = Embedders.tokenizerFile(spec, cacheDir);
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optPadding(false)
                    .optTruncation(true)
                    .optMaxLength(MAX_TOKENS)
                    .build();
            return new LanguageGuard(tokenizer, scripts, spec.maxTokens());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the tokenizer of embedding model '" + spec.name() + "' from "
                    + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether a semantic hit may be served for this text; see {@link #check} for the reason. */
    public boolean semanticAllowed(String text) {
        return check(text).allowed();
    }

    /** All three checks, with the figures behind them, on what the model reads of the text. */
    public Verdict check(String whole) {
        Objects.requireNonNull(whole, "text");
        String text = ModelInput.readable(whole, maxTokens);
        Map<Character.UnicodeScript, Integer> foreign = new EnumMap<>(Character.UnicodeScript.class);
        int letters = 0;
        int foreignLetters = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            letters++;
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (!scripts.contains(script) && script != Character.UnicodeScript.COMMON
                    && script != Character.UnicodeScript.INHERITED) {
                foreignLetters++;
                foreign.merge(script, 1, Integer::sum);
            }
        }
        double foreignShare = letters == 0 ? 0 : (double) foreignLetters / letters;

        Encoding encoding = tokenizer.encode(text, false, false);
        String[] tokens = encoding.getTokens();
        int unknown = 0;
        for (String t : tokens) {
            if (t.equals("[UNK]")) {
                unknown++;
            }
        }
        int words = words(tokens);
        double unknownShare = tokens.length == 0 ? 0 : (double) unknown / tokens.length;
        double piecesPerWord = piecesPerWord(tokens);

        String reason = "ok";
        if (foreignShare > MAX_FOREIGN_LETTERS) {
            Character.UnicodeScript main = foreign.entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            reason = String.format(Locale.ROOT, "%.0f%% of letters are %s, a script the model was not trained on",
                    100 * foreignShare, main);
        } else if (unknownShare > MAX_UNKNOWN) {
            reason = String.format(Locale.ROOT, "%.0f%% of word pieces are unknown to the model", 100 * unknownShare);
        } else if (words >= MIN_WORDS_FOR_FRAGMENTATION && piecesPerWord > MAX_PIECES_PER_WORD) {
            double prose = piecesPerProseWord(text);
            if (!Double.isNaN(prose)) {
                piecesPerWord = prose;
                reason = String.format(Locale.ROOT, "words split into %.1f pieces on average: likely a language the model was not trained on",
                        piecesPerWord);
            }
        }
        return new Verdict(reason.equals("ok"), reason, foreignShare, unknownShare, piecesPerWord);
    }

    /**
     * Word pieces per word of {@code text} without the words that name code or software, or NaN
     * when fewer than {@value #MIN_WORDS_FOR_FRAGMENTATION} words are left or they split into no
     * more than {@value #MAX_PIECES_PER_WORD} pieces on average. The uncased English vocabulary
     * shatters identifiers ("combineLatest" into six pieces, "withDeadlineAfter", "build.gradle.kts")
     * and the names of tools ("nginx", "sqlalchemy", "pydantic") as it shatters Turkish, so a
     * terse developer question ("rxjs combineLatest vs forkJoin") read as a foreign language. Only
     * the words left decide; it can only allow what the whole text refused.
     */
    private double piecesPerProseWord(String text) {
        StringBuilder prose = new StringBuilder(text.length());
        for (String word : text.split("\\s+")) {
            if (!namesCode(word)) {
                prose.append(word).append(' ');
            }
        }
        String[] tokens = tokenizer.encode(prose.toString(), false, false).getTokens();
        double perWord = piecesPerWord(tokens);
        return words(tokens) >= MIN_WORDS_FOR_FRAGMENTATION && perWord > MAX_PIECES_PER_WORD ? perWord : Double.NaN;
    }

    /** Words among word pieces: each piece that opens one and holds a letter or digit. */
    private static int words(String[] tokens) {
        int words = 0;
        for (String t : tokens) {
            if (!t.startsWith("##") && hasLetterOrDigit(t)) {
                words++;
            }
        }
        return words;
    }

    /** Word pieces per word: the {@link #words} and the pieces that continue one. */
    private static double piecesPerWord(String[] tokens) {
        int words = words(tokens);
        int pieces = words;
        for (String t : tokens) {
            if (t.startsWith("##")) {
                pieces++;
            }
        }
        return words == 0 ? 0 : (double) pieces / words;
    }

    /**
     * Whether a word, stripped of the punctuation around it, is written as code (a capital after a
     * small letter or opening a word after another capital, a digit, an underscore, a point or another mark inside: "forkJoin", "libx264",
     * "histogram_quantile", "pyproject.toml") or is the name of a piece of software ({@link
     * Lexicon#software}: "nginx", "pandas"). Hyphens and apostrophes are a language's own.
     */
    static boolean namesCode(String word) {
        int from = 0;
        int to = word.length();
        while (from < to && !Character.isLetterOrDigit(word.charAt(from))) {
            from++;
        }
        while (to > from && !Character.isLetterOrDigit(word.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return false;
        }
        String core = word.substring(from, to);
        for (int i = 0; i < core.length(); i++) {
            char c = core.charAt(i);
            // a capital after a small letter, or a capital that opens a word after another ("IEnumerable")
            if (i > 0 && Character.isUpperCase(c) && (Character.isLowerCase(core.charAt(i - 1))
                    || Character.isUpperCase(core.charAt(i - 1)) && i + 1 < core.length()
                            && Character.isLowerCase(core.charAt(i + 1)))
                    || !Character.isLetter(c) && c != '-' && c != '\'' && c != '\u2019') {
                return true;
            }
        }
        return Lexicon.DEFAULT.software(core.toLowerCase(Locale.ROOT));
    }

    private static boolean hasLetterOrDigit(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isLetterOrDigit(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
