package dev.bound.models.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the lexical features need from one text, computed once so that a stored prompt can be
 * compared with many queries: words in order, their stems, numbers, likely names, negations.
 */
final class TextFeatures {

    private static final Map<String, String> NUMBER_WORDS = numberWords();

    /** Lower-cased word tokens in text order. */
    final List<String> tokens;
    final Set<String> tokenSet;
    /** Tokens that are not stopwords. */
    final Set<String> content;
    /** Adjacent token pairs, with start and end markers so that the first and last words count too. */
    final Set<String> bigrams;
    final Set<String> stems;
    /** How many tokens have each stem, an owner counted as its word ("bride's" as "bride"; {@link Lexicon#unowned}). */
    final Map<String, Integer> stemCounts;
    /** Numbers written with digits or as words, normalised ("1,000" and "1000"; "three" and "3"). */
    final Set<String> numbers;
    /** Lower-cased tokens that look like names: capitalised inside a sentence, all-caps, or mixing letters and digits. */
    final Set<String> entities;
    final int negations;
    /**
     * Currencies and temperature scales written as a sign beside a number ("$8,000", "500€",
     * "25°C"), as the word that names each ("¥" is left out: it is the yen's sign and the yuan's).
     */
    final Set<String> signs;
    /** Indexes of the number tokens written right after or before a currency sign ("$8,000", "500€"). */
    final Set<Integer> signedAmounts;
    /** Indexes of the tokens joined to the one before by a hyphen ("budget-friendly": the second). */
    final Set<Integer> hyphenated;
    /** Indexes of the tokens joined to the one before by an underscore ("max_tokens": the second). */
    final Set<Integer> underscored;
    /** Indexes of the tokens joined to the one before by a point: "package.json", "com.example.app" (the second and third). */
    final Set<Integer> dotted;
    /** Times of day the text names, in minutes after midnight: "8:00 am" 480, "9:30pm" 1290, "14:45" 885, "noon" 720. */
    final Set<Integer> clockTimes;
    /** "8:00", "9:30 pm", "7 a.m.", "11am": an hour with minutes, or with a half of the day, or both. */
    private static final Pattern CLOCK = Pattern.compile(
            "(?<![\\d:.])(\\d{1,2})(?::(\\d{2}))?\\s*([ap])\\.?m\\b\\.?|(?<![\\d:.])(\\d{1,2}):(\\d{2})(?![\\d:])",
            Pattern.CASE_INSENSITIVE);
    private static final Map<Integer, String> CURRENCY_SIGNS = Map.of((int) '$', "dollar",
            (int) '\u20ac', "euro", (int) '\u00a3', "sterling", (int) '\u20b9', "rupee");
    /** Index of the first token of each sentence (split at . ? ! : ; and line breaks), in order; never empty for a text with tokens. */
    final List<Integer> sentenceStarts;
    /** Indexes of the tokens that open a clause after a comma, a semicolon or a dash ("…, with a recipe"). */
    final Set<Integer> clauseStarts;
    /** Where the sentences that end in a question mark end: the index of the token after each. */
    final Set<Integer> questionEnds;
    /** The superscript characters of the text, in order ({@link Notation#superscripts}). */
    final String superscripts;
    /** The text's letters, digits and brackets ({@link Notation#grouping}); null if it writes no bracket. */
    final String grouping;
    /** Whether the text writes a bracketed part of a formula ({@link Notation#writesFormula}). */
    final boolean formula;
    /** The pieces of code put between backticks ({@link Notation#codeSpans}); empty for most texts. */
    final Set<String> code;
    /** The names the text reads through a sigil ({@link Notation#sigilNames}): "$(call", "$home", "$@". */
    final Set<String> sigils;
    /** The tokens of the text with its code put out; {@link #tokens} when it has none. */
    final List<String> prose;
    /**
     * Indexes of the tokens that belong to a word written as code ({@link #writtenAsCode}):
     * "stream.pipe", "delete_queue", "acks=1", "--release", "useEffect", "/var/www".
     */
    final Set<Integer> codeWritten;
    /**
     * The part of {@link #codeWritten} marked as code by more than its case or a point: a flag, an
     * underscore, a setting, a call, a path, "::" or "->" ({@link #CODE_MARKED}). "UberX",
     * "iPhone" and "Bootstrap.js" are names of products as often as of code.
     */
    final Set<Integer> codeMarked;
    /**
     * The runs of operator characters the text writes ({@link #OPERATORS}), in order: "->>",
     * "%%", "++", "#" ({@link #symbols(String)} says which runs are left out).
     */
    final List<String> symbols;

