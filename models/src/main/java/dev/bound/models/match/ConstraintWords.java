package dev.bound.models.match;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Whether two words are listed as one value of one class, as a name and its short form are:
     * "js" / "javascript", "postgres" / "postgresql".
     */
    static boolean sameValue(String u, String v) {
        Entry x = DEFAULT.words.get(Lexicon.stem(u));
        return x != null && x.equals(DEFAULT.words.get(Lexicon.stem(v)));
    }

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
     * and gives 0: {@link #directionSwap} is the veto that catches it.
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
            if (notPutForAnother(c, x, y)) {
                continue;
            }
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
     * nationality adjective names a language ("French cuisine" / "the cuisine of France";
     * "written in Japanese, into English" names the source), "sentence" or "paragraph" is as
     * often what the prompt is about ("Translate this sentence") as the length of the answer,
     * "steps" as often the subject ("What are the steps to install Node.js?") as a format, and an
     * audience word as often a person the prompt is about ("a student who keeps interrupting")
     * as its reader. For {@link #added} they count only where they set the answer: a language
     * right after "in", "into" or "to" (after "in" only when no other language is the target of
     * "into" or "to"), and not before a noun it describes ("assigned to Japanese ham radio
     * operators"); a sentence or paragraph with an amount among the {@value #AMOUNT_REACH}
     * words before it, "a" and "an" included ("in one sentence", "3 short paragraphs", "Write a
     * paragraph"), unless a word that points at a text comes first ("this sentence"); "steps" in
     * "step by step" or "one step at a time", or after "in", "with" or "into", directly or past one content word ("in
     * numbered steps", not "with each step"); an audience word after "for", "to", "as", "like" or
     * "at" ({@link #addressed}). The mismatch flag, which the verifier's network reads, counts
     * them everywhere, as in the network's training (words listed since its training, such as the
     * energy units, are inputs it never saw; models/MATCHING.md).
     */
    private static final String NATURAL_LANGUAGE = "natural-language";
    private static final String LENGTH = "length";
    private static final Set<String> LENGTH_UNITS = Set.of("sentence", "paragraph");
    private static final String EXTRAS = "extras";
    private static final Lexicon LEXICON = Lexicon.DEFAULT;
    private static final String AUDIENCE = "audience";
    /** Readers that count only where they name who the answer is for, and then as an {@link #AUDIENCE}. */
    private static final String READER = "reader";
    private static final String FRIENDLY = "friendly";
    private static final String BULLET = "bullet";
    private static final String EXAMPLE = "example";
    private static final String DETAIL = "detail";
    private static final String SOURCE = "source";
    /** What follows "example" in a placeholder domain name: example.com, example.org. */
    private static final Set<String> DOMAINS = Set.of("com", "org", "net", "io");
    /** What a lone "bullet" is followed by where it shapes an answer: "bullet points", "a bullet list". */
    private static final Set<String> BULLET_SHAPES = Set.of("point", "points", "list", "lists", "form", "style",
            "format", "summary", "summaries", "outline");
    private static final String REACT = "react";
    /** The library's name as a word, and as its owner: "React", "React's", not the verb's "reacts". */
    private static final Set<String> REACT_OWN = Set.of(REACT, "react's", "react\u2019s");
    private static final String RUST = "rust";
    private static final String CHILD = "child";
    /** What "child" names in a program: "a child view", "child process", "the child component". */
    private static final Set<String> CHILD_PARTS = Set.of("view", "views", "component", "components", "process",
            "processes", "element", "elements", "node", "nodes", "thread", "threads", "class", "classes", "window",
            "windows", "widget", "widgets", "route", "routes", "entity", "entities", "record", "records", "item", "items",
            "object", "objects", "container", "containers", "div", "table", "tables", "span", "theme", "module",
            "modules", "pid", "task", "tasks", "directory", "directories", "folder", "folders", "frame", "frames");
    private static final String MILLIMETER = "millimeter";
    /** The parts of a date or time pattern beside its "MM": "yyyy-MM-dd", "dd/MM/yy". */
    private static final Set<String> DATE_PARTS = Set.of("yyyy", "yy", "dd", "hh", "ss");
    private static final String CURRENCY = "currency";
    /**
     * Words that make "react" the JavaScript library rather than the verb, besides any named piece
     * of software ({@link Lexicon#namesSoftware}): "a React component", "React hooks", "React Native".
     */
    private static final Set<String> REACT_CONTEXT = Set.of("component", "components", "hook", "hooks", "native",
            "router", "props", "redux", "frontend", "render", "renders", "rendering", "rerender", "rerenders", "dom",
            "tsx", "library", "framework");
    /**
     * Classes whose value counts only where the other text names another value of the class:
     * "gradle build executable jar" / "build executable jar with maven", but not "fat jar with
     * Maven" / "jar with all dependencies in Java"; "… on iOS" / "… on Android", but not "… on
     * Android" / the same question with no system named.
     */
    private static final Set<String> SWAPPED_ONLY = Set.of("build-tool", "platform");
    private static final String TABLE = "table";
    /** Formats that are also kinds of data a question may be about. */
    private static final Set<String> DATA_FORMATS = Set.of("json", "csv", "yaml", "xml");
    /**
     * Nouns that a data format before them describes, so that it names the data a question is
     * about, not the answer's format: "a JSON payload", "a CSV file", "the XML response".
     */
    private static final Set<String> DATA_NOUNS = Set.of("payload", "payloads", "file", "files", "body", "request",
            "response", "config", "key", "keys", "schema", "column", "columns", "parser", "library", "module",
            "dump", "input", "feed", "endpoint");
    /**
     * Verbs that, one or two words before a data format, make it the data a question is about:
     * "I'm sending JSON to my Express route", "the page receives fake JSON", "parse YAML".
     * Not "return": "an endpoint that returns JSON" asks for the format.
     */
    private static final Set<String> DATA_MOVED = Set.of("send", "sends", "sending", "sent", "post", "posts", "posting",
            "receive", "receives", "receiving", "received", "parse", "parses", "parsing", "parsed", "read", "reads",
            "reading", "load", "loads", "loading");
    /** Words before a format that make it what the answer or output is to take: "as a CSV file", "into a JSON file". */
    private static final Set<String> INTO_FORMAT = Set.of("as", "to", "into", "in", "output", "format", "formatted");
    private static final String DATABASE = "database";
    /** The database class's one value that SQL does not go with. */
    private static final String NOT_RELATIONAL = "mongodb";
    private static final String SQL = "sql";
    /**
     * Words that put a text about a database or a data warehouse ("a Snowflake table", "dbt
     * rebuild my incremental table"), where a table is a thing stored, not a format.
     * Not "column" or "row": "a table with columns for step and tool" asks for a format.
     */
    private static final Set<String> DATABASE_WORDS = Set.of("database", "databases", "db", "query", "schema",
            "sql", "upsert", "dbt", "snowflake", "bigquery", "duckdb", "redshift", "databricks", "lakehouse", "pyspark");
    private static final Set<String> AUDIENCE_MARKERS = Set.of("for", "to", "as", "like", "at", "audience");
    private static final String STEP = "step";
    /** Words just before "steps", or one word before that, that ask for the answer in steps ("in numbered steps"), as "step by step" does. */
    private static final Set<String> STEP_FORMS = Set.of("in", "with", "into");
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
        if (shapesDiffer(a, b) || RequestShape.requirementAppended(a, b) || RequestShape.phraseInserted(a, b)
                || RequestShape.compoundInserted(a, b) || RequestShape.keptAdded(a, b)) {
            return true;
        }
        Set<String> formsA = forms(a);
        Set<String> formsB = forms(b);
        return mannerDiffers(a, formsB) || mannerDiffers(b, formsA)
                || instructionAdded(a, formsB) || instructionAdded(b, formsA);
    }

    /** Every word of a text in the form modifiers are compared in ({@link #modifierForm}). */
    private static Set<String> forms(TextFeatures t) {
        Set<String> out = new HashSet<>();
        for (String token : t.tokens) {
            out.add(modifierForm(token));
        }
        return out;
    }

    /**
     * Whether the texts ask different things of the answer ({@link #answerShape}). An audience
     * one text addresses is no difference when the other names the same reader anywhere: "How do
     * I talk to my teenager about vaping?" / "… bring up vaping with my teen?".
     */
    private boolean shapesDiffer(TextFeatures a, TextFeatures b) {
        // a table in a pair about a database is a table stored, on either side
        boolean database = aboutADatabase(a) || aboutADatabase(b);
        // "react" is the library on both sides where either side reads as being about it
        boolean react = aboutReact(a) || aboutReact(b);
        PairReading pair = new PairReading(database, react);
        Map<String, Set<String>> sa = answerShape(a, pair);
        Map<String, Set<String>> sb = answerShape(b, pair);
        dropInPassing(sa, inPassing(a), sb);
        dropInPassing(sb, inPassing(b), sa);
        addSigns(sa, a, sb);
        addSigns(sb, b, sa);
        if (sa.equals(sb)) {
            return false;
        }
        Set<String> classes = new HashSet<>(sa.keySet());
        classes.addAll(sb.keySet());
        for (String c : classes) {
            Set<String> x = sa.getOrDefault(c, Set.of());
            Set<String> y = sb.getOrDefault(c, Set.of());
            if (notPutForAnother(c, x, y)) {
                continue;
            }
            // what one side names beyond the other, the other names loosely: "JS libraries … with TS
            // types" / "JavaScript libraries … with TypeScript types"
            if (looselyNamed(without(x, y), a, b) && looselyNamed(without(y, x), b, a)) {
                continue;
            }
            if (c.equals(NATURAL_LANGUAGE) && (y.isEmpty() && askedIn(x, b) || x.isEmpty() && askedIn(y, a))) {
                continue;
            }
            if (c.equals(LENGTH) && (y.isEmpty() && briefOnly(x) && saysShort(b) || x.isEmpty() && briefOnly(y) && saysShort(a))) {
                continue;
            }
            // a sum with its currency on one side only: "the best laptop under 45k" / "… under INR 45K"
            if (c.equals(CURRENCY) && (x.isEmpty() || y.isEmpty()) && !a.numbers.isEmpty() && a.numbers.equals(b.numbers)
                    && currencyOfASum(x.isEmpty() ? b : a)) {
                continue;
            }
            if (!c.equals(AUDIENCE) || !named(x, y, b) || !named(y, x, a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a class that counts only put for another ({@link #SWAPPED_ONLY}) has no value on one
     * side that the other lacks: "build a Go binary for Linux from macOS" / "… for Linux on a Mac".
     */
    private static boolean notPutForAnother(String className, Set<String> x, Set<String> y) {
        return SWAPPED_ONLY.contains(className) && (x.containsAll(y) || y.containsAll(x));
    }

    /** The values of {@code x} that {@code y} lacks. */
    private static Set<String> without(Set<String> x, Set<String> y) {
        Set<String> out = new HashSet<>(x);
        out.removeAll(y);
        return out;
    }

    /** What "short" or "quick" describes where it asks for a brief answer: "a short poem", "quick overview". */
    private static final Set<String> SHORT_PIECES = Set.of("answer", "answers", "poem", "message", "email", "explanation",
            "overview", "summary", "example", "list", "bio", "description", "note", "intro", "introduction", "reply",
            "response", "essay", "speech", "toast", "caption", "checklist", "clause", "riddle", "limerick", "haiku", "post",
            "letter", "guide", "version", "table", "blurb", "rundown", "article", "statement", "update", "paragraph",
            "text", "piece", "story", "take", "recap", "primer", "sketch");

    /** Whether these lengths are brevity alone. */
    private boolean briefOnly(Set<String> lengths) {
        return lengths.equals(Set.of(valueOf("brief")));
    }

    /**
     * Whether {@code t} asks for a brief answer in words the list leaves out, because alone they
     * are as often something else ("short selling", "a quick fix"): "short" or "quick" before the
     * piece asked for ("a short poem", "Quick overview:"), "keep it short", "in short".
     */
    private static boolean saysShort(TextFeatures t) {
        List<String> tokens = t.tokens;
        for (int i = 0; i < tokens.size(); i++) {
            String w = tokens.get(i);
            if (!w.equals("short") && !w.equals("quick")) {
                continue;
            }
            if (anyIn(tokens, i + 1, i + 3, SHORT_PIECES)) {
                return true;
            }
            if (w.equals("short") && (i > 1 && tokens.get(i - 1).equals("it") && tokens.get(i - 2).equals("keep")
                    || i > 0 && tokens.get(i - 1).equals("in") && i + 1 < tokens.size() && !tokens.get(i + 1).equals("supply"))) {
                return true;
            }
        }
        return false;
    }

    /** How far from a number a currency's name may stand and still be the sum's: "1000 INR", "INR 45K". */
    private static final int SUM_REACH = 1;

    /**
     * Whether every currency {@code t} names stands beside a number, as the unit of a sum ("under
     * 1000 INR", "1000rs", "1 million dollars"), not as what a sum is turned into ("a salary of 45
     * lakhs in dollars").
     */
    private boolean currencyOfASum(TextFeatures t) {
        List<String> tokens = t.tokens;
        for (int i = 0; i < tokens.size(); i++) {
            // a currency glued to its number ("1000rs") is a sum's by itself
            Entry e = lookup(tokens.get(i));
            if (e == null || !e.className().equals(CURRENCY)) {
                continue;
            }
            boolean beside = false;
            for (int j = Math.max(0, i - SUM_REACH); j <= Math.min(tokens.size() - 1, i + SUM_REACH) && !beside; j++) {
                beside = j != i && TextFeatures.number(tokens.get(j)) != null;
            }
            if (!beside) {
                return false;
            }
        }
        return true;
    }

    /** What a language's name may stand before where a text asks for words in it: "the French term for …". */
    private static final Set<String> WORDS_IN = Set.of("term", "terms", "word", "words", "translation", "translations",
            "equivalent", "phrase", "phrases", "expression", "expressions", "name", "version");
    /** Words for "in" in the languages listed, before a language named in its own words: "en français". */
    private static final Set<String> IN_OWN_WORDS = Set.of("en", "auf", "em", "på");

    /**
     * Whether {@code t} asks for an answer in each of these languages without an "in", "into" or
     * "to" before it: "What are the French terms for …?", "an English translation of …", "the
     * French for …", "a Spanish-language announcement", "En français, s'il vous plaît". A
     * language named any other way ("a Chinese newspaper") is the topic, not the answer's.
     */
    private boolean askedIn(Set<String> languages, TextFeatures t) {
        Set<String> asked = new HashSet<>();
        List<String> tokens = t.tokens;
        for (int i = 0; i < tokens.size(); i++) {
            Entry e = lookup(tokens.get(i));
            if (e == null || !e.className().equals(NATURAL_LANGUAGE)) {
                continue;
            }
            String prev = i > 0 ? tokens.get(i - 1) : "";
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            String after = i + 2 < tokens.size() ? tokens.get(i + 2) : "";
            if (WORDS_IN.contains(next) && (after.equals("for") || after.equals("of")) || next.equals("language")
                    || prev.equals("the") && next.equals("for") || IN_OWN_WORDS.contains(prev)) {
                asked.add(e.value());
            }
        }
        return asked.containsAll(languages);
    }

    /** Takes out of {@code shape} the values it names only in passing that {@code other} does not name. */
    private static void dropInPassing(Map<String, Set<String>> shape, Set<String> passing,
            Map<String, Set<String>> other) {
        for (String v : passing) {
            if (other.values().stream().noneMatch(values -> values.contains(v))) {
                shape.values().forEach(values -> values.remove(v));
            }
        }
        shape.values().removeIf(Set::isEmpty);
    }

    /**
     * Names too loose to count as a constraint on their own (a verb, a runtime, a machine, a
     * spelling split by a hyphen, a broader word) but enough to show that a text names the value
     * another text has: "golang check if a key exists" / "go: test whether a map contains a key",
     * "Node.js" (read as JavaScript) / "my Node install", "the JVM" / "the Java virtual machine",
     * "an e-mail" / "an email address", "unit tests" / "tests". {@code names} are the ways the
     * other text may name it, any one enough; {@code from}, where given, is how the value's own
     * text must name it: "Node.js", not "JavaScript", is named by "Node" ("a node of a tree in
     * JavaScript" is not). A value may be named in several such ways, any one enough.
     */
    private record LooseName(List<List<String>> from, List<List<String>> names) {
    }

    private static final Map<String, List<LooseName>> LOOSE_NAMES = Map.ofEntries(
            Map.entry("javascript", List.of(
                    new LooseName(List.of(List.of("node", "js"), List.of("nodejs")), List.of(List.of("node"))),
                    // its frameworks name it: "nextjs expose env var to client side" / "… in Next.js?"
                    new LooseName(List.of(), names("nextjs", "express", "jest", "npm", "bun", "deno")))),
            Map.entry("email", List.of(new LooseName(List.of(), List.of(List.of("e", "mail"))))),
            // "make zsh my login shell instead of bash" / "change my default shell to zsh", "bash:
            // composer: command not found" / "my terminal says the composer command doesn't exist"
            Map.entry("bash", loose("shell", "sh", "terminal")),
            // a language's short name, runtime, compiler, config file, or package or build tool:
            // "golang check if a key exists" / "go: test whether …", "pip install requests" is
            // Python's, "cargo build" Rust's, "a fat jar with Maven" Java's, "build.gradle.kts"
            // Kotlin's, "typescript make all properties optional" / "a built-in TS utility type …"
            Map.entry("golang", loose("go", "goroutine", "goroutines")),
            // and its own libraries: "a Dockerfile for a Python Flask app" / "… a Flask application"
            Map.entry("python", loose("pip", "pip3", "python3", "py", "ipynb", "venv", "virtualenv", "flask", "django",
                    "fastapi", "pandas", "numpy", "sqlalchemy", "pydantic", "pytest", "argparse", "gunicorn", "pyspark",
                    "pillow", "pil", "celery", "poetry", "pyproject", "ipython")),
            // a database or warehouse that is queried in SQL: "run SQL on a CSV file with DuckDB" /
            // "duckdb query csv file directly", "What's the SQL to resize a Snowflake warehouse?"
            // (a relational database's name does too, below: namesADatabase)
            Map.entry("sql", loose("snowflake", "duckdb", "bigquery", "dbt", "clickhouse", "redshift")),
            Map.entry("rust", loose("cargo", "rustc", "rustup", "tokio", "serde", "clippy", "axum", "actix")),
            Map.entry("java", loose("jvm", "jar", "jdk", "maven", "mvn", "gradle", "sbt")),
            Map.entry("kotlin", loose("kts")),
            Map.entry("typescript", loose("ts", "tsc", "tsconfig")),
            Map.entry("php", loose("composer", "artisan", "laravel", "eloquent")),
            // "flutter obfuscate release build" / "… obfuscate my Dart code …", an app of Apple's
            // UI frameworks or Xcode is Swift's
            Map.entry("dart", loose("flutter", "pubspec")),
            Map.entry("swift", loose("swiftui", "uikit", "xcode", "cocoapods")),
            Map.entry("elixir", loose("mix", "iex", "phoenix", "phx", "ecto", "exunit")),
            // "ruby on rails test whether a string is nil" / "the idiomatic rails way to check …"
            Map.entry("ruby", loose("rails", "rbenv", "rvm", "rspec", "irb", "bundler")),
            // "the 500 and 1000 rupee notes" / "the 500 and 1000 Rs notes"
            Map.entry("rupee", loose("rs")),
            // a library's usual import name or main object, a framework's own hooks, objects and
            // tools: "np reshape", "pd.read_csv", "a DataFrame", "import torch", "plt.legend",
            // "React useEffect run only once" / "a useEffect hook that runs once", a Django QuerySet
            Map.entry("numpy", loose("np", "ndarray")),
            Map.entry("pandas", loose("pd", "df", "dataframe")),
            Map.entry("pytorch", loose("torch")),
            Map.entry("tensorflow", loose("tf")),
            Map.entry("matplotlib", loose("plt", "pyplot")),
            Map.entry("react", loose("useeffect", "usestate", "jsx")),
            Map.entry("django", loose("queryset", "drf", "collectstatic")),
            Map.entry("laravel", loose("artisan", "eloquent")),
            // "maven skip tests" / "… without running the unit tests": the same tests
            Map.entry("unit_test", loose("test", "tests")),
            // "a JSON example of a sensor reading" / "a sample sensor reading in JSON"
            // "An example of a transform …" / "An illustration of a transformation …"
            Map.entry(EXAMPLE, loose("sample", "samples", "illustration", "illustrations")),
            // "express error handling middleware" / "a central error handler middleware", "… that
            // catches errors thrown from all my routes"
            Map.entry("error_handling", List.of(new LooseName(List.of(), List.of(List.of("error", "handler"),
                    List.of("error", "handlers"), List.of("catches", "errors"), List.of("catch", "errors"),
                    List.of("handle", "errors"), List.of("handles", "errors"), List.of("exception", "handling"))))),
            // "Make a table comparing …" / "Compare … in tabular form", "… laid out in rows and columns"
            Map.entry(TABLE, List.of(new LooseName(List.of(), List.of(List.of("tabular"), List.of("rows", "and", "columns"))))),
            // "Write a campfire story" / "a campfire tale", "What's the story of Carmen?" / "… the plot of Carmen"
            Map.entry("story", loose("tale", "tales", "narrative", "plot", "backstory")),
            // "country music lyrics" / "a country song", "playing the same songs" / "random tracks"
            Map.entry("song", loose("lyrics", "chorus", "track", "tracks")),
            // "step by step" / "Number the steps please", "showing each step", "walk me through it"
            Map.entry("step", List.of(new LooseName(List.of(), List.of(List.of("step"), List.of("steps"),
                    List.of("walk", "me", "through"))))));

    /**
     * Whether a text reads as being about the React library, so that its "react" (not "reacts",
     * "reacted" or "reacting") is the library and not the verb: it names a piece of software or a
     * thing React is made of ("a React component", "React hooks"), or spells it "reactjs".
     */
    private static boolean aboutReact(TextFeatures t) {
        return Lexicon.DEFAULT.namesSoftware(t) || !Collections.disjoint(t.tokenSet, REACT_CONTEXT)
                || t.tokenSet.contains("reactjs");
    }

    /**
     * Whether the bullet word at {@code i} asks for bullet points: "bullets" and "bulleted" always,
     * a lone "bullet" only before "points", "list" or the like, or after a number ("a 3-bullet
     * overview"), not "a bullet shot in the stomach".
     */
    private static boolean bulletPoints(List<String> tokens, int i) {
        if (!tokens.get(i).equals(BULLET)) {
            return true;
        }
        return i + 1 < tokens.size() && BULLET_SHAPES.contains(tokens.get(i + 1))
                || i > 0 && TextFeatures.number(tokens.get(i - 1)) != null;
    }

    /** Names the value whatever its own text calls it: each word a name on its own. */
    private static List<LooseName> loose(String... words) {
        return List.of(new LooseName(List.of(), names(words)));
    }

    /** Each word a name on its own. */
    private static List<List<String>> names(String... words) {
        return java.util.Arrays.stream(words).map(List::of).toList();
    }

    /**
     * Whether {@code other} names each of these values, which {@code own} has, by its {@link
     * #LOOSE_NAMES}.
     */
    private boolean looselyNamed(Set<String> values, TextFeatures own, TextFeatures other) {
        for (String v : values) {
            boolean named = LOOSE_NAMES.getOrDefault(v, List.of()).stream().anyMatch(n -> looselyNamed(n, own, other))
                    // SQL goes without saying in a question about a relational database
                    || v.equals(SQL) && namesADatabase(other, true);
            if (!named) {
                return false;
            }
        }
        return true;
    }

    private static boolean looselyNamed(LooseName n, TextFeatures own, TextFeatures other) {
        return n.names().stream().anyMatch(name -> Collections.indexOfSubList(other.tokens, name) >= 0)
                && (n.from().isEmpty() || n.from().stream().anyMatch(f -> Collections.indexOfSubList(own.tokens, f) >= 0));
    }

    /**
     * Adds to a text's shape the currencies and scales its signs name ("$8,000" / "eight thousand
     * dollars", "25°C" / "25 degrees Celsius"), where the other text names one of the same class:
     * a sign confirms or replaces the other's word, but "Is $50k a good salary?" asks what "Is
     * 50k a good salary?" does.
     */
    private void addSigns(Map<String, Set<String>> shape, TextFeatures t, Map<String, Set<String>> other) {
        for (String sign : t.signs) {
            Entry e = lookup(sign);
            if (e != null && other.containsKey(e.className())) {
                add(shape, e);
            }
        }
    }

    /**
     * Whether every audience in {@code mine} but not in {@code theirs} is named somewhere in {@code
     * other}, by a listed word, an age, grade or school, or in other words ({@link
     * #saidOtherwise}), wherever it stands.
     */
    private boolean named(Set<String> mine, Set<String> theirs, TextFeatures other) {
        Set<String> mentioned = new HashSet<>(valuesIn(other).getOrDefault(AUDIENCE, Set.of()));
        mentioned.addAll(saidOtherwise(other));
        for (String stem : other.stems) {
            Entry e = words.get(stem);
            if (e != null && e.className().equals(READER)) {
                mentioned.add(e.value());
            }
        }
        Entry level = schoolLevel(other.tokens, false);
        if (level != null) {
            mentioned.add(level.value());
        }
        for (String v : mine) {
            if (!theirs.contains(v) && !mentioned.contains(v)) {
                return false;
            }
        }
        return true;
    }

    /** Words before "new to" that make it the reader's own state: "I'm new to CSS", "someone new to darts". */
    private static final Set<String> NEWCOMERS = Set.of("i'm", "im", "am", "are", "someone", "somebody", "anyone",
            "person", "people", "who's", "whos", "brand", "totally", "completely", "relatively", "fairly", "very");
    /** Words before "never" that make it the reader's own inexperience: "I've never played squash", "who has never coded". */
    private static final Set<String> NEVER_SUBJECTS = Set.of("i", "i've", "ive", "i'd", "has", "have", "we've", "who's",
            "whos", "you've");
    /** Words that refuse what follows them within three words. */
    private static final Set<String> REFUSALS = Set.of("no", "without", "avoid", "avoiding", "zero", "skip", "minus");
    /** Nouns "simple" or "plain" describe, within three words, when they ask for a layman's answer. */
    private static final Set<String> PLAIN_WORDS = Set.of("terms", "language", "words", "english");

    /**
     * The audiences a text names without an audience word, used only to tell that two texts name
     * the same reader: a beginner in "I'm new to Android", "someone who has never coded", "just
     * starting out"; a layman in "no jargon", "in simple, non-technical terms", "simply put"; a
     * child in "ELI5" or "my 6yo". Never a constraint of its own, so a text that says only this
     * adds nothing to its shape.
     */
    private Set<String> saidOtherwise(TextFeatures t) {
        Set<String> out = new HashSet<>();
        List<String> tokens = t.tokens;
        for (int i = 0; i < tokens.size(); i++) {
            String w = tokens.get(i);
            String prev = i > 0 ? tokens.get(i - 1) : "";
            String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            boolean beginner = w.equals("new") && next.equals("to") && NEWCOMERS.contains(prev)
                    || w.equals("never") && NEVER_SUBJECTS.contains(prev)
                    || (w.equals("starting") || w.equals("started")) && (prev.equals("just") || next.equals("out"))
                    || w.equals("beginning") && (prev.equals("a") || prev.equals("an"));
            // "without any aviation jargon", "no jargon"; "in simple, non-technical terms"
            boolean layman = w.equals("jargon") && (next.equals("free") || anyIn(tokens, i - 3, i, REFUSALS))
                    || w.equals("simply") || w.equals("nontechnical")
                    || w.equals("non") && next.equals("technical")
                    || (w.equals("simple") || w.equals("plain")) && anyIn(tokens, i + 1, i + 4, PLAIN_WORDS)
                    || w.equals("simple") && prev.equals("it") && i > 1 && tokens.get(i - 2).equals("keep");
            // "kid" and "kids" are audience words, which the caller finds anywhere already
            boolean child = w.equals("eli5") || youngAge(w);
            if (beginner) {
                out.add(valueOf("beginner"));
            }
            if (layman) {
                out.add(valueOf("layman"));
            }
            if (child) {
                out.add(valueOf("child"));
            }
        }
        return out;
    }

    /** Whether one of {@code words} stands among the tokens from {@code from} to before {@code to}, both clipped to the text. */
    private static boolean anyIn(List<String> tokens, int from, int to, Set<String> words) {
        for (int i = Math.max(0, from); i < Math.min(tokens.size(), to); i++) {
            if (words.contains(tokens.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a token is a child's age written short: "my 6yo". */
    private static boolean youngAge(String token) {
        Matcher m = YEARS_OLD.matcher(token);
        return m.matches() && Integer.parseInt(m.group(1)) <= CHILDHOOD;
    }

    /** Verbs that open an instruction about the answer, as a sentence of its own: "Include a list of tools." */
    private static final Set<String> DIRECTIVES = Set.of("include", "add", "answer", "reply", "respond",
            "use", "keep", "make", "format", "limit", "mention", "cite", "show", "avoid", "focus", "end",
            "start", "begin", "list", "provide", "give", "return", "output", "be", "put", "present",
            "organize", "organise", "structure", "write", "explain", "describe", "summarize", "summarise",
            "highlight", "compare", "skip", "exclude", "omit", "assume", "don't", "do", "never", "only",
            "stick", "break", "label", "mark", "finish", "attach", "quote", "state", "leave", "ignore");
    /**
     * Verbs that, after "and", open an instruction inside a sentence: "…, and include a timeline.",
     * "Write a regex to validate email addresses and explain each part of it.", "… a meal plan
     * that is simple to prepare and avoids anything hard to chew" (with an "s" as well).
     */
    private static final Set<String> CLAUSE_DIRECTIVES = Set.of("include", "add", "cite", "mention",
            "attach", "end", "finish", "say", "note", "suggest", "list", "explain", "describe", "provide",
            "estimate", "recommend", "compare", "avoid", "exclude", "skip", "quote");

    private static boolean clauseDirective(String token) {
        return CLAUSE_DIRECTIVES.contains(token)
                || token.endsWith("s") && CLAUSE_DIRECTIVES.contains(token.substring(0, token.length() - 1));
    }

    /**
     * Where the sentences start, and the clauses that "and" opens with one of {@link
     * #CLAUSE_DIRECTIVES} ("Describe the causes of the crisis, and include a timeline.").
     */
    private static List<Integer> instructionStarts(TextFeatures t) {
        List<Integer> out = new ArrayList<>(t.sentenceStarts);
        for (int i = 1; i + 1 < t.tokens.size(); i++) {
            if (t.tokens.get(i).equals("and") && clauseDirective(t.tokens.get(i + 1))) {
                out.add(i + 1);
            }
        }
        out.sort(null);
        return out;
    }

    /** Who a requirement is about when it opens a sentence or clause: "It should run offline.", "Both must …". */
    private static final Set<String> REQUIRED = Set.of("it", "they", "this", "these", "both", "each",
            "everything", "all");
    /** Before "to", modals of a requirement: "They have to plug into USB-C.", "… needs to sync". */
    private static final Set<String> HAVE = Set.of("have", "has", "need", "needs");

    /** Whether a modal of a requirement stands at {@code k}, before {@code end}: "must", "has to", "needs to". */
    static boolean mustAt(List<String> tokens, int k, int end) {
        String w = tokens.get(k);
        return w.equals("must") || HAVE.contains(w) && k + 1 < end && tokens.get(k + 1).equals("to");
    }

    /** Modals that forbid: "It can't contain the word 'sea'.", "They shouldn't need a server." */
    private static final Set<String> FORBIDDING = Set.of("can't", "cannot", "mustn't", "shouldn't");

    /**
     * Whether the words from {@code k} open a requirement about the answer or its subject: "It
     * should …", "They have to …", "it must …", "It can't …".
     */
    static boolean requiredAt(List<String> tokens, int k, int end) {
        return k + 2 < end && REQUIRED.contains(tokens.get(k)) && (tokens.get(k + 1).equals("should")
                || FORBIDDING.contains(tokens.get(k + 1)) || mustAt(tokens, k + 1, end));
    }
    /** The asker, opening a sentence about what they have or lack. */
    static final Set<String> ASKER = Set.of("i", "i'll", "i'm", "i've", "i'd", "we", "we'll", "we're",
            "we've", "we'd");
    /** Words by which the asker limits what the answer may use: "I'll only have a backpack and no car." */
    static final Set<String> LIMITS = Set.of("only", "no", "without", "can't", "cannot", "don't", "not",
            "never", "avoid", "avoiding", "nothing", "none");

    /**
     * Whether the sentence from {@code from} to {@code to} states a requirement instead of
     * asking: it ends in no question mark, and it says "must", "has to" or "needs to" ("Changes
     * made offline must sync automatically."), or opens with "It should" or the like, or is the
     * asker's own with "only", "no", "without", "not" or the like ("I'll only have a backpack and
     * no car.", "I don't own any power tools.").
     */
    private static boolean requirement(TextFeatures t, int from, int to) {
        if (to - from < 3 || t.questionEnds.contains(to)) {
            return false;
        }
        List<String> tokens = t.tokens;
        if (requiredAt(tokens, from, to)) {
            return true;
        }
        boolean asker = ASKER.contains(tokens.get(from));
        for (int i = from; i < to; i++) {
            if (mustAt(tokens, i, to) || asker && LIMITS.contains(tokens.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What an instruction asks for when it only says again what the question asks: "What's the
     * difference between X and Y? Explain the distinction.", "Should I thin apples, and why? Explain
     * the reasoning.", "… Give me 5 options."
     */
    private static final Set<String> RESTATED = Set.of("distinction", "difference", "differences", "concept",
            "reasoning", "technique", "idea", "options", "option", "answer", "basics", "meaning");

    /** Words that may come before an instruction's verb. */
    private static final Set<String> LEADS = Set.of("please", "and", "also", "then", "just", "kindly");

    /**
     * Whether {@code a}, in a text of two or more sentences or clauses, has a sentence that
     * instructs (it starts with a verb such as "include", "answer" or "keep"), or a clause "and
     * include …" or the like, none of whose content words the other text has in any form ({@code
     * other}, its {@link #forms}): "… Include a list of tools needed.", "… Answer with only yes or
     * no.", "… Show your work." A later sentence that states a {@link #requirement} counts too
     * when most of its content words are new ("… work offline? Changes made offline must sync
     * automatically."). An instruction that names a listed constraint word ("Keep it brief", "Use
     * bullet points") is left to the classes, which know its spellings.
     */
    private boolean instructionAdded(TextFeatures a, Set<String> other) {
        List<Integer> starts = instructionStarts(a);
        if (starts.size() < 2) {
            return false;
        }
        for (int s = 0; s < starts.size(); s++) {
            int from = starts.get(s);
            int to = s + 1 < starts.size() ? starts.get(s + 1) : a.tokens.size();
            while (from < to && LEADS.contains(a.tokens.get(from))) {
                from++;
            }
            boolean required = s > 0 && requirement(a, from, to);
            if (required) {
                from--; // every word of a requirement is its own, the first included
            } else if (from >= to || !DIRECTIVES.contains(a.tokens.get(from)) && !clauseDirective(a.tokens.get(from))) {
                continue;
            }
            boolean listed = false;
            int shared = 0;
            int fresh = 0;
            for (int i = from + 1; i < to; i++) {
                String token = a.tokens.get(i);
                Entry e = lookup(token);
                // a soft word counts only where it sets the answer ("to see a doctor" names no reader)
                listed |= e != null && (!soft(e.className(), e.value()) || setsTheAnswer(e, a, i));
                if (a.content.contains(token) && !RESTATED.contains(token)) {
                    String number = TextFeatures.number(token);
                    if (other.contains(modifierForm(token)) || number != null && other.contains(number)) {
                        shared++;
                    } else {
                        fresh++;
                    }
                }
            }
            for (int i = from + 1; i + 1 < to; i++) {
                listed |= pairs.containsKey(a.tokens.get(i) + ' ' + a.tokens.get(i + 1));
            }
            // an instruction brings nothing the other text says; a requirement may name its
            // subject again ("… work offline? Changes made offline must sync …"), but mostly
            // new words ("… that honors robots.txt" / "It has to obey the site's robots.txt.")
            if (!listed && (required ? fresh >= 2 && fresh > 2 * shared : fresh > 0 && shared == 0)) {
                return true;
            }
        }
        return false;
    }

    /** Nouns that name how an answer is said; "in a confident tone" and "in a humble voice" fill one slot. */
    private static final Set<String> MANNER = Set.of("tone", "style", "voice", "manner", "register");
    /**
     * Verbs that ask for a text, one of which must come before a slot: "Write a cover letter in a
     * confident tone", not "How do I speak in a deep voice?".
     */
    private static final Set<String> PRODUCERS = Set.of("write", "rewrite", "reword", "paraphrase", "reply",
            "respond", "answer", "explain", "describe", "summarize", "summarise", "translate", "draft",
            "compose", "tell", "give", "create", "generate", "make", "produce", "narrate", "present", "retell",
            "act", "pretend", "roleplay");
    /** Verbs after which a manner follows: "a toast that sounds solemn". */
    private static final Set<String> SOUNDS = Set.of("sound", "sounds");
    /** "keep it …", "make this …": the words after set the answer's manner. */
    private static final Set<String> SETTERS = Set.of("keep", "make");
    /** What "keep" or "make" sets: the answer. */
    private static final Set<String> IT = Set.of("it", "this", "them");
    /** Verbs after "make it" that ask for no manner: "make it fit in a tweet", "make it work on Windows". */
    private static final Set<String> NOT_MANNER = Set.of("fit", "work", "run", "happen", "stop", "go", "look",
            "sound", "read", "last", "stay", "count");
    /** Words of degree between "sounds" and its manner ("sounds a bit more formal"). */
    private static final Set<String> DEGREE = Set.of("a", "bit", "little", "more", "less", "very", "really", "quite", "too", "so");
    /** Words that introduce a manner or a language variety: "in a calm tone", "using British English". */
    private static final Set<String> INTRODUCERS = Set.of("in", "with", "using", "use", "adopt", "adopting");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final String MANNER_SLOT = "manner";

    /**
     * Whether {@code a} asks for a manner, a language variety or a kind of text that the other text
     * ({@code other}, its {@link #forms}) never mentions:
     * "in a confident tone" / "in a humble tone", "in British English" / "in American English",
     * "in the style of Hemingway" / none. Listing every tone or variety would also flag the
     * questions that are about one ("How do I sound more confident?"); the slot after "in a …
     * tone" says it is asked of the answer. A slot with a word the other text has in any form
     * ("in a confident tone" / "confidently", "an upbeat, cheerful message" / "a cheerful
     * message") is no difference.
     */
    private boolean mannerDiffers(TextFeatures a, Set<String> other) {
        for (Set<String> modifiers : slots(a).values()) {
            if (Collections.disjoint(other, modifiers)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per slot (a manner, or a language), the words that fill it: up to two content words between
     * an introducer and its article and the slot's noun ("in a calm, friendly tone", "using
     * British English"), or after "style of" / "voice of" ("in the style of Hemingway").
     */
    private Map<String, Set<String>> slots(TextFeatures t) {
        List<String> tokens = t.tokens;
        Map<String, Set<String>> out = new HashMap<>();
        lengthSlot(t, out);
        boolean producing = false;
        for (int h = 1; h < tokens.size(); h++) {
            producing |= PRODUCERS.contains(tokens.get(h - 1));
            if (!producing) {
                continue; // "How can I lose weight in a healthy manner?" asks for no text
            }
            String head = tokens.get(h);
            if (TEXTS.contains(Lexicon.stem(head))) {
                textSlot(t, h, out);
                continue;
            }
            if (SETTERS.contains(tokens.get(h - 1)) && IT.contains(head)) {
                // "keep it courteous and restrained", "make it indignant": words that end their
                // clause, so not "make it delete outdated caches when …" nor "make it fit in a tweet"
                Set<String> words = new TreeSet<>();
                int k = h + 1;
                for (int n = 0; k < tokens.size() && n < 2 && !t.sentenceStarts.contains(k); k++) {
                    String w = tokens.get(k);
                    if (DEGREE.contains(w) || w.equals("and") || w.equals("but")) {
                        continue;
                    }
                    if (!t.content.contains(w) || TextFeatures.number(w) != null || k == h + 1 && NOT_MANNER.contains(w)) {
                        break;
                    }
                    addModifier(words, w);
                    n++;
                }
                if (k >= tokens.size() || t.sentenceStarts.contains(k) || t.clauseStarts.contains(k)) {
                    out.computeIfAbsent(MANNER_SLOT, x -> new TreeSet<>()).addAll(words);
                }
                continue;
            }
            Entry e = lookup(head);
            String slot = MANNER.contains(head) || SOUNDS.contains(head) ? MANNER_SLOT
                    : e != null && e.className().equals(NATURAL_LANGUAGE) ? e.value() : null;
            if (slot == null || pairs.containsKey(tokens.get(h - 1) + ' ' + head)) {
                continue; // a listed pair ("plain English") is a value of its own class
            }
            Set<String> modifiers = new TreeSet<>();
            int j = h - 1;
            while (j >= 0 && modifiers.size() < 2 && t.content.contains(tokens.get(j))
                    && TextFeatures.number(tokens.get(j)) == null) {
                addModifier(modifiers, tokens.get(j));
                j--;
            }
            if (j >= 0 && ARTICLES.contains(tokens.get(j))) {
                j--;
            }
            if (!modifiers.isEmpty() && j >= 0 && INTRODUCERS.contains(tokens.get(j))) {
                out.computeIfAbsent(slot, k -> new TreeSet<>()).addAll(modifiers);
            }
            if (SOUNDS.contains(head) && (tokens.get(h - 1).equals("it") || tokens.get(h - 1).equals("that")
                    || tokens.get(h - 1).equals("which"))) {
                // "a toast that sounds solemn", "make it sound upbeat"
                Set<String> after = out.computeIfAbsent(MANNER_SLOT, x -> new TreeSet<>());
                for (int k = h + 1, n = 0; k < tokens.size() && n < 2; k++) {
                    String w = tokens.get(k);
                    if (DEGREE.contains(w)) {
                        continue;
                    }
                    if (!t.content.contains(w)) {
                        break;
                    }
                    addModifier(after, w);
                    n++;
                }
            }
            if (slot.equals(MANNER_SLOT) && h + 2 < tokens.size() && tokens.get(h + 1).equals("of")) {
                int k = ARTICLES.contains(tokens.get(h + 2)) ? h + 3 : h + 2;
                for (int end = Math.min(tokens.size(), k + 2); k < end && t.content.contains(tokens.get(k)); k++) {
                    addModifier(out.computeIfAbsent(slot, x -> new TreeSet<>()), tokens.get(k));
                }
            }
        }
        out.values().removeIf(Set::isEmpty);
        return out;
    }

    /**
     * A length given by a thing of that length, wherever it stands: "a postcard-length overview",
     * "a magazine-feature-length piece", "a postcard's worth of advice", "a booklet-length guide".
     */
    private void lengthSlot(TextFeatures t, Map<String, Set<String>> out) {
        List<String> tokens = t.tokens;
        for (int h = 1; h < tokens.size(); h++) {
            String w = tokens.get(h);
            if (w.equals("length") && t.hyphenated.contains(h)) {
                Set<String> values = out.computeIfAbsent(LENGTH, k -> new TreeSet<>());
                for (int j = h - 1; j >= 0 && (j == h - 1 || t.hyphenated.contains(j + 1)); j--) {
                    addModifier(values, tokens.get(j));
                }
            } else if (w.equals("worth") && !Lexicon.withoutPossessive(tokens.get(h - 1)).equals(tokens.get(h - 1))) {
                addModifier(out.computeIfAbsent(LENGTH, k -> new TreeSet<>()), tokens.get(h - 1));
            }
        }
    }

    /**
     * Adds a word that fills a slot, unless it is a listed constraint word ("in a casual tone"):
     * its class compares it already, spellings included ("informal", "casually").
     */
    private void addModifier(Set<String> modifiers, String token) {
        if (lookup(token) == null) {
            modifiers.add(modifierForm(token));
        }
    }

    /** The value a listed word stands for ("kg" and "kilograms" → "kilogram"), or the word's stem. */
    String valueOrStem(String token) {
        Entry e = lookup(token);
        return e != null ? e.value() : Lexicon.stem(token);
    }

    /** The class and value of a token, read without a possessive "'s" ("a sonnet's octave"), or null. */
    private Entry lookup(String token) {
        return words.get(Lexicon.stem(Lexicon.withoutPossessive(token)));
    }

    /** The value a word of the list stands for: "beginner" for "beginners". */
    private String valueOf(String listed) {
        return lookup(listed).value();
    }

    /** Whether a text names a database, SQL, a query or a schema. */
    private boolean aboutADatabase(TextFeatures t) {
        return !Collections.disjoint(t.tokenSet, DATABASE_WORDS) || namesADatabase(t, false);
    }

    /** Whether a text names one of the database class's values; with {@code relational}, one but MongoDB. */
    private boolean namesADatabase(TextFeatures t, boolean relational) {
        for (String token : t.tokens) {
            Entry e = lookup(token);
            if (e != null && e.className().equals(DATABASE) && !(relational && e.value().equals(NOT_RELATIONAL))) {
                return true;
            }
        }
        return false;
    }

    /** The unit written onto a number ("70mm", "5kg", "12oz"), or null. */
    private Entry glued(String token) {
        int k = 0;
        while (k < token.length() && Character.isDigit(token.charAt(k))) {
            k++;
        }
        if (k == 0 || k == token.length() || !token.substring(k).chars().allMatch(Character::isLetter)) {
            return null;
        }
        return words.get(Lexicon.stem(token.substring(k)));
    }

    /**
     * Nouns for a text asked for; the words before one, right after "write a" or the like, say
     * what kind of text: "Write a dramatic description" / "Write a dry, factual description", "an
     * urgent message" / "a calm message".
     */
    private static final Set<String> TEXTS = Lexicon.stems("description", "message", "email", "letter", "note",
            "essay", "post", "review", "summary", "speech", "toast", "caption", "reply", "response",
            "article", "bio", "introduction", "explanation", "guide", "report", "memo", "announcement",
            "invitation", "apology", "pitch", "proposal", "headline", "tagline", "newsletter", "narrative",
            "eulogy", "script", "overview", "reminder", "outline", "story", "poem");
    /** Adjectives that praise or size a text without asking for another kind: "a good email", "a short note". */
    private static final Set<String> PLAIN = Set.of("short", "quick", "good", "great", "nice", "simple",
            "small", "little", "new", "proper", "decent", "basic", "complete", "full", "whole", "final",
            "first", "single", "perfect", "effective", "strong", "solid", "clear");
    /** Words that may stand between a producing verb and the text's article: "write me a …". */
    private static final Set<String> RECIPIENTS = Set.of("me", "us", "him", "her", "them", "you");

    /**
     * The words that say what kind of text is asked for at {@code h}: up to two content words
     * between an article and the noun, the article right after a producing verb ("Write a
     * dramatic description", "Give me a calm message"), leaving out plain praise or size ("a good
     * email") and listed words, which their classes compare.
     */
    private void textSlot(TextFeatures t, int h, Map<String, Set<String>> out) {
        List<String> tokens = t.tokens;
        Set<String> modifiers = new TreeSet<>();
        int j = h - 1;
        for (int seen = 0; j >= 0 && seen < 2 && t.content.contains(tokens.get(j))
                && TextFeatures.number(tokens.get(j)) == null; j--, seen++) {
            if (!PLAIN.contains(tokens.get(j))) {
                addModifier(modifiers, tokens.get(j));
            }
        }
        if (modifiers.isEmpty() || j < 1 || !ARTICLES.contains(tokens.get(j))) {
            return;
        }
        int verb = RECIPIENTS.contains(tokens.get(j - 1)) ? j - 2 : j - 1;
        if (verb >= 0 && PRODUCERS.contains(tokens.get(verb))) {
            out.computeIfAbsent("text " + Lexicon.stem(tokens.get(h)), k -> new TreeSet<>()).addAll(modifiers);
        }
    }

    /** A word as a modifier is compared: stemmed, without a possessive "'s" or an adverb's "ly". */
    private static String modifierForm(String token) {
        String w = Lexicon.stem(Lexicon.withoutPossessive(token));
        if (w.length() > 7 && w.endsWith("ically")) {
            return w.substring(0, w.length() - 4); // "apologetically" as "apologetic"
        }
        if (w.length() > 5 && w.endsWith("ily")) {
            return w.substring(0, w.length() - 3) + "y"; // "healthily" as "healthy"
        }
        if (w.length() > 4 && w.endsWith("ly")) {
            w = w.substring(0, w.length() - 2);
        }
        // "gentle" / "gently", "formal" / "formally" meet without their last "l"
        String form = w.length() > 4 && w.endsWith("l") ? w.substring(0, w.length() - 1) : w;
        return SAME_MODIFIER.getOrDefault(form, form);
    }

    /**
     * Modifiers that ask the same of an answer, by the form {@link #modifierForm} gives them: "a
     * one-paragraph explanation" / "in a single paragraph", "a plain-language explanation" / "in
     * simple terms", "a humorous toast" / "a funny toast", "the intuition behind" / "an intuitive
     * explanation".
     */
    private static final Map<String, String> SAME_MODIFIER = Map.of("sing", "one", "plain", "simp", "humorou", "funny",
            "humorous", "funny", "intuition", "intuitiv");

    /**
     * The values a text names only in passing, at every place it names them: a data format
     * describing the data a question is about ({@link #DATA_NOUNS}: "a JSON payload", "read a CSV
     * file", not "as a CSV file"), the thing a text asks not to get ("as a table instead of
     * JSON"), an example a terse query ends on ({@link #searchedFor}) or one it gives itself
     * ({@link #forExample}), or details that are the facts it names ({@link #detailsNamed}).
     * {@link #shapesDiffer}
     * drops them where the other text does not name them at all.
     */
    private Set<String> inPassing(TextFeatures t) {
        Set<String> passing = new HashSet<>();
        Set<String> asked = new HashSet<>();
        for (int i = 0; i < t.tokens.size(); i++) {
            Entry e = lookup(t.tokens.get(i));
            if (e == null) {
                continue;
            }
            boolean data = DATA_FORMATS.contains(e.value()) && !intoFormat(t.tokens, i)
                    && (i + 1 < t.tokens.size() && DATA_NOUNS.contains(t.tokens.get(i + 1))
                            || anyIn(t.tokens, i - 2, i, DATA_MOVED));
            boolean searched = e.value().equals(EXAMPLE) && (searchedFor(t, i) || forExample(t.tokens, i));
            boolean named = e.value().equals(DETAIL) && (detailsNamed(t.tokens, i) || pointsToDetails(t.tokens, i));
            boolean origin = e.value().equals(SOURCE) && sourceNamed(t.tokens, i);
            (data || searched || named || origin || refused(t.tokens, i) ? passing : asked).add(e.value());
        }
        passing.removeAll(asked);
        return passing;
    }

    /** Whether "as", "into" or the like stands before the word at {@code i}, an article between at most. */
    private static boolean intoFormat(List<String> tokens, int i) {
        int j = i - 1;
        if (j >= 0 && ARTICLES.contains(tokens.get(j))) {
            j--;
        }
        return j >= 0 && INTO_FORMAT.contains(tokens.get(j));
    }

    /**
     * Whether the word at {@code i} is what the text asks not to get: it stands just after
     * "instead of" or "rather than", an article between at most ("as a table instead of JSON").
     */
    private static boolean refused(List<String> tokens, int i) {
        for (int m = Math.max(0, i - 3); m + 1 < i; m++) {
            if (RequestShape.insteadAt(tokens, m) && (m + 2 == i || ARTICLES.contains(tokens.get(m + 2)) && m + 3 == i)) {
                return true;
            }
        }
        return false;
    }

    /** What is read of both texts of a pair before either's shape: whether it is about a database, about React. */
    private record PairReading(boolean aboutADatabase, boolean aboutReact) {
    }

    /** Where a constraint word of a text is not the constraint at all. */
    @FunctionalInterface
    private interface Misreading {
        boolean at(TextFeatures t, int i, PairReading pair);
    }

    /** Words that make an "example" one asked for on top of an answer: "with a code example". */
    private static final Set<String> EXAMPLE_ASKED = Set.of("a", "an", "one", "some", "few", "two", "three",
            "with", "without", "using", "use", "plus", "and", "include", "including", "give", "show", "provide",
            "add", "explain", "illustrate");
    /** The most words a terse query has. */
    private static final int TERSE = 8;

    /**
     * Whether the word at {@code i} is the last of a terse query, after the thing looked for
     * ("kafka-topics.sh --list command example", "laravel hasOne relationship example"), where
     * no word of the query asks for an example on top of an answer ("Explain it with a bouncing
     * ball example").
     */
    private static boolean searchedFor(TextFeatures t, int i) {
        return i == t.tokens.size() - 1 && i >= 2 && i < TERSE && t.content.contains(t.tokens.get(i - 1))
                && t.tokens.stream().noneMatch(EXAMPLE_ASKED::contains);
    }

    /** Words that, among the three before "details", ask for them at length: "with all the details", "in full details". */
    private static final Set<String> DETAILS_IN_FULL = Set.of("in", "with", "all", "full", "more", "further", "extra", "additional",
            "every", "complete", "finer", "fine", "gory", "nitty");
    /** Words after "details" that make them what the text is about: "details about the dataset", "details such as". */
    private static final Set<String> DETAILS_OF = Set.of("about", "of", "on", "such", "like", "regarding", "concerning",
            "including");
    /** Words between "for" and "details" that point to them elsewhere: "for more details, see …". */
    private static final Set<String> DETAILS_POINTED = Set.of("more", "further", "full");
    /** Words before "details" that point at particular ones: "these details", "which details does the law ask for". */
    private static final Set<String> DETAILS_PICKED = Set.of("the", "these", "those", "which", "what", "its", "their",
            "your", "my", "our", "his", "her");

    /**
     * Whether "details" at {@code i} names particular facts rather than asking for a long answer:
     * "the details of the listing", "details such as a description and a license", "these
     * details:", where "explain it with all the details" or "in full details" does ask for length.
     */
    private static boolean detailsNamed(List<String> tokens, int i) {
        if (!tokens.get(i).equals("details") || anyIn(tokens, i - AMOUNT_REACH, i, DETAILS_IN_FULL)) {
            return false;
        }
        return anyIn(tokens, i + 1, i + 2, DETAILS_OF) || anyIn(tokens, i - 1, i, DETAILS_PICKED);
    }

    /**
     * Whether the word at {@code i} points to details given elsewhere rather than asking for them:
     * "For more details, see the guide", "as detailed in the document".
     */
    private static boolean pointsToDetails(List<String> tokens, int i) {
        String word = tokens.get(i);
        return word.equals("details") && i >= 2 && tokens.get(i - 2).equals("for") && DETAILS_POINTED.contains(tokens.get(i - 1))
                || word.equals("detailed") && i >= 1 && tokens.get(i - 1).equals("as");
    }

    /** Nouns that "source" describes, or "of" after it: "the source files", "the source of the images", not "cite your source". */
    private static final Set<String> SOURCE_OF = Set.of("of", "file", "files", "code", "data", "text", "texts", "image",
            "images", "language", "tree", "repository", "repo", "url", "urls", "material", "materials", "control", "map",
            "maps", "distribution", "build", "package", "packages");

    /**
     * Whether the word at {@code i} is "source" as where something comes from, not a source to
     * cite: "the source files", "can be sourced from". ("open-source" is left asked: "a free,
     * open-source password manager" asks for another answer than "a password manager".)
     */
    private static boolean sourceNamed(List<String> tokens, int i) {
        return tokens.get(i).equals(SOURCE) && i + 1 < tokens.size() && SOURCE_OF.contains(tokens.get(i + 1))
                || tokens.get(i).equals("sourced"); // "from which image datasets can be sourced"
    }

    /**
     * Whether the word at {@code i} is the "example" of "for example", which brings in one of
     * the text's own ("For example, iterating over English Wikipedia gives 1-3 Gbit/s") rather
     * than asking for one. Read in passing, so that it still matches an example the other text
     * gives in other words ("As an example, …").
     */
    private static boolean forExample(List<String> tokens, int i) {
        return i > 0 && tokens.get(i).equals(EXAMPLE) && tokens.get(i - 1).equals("for");
    }

    /** Values whose word, at some places, means something else, each with where. */
    private static final Map<String, Misreading> MISREADINGS = Map.of(
            // "budget-friendly", "kid-friendly", "user friendly": a compound, not a tone
            FRIENDLY, (t, i, pair) -> t.hyphenated.contains(i) || i > 0 && t.tokens.get(i - 1).equals("user"),
            // "the cert served by example.com": a placeholder domain, not an example asked for
            EXAMPLE, (t, i, pair) -> i + 1 < t.tokens.size() && DOMAINS.contains(t.tokens.get(i + 1)),
            // "a bullet shot in the stomach": no bullet points
            BULLET, (t, i, pair) -> !bulletPoints(t.tokens, i),
            // "How do vinegar and baking soda react?", "How are Mexicans reacting?"
            // ("React's Context API" is the library's)
            REACT, (t, i, pair) -> !(pair.aboutReact() && REACT_OWN.contains(t.tokens.get(i))
                    || t.tokens.get(i).equals("reactjs")),
            // "show tables", "alter table": what is asked about, not the answer's shape
            TABLE, (t, i, pair) -> pair.aboutADatabase(),
            // "keep my blade from rusting", "rusty": iron, not the language
            RUST, (t, i, pair) -> !t.tokens.get(i).equals(RUST),
            // "pass a binding to a child view", "kill the child process": a part of the program
            CHILD, (t, i, pair) -> i + 1 < t.tokens.size() && CHILD_PARTS.contains(t.tokens.get(i + 1)),
            // "yyyy-MM-dd": a date's month, not millimetres
            MILLIMETER, (t, i, pair) -> anyIn(t.tokens, i - 1, i, DATE_PARTS) || anyIn(t.tokens, i + 1, i + 2, DATE_PARTS));

    /**
     * Whether the word at {@code i}, a data format or "example", is part of a name joined by
     * points, a file's or a package's ("package.json", "appsettings.json", "com.example.app"), not
     * a format or an example asked of the answer.
     */
    private static boolean partOfAName(TextFeatures t, int i, Entry e) {
        return (DATA_FORMATS.contains(e.value()) || e.value().equals(EXAMPLE))
                && (t.dotted.contains(i) || t.dotted.contains(i + 1));
    }

    /** Per class, the values a text asks of the answer: {@link #valuesIn}, the words above only where they set it. */
    private Map<String, Set<String>> answerShape(TextFeatures t, PairReading reading) {
        Map<String, Set<String>> out = new TreeMap<>();
        String target = translationTarget(t.tokens);
        for (int i = 0; i < t.tokens.size(); i++) {
            Entry e = lookup(t.tokens.get(i));
            if (e == null) {
                add(out, glued(t.tokens.get(i)));
                continue;
            }
            Misreading misread = MISREADINGS.get(e.value());
            if (misread != null && misread.at(t, i, reading) || partOfAName(t, i, e)) {
                continue;
            }
            if (!soft(e.className(), e.value())) {
                add(out, e);
            } else if (i > 0 && setsTheAnswer(e, t, i)
                    // "which is written in Japanese, into English": the source, not the answer's language
                    && !(e.className().equals(NATURAL_LANGUAGE) && target != null && !target.equals(e.value()))) {
                add(out, e.className().equals(READER) ? new Entry(AUDIENCE, e.value()) : e);
            }
        }
        // Pairs ("in Go", "plain English") are never soft.
        for (String pair : t.bigrams) {
            add(out, pairs.get(pair));
        }
        // An age or a school grade is an audience, and names it more closely than "kid" or
        // "students" beside it: "to a six-year-old" asks what "to a 6 year old kid" does, and
        // "for fourth graders" what "for 4th grade students" does.
        Entry level = schoolLevel(t.tokens, true);
        if (level != null) {
            Entry child = words.get(Lexicon.stem("child"));
            Entry teen = words.get(Lexicon.stem("teenager"));
            Set<String> audience = out.get(child.className());
            if (audience != null) {
                audience.remove(child.value());
                audience.remove(teen.value());
                if (audience.isEmpty()) {
                    out.remove(child.className());
                }
            }
            add(out, level);
        }
        return out;
    }

    /** The oldest age read as a child's, and as a teenager's. */
    private static final int CHILDHOOD = 12;
    private static final int TEENS = 19;
    /** The last school grade read as a child's (grades after it, to the 12th, are a teenager's). */
    private static final int PRIMARY = 6;
    private static final int LAST_GRADE = 12;
    private static final List<String> ORDINALS = List.of("first", "second", "third", "fourth", "fifth",
            "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth");
    /** An age or a grade is a number of one or two digits; a year of age up to three. */
    private static final Pattern TWO_DIGITS = Pattern.compile("\\d{1,2}");
    /** An age written short: "6yo". */
    private static final Pattern YEARS_OLD = Pattern.compile("(\\d{1,2})yo");
    private static final Pattern THREE_DIGITS = Pattern.compile("\\d{1,3}");

    /**
     * The audience an age ("a 9-year-old"), a school grade ("fourth graders", "a 10th-grade
     * class") or a school ("a middle schooler", "high school students") names, where it names who
     * the answer is for ({@link #addressed}): the child's up to {@value #CHILDHOOD} years, the
     * {@value #PRIMARY}th grade or primary school, else the teenager's up to {@value #TEENS} years,
     * the {@value #LAST_GRADE}th grade or secondary school; null for none, or an adult's age.
     */
    private Entry schoolLevel(List<String> tokens, boolean addressedOnly) {
        Entry child = words.get(Lexicon.stem("child"));
        Entry teen = words.get(Lexicon.stem("teenager"));
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (addressedOnly && !addressed(tokens, i)) {
                continue;
            }
            String word = tokens.get(i);
            String next = tokens.get(i + 1);
            String n = TextFeatures.number(word);
            String spoken = i > 0 ? TextFeatures.number(next) : null;
            if (spoken != null && TWO_DIGITS.matcher(spoken).matches() && (word.equals("i'm") || word.equals("im")
                    || word.equals("am") && tokens.get(i - 1).equals("i"))) {
                // "explain it like I'm twelve"
                int years = Integer.parseInt(spoken);
                return years <= CHILDHOOD ? child : years <= TEENS ? teen : null;
            }
            if (n != null && THREE_DIGITS.matcher(n).matches() && i + 2 < tokens.size()
                    && (next.equals("year") || next.equals("years"))
                    && (tokens.get(i + 2).equals("old") || tokens.get(i + 2).equals("olds")
                            || tokens.get(i + 2).equals("old's"))) {
                int years = Integer.parseInt(n);
                return years <= CHILDHOOD ? child : years <= TEENS ? teen : null;
            }
            if (next.equals("grade") || next.equals("grader") || next.equals("graders")) {
                int grade = ORDINALS.indexOf(word) + 1;
                if (grade == 0 && n != null && TWO_DIGITS.matcher(n).matches()) {
                    grade = Integer.parseInt(n);
                }
                if (grade >= 1 && grade <= LAST_GRADE) {
                    return grade <= PRIMARY ? child : teen;
                }
            }
            // "at high school", "in middle school" name a place, not a reader
            boolean place = i > 0 && (tokens.get(i - 1).equals("at") || tokens.get(i - 1).equals("in"));
            if (!place && (next.equals("school") || next.equals("schooler") || next.equals("schoolers"))) {
                if (PRIMARY_SCHOOLS.contains(word)) {
                    return child;
                }
                if (SECONDARY_SCHOOLS.contains(word)) {
                    return teen;
                }
            }
        }
        return null;
    }

    private static final Set<String> PRIMARY_SCHOOLS = Set.of("elementary", "primary", "grade");
    private static final Set<String> SECONDARY_SCHOOLS = Set.of("middle", "high", "secondary");

    private static boolean soft(String className, String value) {
        return className.equals(NATURAL_LANGUAGE) || className.equals(AUDIENCE) || className.equals(READER)
                || className.equals(LENGTH) && LENGTH_UNITS.contains(value)
                || className.equals(EXTRAS) && value.equals(STEP);
    }

    /** The language a text translates into ("into English", "to German"), or null. */
    private String translationTarget(List<String> tokens) {
        for (int i = 1; i < tokens.size(); i++) {
            Entry e = lookup(tokens.get(i));
            String before = tokens.get(i - 1);
            if (e != null && e.className().equals(NATURAL_LANGUAGE) && (before.equals("into") || before.equals("to"))) {
                return e.value();
            }
        }
        return null;
    }

    /**
     * Whether an audience word at {@code at} names who the answer is for: "for", "to", "as",
     * "like" or "at" among the {@value #AUDIENCE_REACH} words before it, with no verb between ("for a complete beginner",
     * "to my grandma", "aimed at beginners"), not a person the prompt is about ("How do I handle a
     * student who keeps interrupting?").
     */
    private static boolean addressed(List<String> tokens, int at) {
        for (int j = at - 1; j >= Math.max(0, at - AUDIENCE_REACH); j--) {
            String w = tokens.get(j);
            if (AUDIENCE_MARKERS.contains(w)) {
                return true;
            }
            if (ACTS.contains(w) || CLAUSES.contains(w)) {
                // "when to see a doctor", "how to teach kids", "email parents whenever a student …":
                // a person the prompt is about
                return false;
            }
        }
        return false;
    }

    /** Words that open a clause of their own between a marker and a person. */
    private static final Set<String> CLAUSES = Set.of("when", "whenever", "who", "whom", "that", "which",
            "if", "because", "while", "where", "whose", "and", "or", "but");
    /** How far before an audience word its marker ("for", "to", "as", "like", "at") may stand: "to a complete wine novice". */
    private static final int AUDIENCE_REACH = 4;
    /** Verbs that make the person after "to" or "for" someone acted on, not the answer's reader. */
    private static final Set<String> ACTS = Set.of("see", "visit", "become", "be", "talk", "speak", "go",
            "get", "send", "give", "call", "ask", "hire", "pay", "consult", "apply", "tell", "say", "take",
            "bring", "make", "find", "meet", "contact", "help", "teach", "raise", "date", "marry", "sell",
            "buy", "gift", "introduce", "convince", "motivate", "discipline", "treat");

    /** Whether a soft word at {@code i} (never the first) sets the answer; see {@link #NATURAL_LANGUAGE}. */
    private boolean setsTheAnswer(Entry e, TextFeatures t, int i) {
        List<String> tokens = t.tokens;
        if (e.className().equals(NATURAL_LANGUAGE)) {
            return INTO.contains(tokens.get(i - 1)) && !describes(t, i);
        }
        if (e.className().equals(AUDIENCE) || e.className().equals(READER)) {
            // a person, not a field ("for a battery engineer", not "for GATE in mechanical engineering")
            return !tokens.get(i).endsWith("ing") && addressed(tokens, i);
        }
        if (e.className().equals(EXTRAS)) {
            return tokens.get(i - 1).equals("by") || i + 1 < tokens.size() && tokens.get(i + 1).equals("by")
                    || i + 3 < tokens.size() && tokens.subList(i + 1, i + 4).equals(AT_A_TIME)
                    || STEP_FORMS.contains(tokens.get(i - 1))
                    || i > 1 && STEP_FORMS.contains(tokens.get(i - 2)) && !LEXICON.isStopword(tokens.get(i - 1));
        }
        return amountBefore(tokens, i);
    }

    /** "one step at a time" asks what "step by step" does. */
    private static final List<String> AT_A_TIME = List.of("at", "a", "time");
    /** Words after a language name that still leave it the answer's language: "in French please", "into Spanish text". */
    private static final Set<String> IN_LANGUAGE = Set.of("please", "only", "language", "text", "translation",
            "script", "characters", "words", "instead", "too", "also");

    /**
     * Whether the language name at {@code i} describes the noun after it in the same clause ("to
     * Japanese ham radio operators", "in French cuisine"): a nationality, not the answer's language.
     */
    private boolean describes(TextFeatures t, int i) {
        int next = i + 1;
        if (next >= t.tokens.size() || t.clauseStarts.contains(next) || t.sentenceStarts.contains(next)) {
            return false;
        }
        String w = t.tokens.get(next);
        // "in Mandarin Chinese", "in Dutch concisely", "in Spanish, briefly": no noun follows
        boolean noun = words.get(Lexicon.stem(w)) == null && !w.endsWith("ly");
        return noun && t.content.contains(w) && TextFeatures.number(w) == null && !IN_LANGUAGE.contains(w);
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
     * 1 when both texts turn one value of a class into another, in opposite directions: "Celsius
     * to Fahrenheit" / "Fahrenheit to Celsius", "from English to French" / "from French to
     * English", "How many miles is 10 km?" / "Convert 10 miles to km"; or when two things trade
     * places or roles ({@link RequestShape#comparisonSwap}, {@link RequestShape#spansExchanged},
     * {@link RequestShape#rolesAsked}, {@link RequestShape#causeReversed}, {@link
     * RequestShape#conversionReversed}, {@link RequestShape#speakerTraded}, {@link
     * RequestShape#passiveTurned}, {@link RequestShape#preferenceReversed}, {@link
     * RequestShape#mentionTraded}, {@link RequestShape#wordsTraded}, {@link
     * RequestShape#insteadReversed}, {@link RequestShape#insteadDropped}, {@link
     * RequestShape#movementReversed}: "What eats sardines?" /
     * "What do sardines eat?"). The words are mostly the same, so {@link #mismatch} cannot see it;
     * the request is reversed. Two values merely named in another order ("Python or Java?" /
     * "Java or Python?", "Python vs Java") ask the same.
     */
    static double directionSwap(TextFeatures a, TextFeatures b) {
        // each check gives 0 or 1; the first that fires decides, and the rest are not computed
        boolean reversed = DEFAULT.swapped(a, b) || RequestShape.comparisonSwap(a, b) > 0
                || RequestShape.spansExchanged(a, b) > 0 || RequestShape.rolesAsked(a, b) > 0
                || RequestShape.causeReversed(a, b) > 0 || RequestShape.conversionReversed(a, b) > 0
                || RequestShape.speakerTraded(a, b) > 0 || RequestShape.passiveTurned(a, b) > 0
                || RequestShape.preferenceReversed(a, b) > 0 || RequestShape.mentionTraded(a, b) > 0
                || RequestShape.wordsTraded(a, b) > 0 || RequestShape.insteadReversed(a, b) > 0
                || RequestShape.insteadDropped(a, b) > 0 || RequestShape.movementReversed(a, b) > 0;
        return reversed ? 1 : 0;
    }

    boolean swapped(TextFeatures a, TextFeatures b) {
        Map<String, List<String>> inA = directions(a);
        Map<String, List<String>> inB = directions(b);
        for (Map.Entry<String, List<String>> e : inA.entrySet()) {
            List<String> y = inB.get(e.getKey());
            List<String> x = e.getValue();
            if (y != null && x.get(0).equals(y.get(1)) && x.get(1).equals(y.get(0))) {
                return true;
            }
        }
        return false;
    }

    /** Words between two values that make the first the source and the second the target. */
    private static final Set<String> TOWARD = Set.of("to", "into", "in", "as");
    /** How many words may stand between the two values of a conversion. */
    private static final int CONVERSION_REACH = 4;

    /**
     * Per class, the conversion a text asks for, as its source and target value: "X to Y", "X
     * into Y", "X in Y" and "X as Y" with at most {@value #CONVERSION_REACH} words between, "Y
     * from X" (a "from" between them), and "how many (or much) Y … X". A class whose values are
     * only listed ("X or Y", "X vs Y", "X and Y") has no direction.
     */
    private Map<String, List<String>> directions(TextFeatures t) {
        List<String> tokens = t.tokens;
        Map<String, List<String>> out = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Entry first = lookup(tokens.get(i));
            if (first == null || out.containsKey(first.className())) {
                continue;
            }
            boolean asked = howMany(tokens, i);
            for (int j = i + 1; j < tokens.size(); j++) {
                Entry second = lookup(tokens.get(j));
                if (second == null || !second.className().equals(first.className())
                        || second.value().equals(first.value())) {
                    continue;
                }
                List<String> between = tokens.subList(i + 1, j);
                if (asked) {
                    out.put(first.className(), List.of(second.value(), first.value()));
                } else if (between.size() <= CONVERSION_REACH && between.contains("from")) {
                    out.put(first.className(), List.of(second.value(), first.value()));
                } else if (between.size() <= CONVERSION_REACH && toward(tokens, i + 1, j)) {
                    out.put(first.className(), List.of(first.value(), second.value()));
                }
                break;
            }
        }
        return out;
    }

    /**
     * Whether a word between {@code from} and {@code to} turns the first value into the second: "to",
     * "into", "in", or "as" where it converts ("save it as JSON"), not where it compares ("the same
     * as", "as well as", "as fast as").
     */
    private static boolean toward(List<String> tokens, int from, int to) {
        for (int k = from; k < to; k++) {
            String w = tokens.get(k);
            if (TOWARD.contains(w) && (!w.equals("as") || RequestShape.convertingAs(tokens, k))) {
                return true;
            }
        }
        return false;
    }

    /** Whether "how many" or "how much" stands just before the word at {@code at}. */
    private static boolean howMany(List<String> tokens, int at) {
        for (int j = at - 1; j >= Math.max(1, at - 2); j--) {
            String w = tokens.get(j);
            if ((w.equals("many") || w.equals("much")) && tokens.get(j - 1).equals("how")) {
                return true;
            }
        }
        return false;
    }

    /** Class name to the values (each named by its first spelling) that a text holds, readers left out; sorted, for reading a decision. */
    Map<String, Set<String>> valuesIn(TextFeatures t) {
        Map<String, Set<String>> found = new TreeMap<>();
        for (String stem : t.stems) {
            Entry e = words.get(stem);
            if (e != null && !e.className().equals(READER)) {
                add(found, e);
            }
        }
        for (String pair : t.bigrams) {
            add(found, pairs.get(pair));
        }
        for (String token : t.tokens) {
            add(found, glued(token));
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