    /**
     * The indices of the tokens written inside quotes: "fails with 'model not found'", a message
     * or a label given word for word ({@link #QUOTED} says which quotes count).
     */
    final Set<Integer> quoted;

    private TextFeatures(List<String> tokens, Set<String> entities, List<Integer> sentenceStarts,
            Set<Integer> clauseStarts, Set<Integer> questionEnds, Set<String> signs, Set<Integer> signedAmounts,
            Set<Integer> hyphenated, Set<Integer> underscored, Set<Integer> dotted, Set<Integer> clockTimes, String superscripts,
            String grouping, boolean formula, Set<String> code, List<String> prose, Set<Integer> codeWritten,
            Set<Integer> codeMarked, List<String> symbols, Set<String> sigils, Set<Integer> quoted, Lexicon lexicon) {
        this.tokens = List.copyOf(tokens);
        this.quoted = Set.copyOf(quoted);
        this.sigils = sigils;
        this.codeWritten = Set.copyOf(codeWritten);
        this.codeMarked = Set.copyOf(codeMarked);
        this.symbols = symbols;
        this.superscripts = superscripts;
        this.grouping = grouping;
        this.formula = formula;
        this.code = code;
        this.prose = prose == null ? this.tokens : prose;
        this.clockTimes = Set.copyOf(clockTimes);
        this.clauseStarts = Set.copyOf(clauseStarts);
        this.questionEnds = Set.copyOf(questionEnds);
        this.signedAmounts = Set.copyOf(signedAmounts);
        this.signs = Set.copyOf(signs);
        this.hyphenated = Set.copyOf(hyphenated);
        this.underscored = Set.copyOf(underscored);
        this.dotted = Set.copyOf(dotted);
        this.sentenceStarts = List.copyOf(sentenceStarts);
        this.tokenSet = Set.copyOf(tokens);
        Set<String> contentWords = new HashSet<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> numberSet = new HashSet<>();
        int negationCount = 0;
        for (String t : tokens) {
            if (!lexicon.isStopword(t)) {
                contentWords.add(t);
            }
            if (lexicon.isNegation(t)) {
                negationCount++;
            }
            counts.merge(Lexicon.stem(t), 1, Integer::sum);
            String number = number(t);
            if (number != null) {
                numberSet.add(number);
            }
        }
        Set<String> pairs = new HashSet<>();
        String previous = "<s>";
        for (String t : tokens) {
            pairs.add(previous + ' ' + t);
            previous = t;
        }
        pairs.add(previous + " </s>");
        this.content = Set.copyOf(contentWords);
        this.bigrams = Set.copyOf(pairs);
        this.stems = Set.copyOf(counts.keySet());
        Map<String, Integer> owners = new HashMap<>();
        counts.forEach((stem, n) -> owners.merge(Lexicon.unowned(stem), n, Integer::sum));
        this.stemCounts = Map.copyOf(owners);
        this.numbers = Set.copyOf(numberSet);
        this.entities = Set.copyOf(entities);
        this.negations = negationCount;
    }

    static TextFeatures of(String text) {
        return of(text, Lexicon.DEFAULT);
    }

    /** The name-like tokens of a text as written (capitalised, letters only), for making contrast pairs. */
    static List<String> namesAsWritten(String text) {
        List<String> out = new ArrayList<>();
        boolean sentenceStart = true;
        for (String raw : text.split("[\\s]+")) {
            String word = raw.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
            if (!word.isEmpty() && word.chars().allMatch(Character::isLetter) && word.length() >= 3
                    && looksLikeName(word, sentenceStart)) {
                out.add(word);
            }
            if (!raw.isEmpty()) {
                char last = raw.charAt(raw.length() - 1);
                sentenceStart = last == '.' || last == '?' || last == '!' || last == ':';
            }
        }
        return out;
    }

    static TextFeatures of(String text, Lexicon lexicon) {
        List<String> tokens = new ArrayList<>();
        Set<String> entities = new HashSet<>();
        List<Integer> starts = new ArrayList<>();
        Set<String> signs = new HashSet<>();
        Set<Integer> hyphenated = new HashSet<>();
        Set<Integer> underscored = new HashSet<>();
        Set<Integer> dotted = new HashSet<>();
        Set<Integer> signedAmounts = new HashSet<>();
        Set<Integer> clauses = new HashSet<>();
        Set<Integer> questionEnds = new HashSet<>();
        Set<Integer> codeWritten = new HashSet<>();
        Set<Integer> codeMarked = new HashSet<>();
        byte[] inCode = codeCharacters(text);
        List<Integer> tokenStarts = new ArrayList<>();
        boolean sentenceStart = true;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                String currency = CURRENCY_SIGNS.get(cp);
                // "$8,000" or "8000€", not "$HOME"
                boolean before = i + 1 < n && Character.isDigit(text.charAt(i + 1));
                boolean after = i > 0 && Character.isDigit(text.charAt(i - 1));
                if (currency != null && (before || after)) {
                    signs.add(currency);
                    // the amount is the next token ("$8,000") or the one just read ("500€")
                    signedAmounts.add(before ? tokens.size() : tokens.size() - 1);
                }
                if (cp == '\u00b0' && i > 0 && Character.isDigit(text.charAt(i - 1)) && i + 1 < n) {
                    char scale = Character.toLowerCase(text.charAt(i + 1));
                    boolean alone = i + 2 >= n || !Character.isLetter(text.charAt(i + 2));
                    if (alone && (scale == 'c' || scale == 'f')) {
                        signs.add(scale == 'c' ? "celsius" : "fahrenheit");
                    }
                }
                // not the colon or point of "7:30" or "3.5", nor the point of ".gz" or "Node.js"
                boolean inNumber = (cp == '.' || cp == ':') && after && before
                        || cp == '.' && i + 1 < n && Character.isLetter(text.charAt(i + 1));
                // a semicolon joins two sentences ("… for my family; my dad uses a wheelchair")
                if ((cp == '.' || cp == '?' || cp == '!' || cp == ':' || cp == ';' || cp == '\n') && !inNumber) {
                    sentenceStart = true;
                }
                if (cp == '?') {
                    questionEnds.add(tokens.size());
                }
                // not a bracket: "(also referred to as female circumcision)" is an aside
                if (cp == ',' || cp == ';' || cp == '\u2013' || cp == '\u2014'
                        || cp == '-' && i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
                    clauses.add(tokens.size());
                }
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            tokenStarts.add(start);
            if (inCode[start] != NOT_CODE) {
                codeWritten.add(tokens.size());
            }
            if (inCode[start] == CODE_MARKED) {
                codeMarked.add(tokens.size());
            }
            if (start >= 2 && text.charAt(start - 1) == '-' && Character.isLetterOrDigit(text.charAt(start - 2))) {
                hyphenated.add(tokens.size());
            }
            if (start >= 2 && text.charAt(start - 1) == '_' && Character.isLetterOrDigit(text.charAt(start - 2))) {
                underscored.add(tokens.size());
            }
            if (start >= 2 && text.charAt(start - 1) == '.' && Character.isLetterOrDigit(text.charAt(start - 2))) {
                dotted.add(tokens.size());
            }
            while (i < n) {
                int c = text.codePointAt(i);
                if (Character.isLetterOrDigit(c)) {
                    i += Character.charCount(c);
                } else if (joins(text, i, c)) {
                    i += Character.charCount(c);
                } else {
                    break;
                }
            }
            String raw = text.substring(start, i);
            String lower = raw.toLowerCase(Locale.ROOT);
            tokens.add(lower);
            if (looksLikeName(raw, sentenceStart)) {
                entities.add(lower);
            }
            if (sentenceStart) {
                starts.add(tokens.size() - 1);
            }
            sentenceStart = false;
        }
        Set<String> code = Notation.codeSpans(text);
        return new TextFeatures(tokens, entities, starts, clauses, questionEnds, signs, signedAmounts, hyphenated, underscored, dotted,
                clockTimes(text), Notation.superscripts(text), Notation.grouping(text),
                Notation.writesFormula(text), code,
                code.isEmpty() ? null : of(Notation.withoutCode(text), lexicon).tokens, codeWritten, codeMarked, symbols(text),
                Notation.sigilNames(text), quotedTokens(text, tokenStarts), lexicon);
    }

    /**
     * A span in straight or curly double quotes, or in single quotes that no letter or digit
     * touches on the outside (so "don't … it's" is no span), at least four characters long. The
     * doubled quotes of text set for TeX ("`` Do Over ''") open no span. Code between backticks is
     * read with {@link Notation#CODE}.
     */
    private static final Pattern QUOTED = Pattern.compile(
            "(?<![\\p{L}\\p{N}'`])'[^'`]{4,}?'(?![\\p{L}\\p{N}'])|\"[^\"]{4,}?\"|\u201c[^\u201d]{4,}?\u201d");

    private static Set<Integer> quotedTokens(String text, List<Integer> tokenStarts) {
        Set<Integer> out = new HashSet<>();
        for (Matcher m : List.of(QUOTED.matcher(text), Notation.CODE.matcher(text))) {
            while (m.find()) {
                for (int k = 0; k < tokenStarts.size(); k++) {
                    if (tokenStarts.get(k) > m.start() && tokenStarts.get(k) < m.end()) {
                        out.add(k);
                    }
                }
            }
        }
        return out;
    }

    /** Punctuation around a word that does not make it code: quotes, brackets, a sentence's end. */
    private static final String AROUND = "\"'`\u2018\u2019\u201c\u201d()[]{}<>,;:?!.";

    /** Characters that write operators: "->", "%%", "C++", "C#", "!==". */
    private static final String OPERATORS = "+-*/%<>=&|^~#@$!";

    /**
     * The runs of {@link #OPERATORS} in the text, but a lone hyphen or slash between letters, a
     * "!" closing a sentence, runs of dashes or carets alone, and anything after the text's last
     * letter or digit ("… organisation? *", "… different? =]").
     */
    private static List<String> symbols(String text) {
        List<String> out = new ArrayList<>();
        int last = text.length() - 1;
        while (last >= 0 && !Character.isLetterOrDigit(text.charAt(last))) {
            last--;
        }
        int i = 0;
        while (i < text.length()) {
            if (OPERATORS.indexOf(text.charAt(i)) < 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && OPERATORS.indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            String run = text.substring(start, i);
            boolean joining = (run.equals("-") || run.equals("/")) && start > 0 && i < text.length()
                    && Character.isLetterOrDigit(text.charAt(start - 1)) && Character.isLetterOrDigit(text.charAt(i));
            boolean exclaiming = run.chars().allMatch(c -> c == '!')
                    && (i == text.length() || !Character.isLetterOrDigit(text.charAt(i)));
            // dashes set ranges and asides ("1903 -- 1967", "Kanpur - Delhi"), a caret writes a power
            boolean dashes = run.chars().allMatch(c -> c == '-' || c == '^');
            boolean trailing = start > last;
            if (!joining && !exclaiming && !dashes && !trailing) {
                out.add(run);
            }
        }
        return List.copyOf(out);
    }

    /** What {@link #writtenAsCode} makes of a word: not code, a name in code, or code marked as such. */
    static final byte NOT_CODE = 0;
    static final byte CODE_NAME = 1;
    static final byte CODE_MARKED = 2;

    /** For each character of the text, what {@link #writtenAsCode} makes of the word it lies in. */
    private static byte[] codeCharacters(String text) {
        byte[] out = new byte[text.length()];
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int from = start;
            int to = i;
            // a flag keeps its dashes; a closing "()" stays with its name
            while (from < to && AROUND.indexOf(text.charAt(from)) >= 0) {
                from++;
            }
            while (to > from && AROUND.indexOf(text.charAt(to - 1)) >= 0 && !text.startsWith("()", to - 2)) {
                to--;
            }
            if (from < to) {
                Arrays.fill(out, from, to, writtenAsCode(text.substring(from, to)));
            }
        }
        return out;
    }

    /**
     * Whether a word, stripped of the quotes and brackets around it, is written as code: {@link
     * #CODE_MARKED} for a flag ("-a", "--release"), a name joined by an underscore
     * ("delete_queue"), a setting ("acks=1"), a call ("len()"), a path ("/var/www", "~/.bashrc",
     * "./gradlew"), "std::vec" or "obj->next"; {@link #CODE_NAME} for a member ("stream.pipe":
     * parts of two characters or more, so "e.g" is not one) or a name in camel case ("useEffect",
     * "combineLatest"); otherwise {@link #NOT_CODE}.
     */
    static byte writtenAsCode(String word) {
        int n = word.length();
        if (n >= 2 && word.charAt(0) == '-' && (Character.isLetter(word.charAt(1))
                || n >= 3 && word.charAt(1) == '-' && Character.isLetter(word.charAt(2)))) {
            return CODE_MARKED;
        }
        if (word.startsWith("/") && n > 1 && Character.isLetter(word.charAt(1)) || word.startsWith("~/")
                || word.startsWith("./")) {
            return CODE_MARKED;
        }
        if (word.contains("::") || word.contains("->") || word.contains("()")) {
            return CODE_MARKED;
        }
        byte found = NOT_CODE;
        for (int k = 1; k + 1 < n; k++) {
            char c = word.charAt(k);
            char before = word.charAt(k - 1);
            char after = word.charAt(k + 1);
            if ((c == '_' || c == '=') && Character.isLetterOrDigit(before) && Character.isLetterOrDigit(after)) {
                return CODE_MARKED;
            }
            if (c == '.' && k >= 2 && k + 2 < n && Character.isLetterOrDigit(word.charAt(k - 2))
                    && Character.isLetterOrDigit(before) && Character.isLetter(after)
                    && Character.isLetterOrDigit(word.charAt(k + 2))) {
                found = CODE_NAME;
            }
        }
        for (int k = 1; k < n; k++) {
            if (Character.isLowerCase(word.charAt(k - 1)) && Character.isUpperCase(word.charAt(k))) {
                found = CODE_NAME;
            }
        }
        return found;
    }

    private static Set<Integer> clockTimes(String text) {
        Set<Integer> out = new HashSet<>();
        Matcher m = CLOCK.matcher(text);
        while (m.find()) {
            boolean half = m.group(1) != null;
            int hour = Integer.parseInt(half ? m.group(1) : m.group(4));
            String minutes = half ? m.group(2) : m.group(5);
            int minute = minutes == null ? 0 : Integer.parseInt(minutes);
            if (hour > 23 || minute > 59 || half && (hour == 0 || hour > 12)) {
                continue; // "25:00" is no time of day, nor is "0 am"
            }
            if (half) {
                boolean pm = Character.toLowerCase(m.group(3).charAt(0)) == 'p';
                hour = hour % 12 + (pm ? 12 : 0);
            }
            out.add(hour * 60 + minute);
        }
        Matcher named = NAMED_TIME.matcher(text);
        while (named.find()) {
            out.add(named.group(1).equalsIgnoreCase("midnight") ? 0 : 12 * 60);
        }
        return out;
    }

    /** Times of day said by name: midnight, 0:00 ("after 10 p.m." / "after midnight", round Z), and noon or midday, 12:00. */
    private static final Pattern NAMED_TIME = Pattern.compile("\\b(midnight|noon|midday)\\b", Pattern.CASE_INSENSITIVE);

    /** An apostrophe between letters (don't, it's) or a point or comma between digits (3.5, 1,000) stays inside the token. */
    private static boolean joins(String text, int i, int c) {
        if (i == 0 || i + 1 >= text.length()) {
            return false;
        }
        int before = text.codePointBefore(i);
        int after = text.codePointAt(i + 1);
        if (c == '\'' || c == '\u2019') {
            return Character.isLetter(before) && Character.isLetter(after);
        }
        if (c == '.' || c == ',') {
            return Character.isDigit(before) && Character.isDigit(after);
        }
        return false;
    }

    private static boolean looksLikeName(String raw, boolean sentenceStart) {
        boolean upper = false;
        boolean lower = false;
        boolean letter = false;
        boolean digit = false;
        for (int k = 0; k < raw.length(); k++) {
            char c = raw.charAt(k);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        if (letter && digit) {
            return true;
        }
        if (raw.equals("I")) {
            return false;
        }
        if (upper && !lower && raw.length() >= 2) {
            return true;
        }
        return upper && !sentenceStart;
    }

    /**
     * The normalised number a token stands for, or null: "1,000" is "1000", "3.50" is "3.5",
     * "three" is "3"; a token that starts with digits stands for them ("5th" is "5", "50k" is "50").
     */
    static String number(String lower) {
        String word = NUMBER_WORDS.get(lower);
        if (word != null) {
            return word;
        }
        if (lower.isEmpty() || !Character.isDigit(lower.charAt(0))) {
            return null;
        }
        int end = 0;
        while (end < lower.length() && (Character.isDigit(lower.charAt(end)) || lower.charAt(end) == '.'
                || lower.charAt(end) == ',')) {
            end++;
        }
        String plain = lower.substring(0, end).replace(",", "");
        if (plain.contains(".")) {
            // "2.50" is 2.5 and "3.0" is 3
            int last = plain.length();
            while (last > 0 && plain.charAt(last - 1) == '0') {
                last--;
            }
            if (last > 0 && plain.charAt(last - 1) == '.') {
                last--;
            }
            plain = plain.substring(0, last);
        }
        return plain;
    }

    private static final Set<String> TENS = Set.of("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety");

    /** Whether a word is a multiple of ten written out ("twenty" to "ninety"), which "-five" and the like complete. */
    static boolean tens(String lower) {
        return TENS.contains(lower);
    }

    private static Map<String, String> numberWords() {
        String[] words = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
        Map<String, String> map = new HashMap<>();
        for (int k = 0; k < words.length; k++) {
            // "one" is as often a pronoun ("which one") as a number.
            if (k != 1) {
                map.put(words[k], Integer.toString(k));
            }
        }
        String[] tens = {"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
        for (int k = 0; k < tens.length; k++) {
            map.put(tens[k], Integer.toString(30 + 10 * k));
        }
        map.put("hundred", "100");
        map.put("thousand", "1000");
        map.put("million", "1000000");
        map.put("billion", "1000000000");
        return Map.copyOf(map);
    }
}
