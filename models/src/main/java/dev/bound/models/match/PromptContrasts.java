package dev.bound.models.match;

import dev.bound.models.match.PairEvaluation.LabelledPair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Labelled pairs of assistant prompts that differ by one constraint, or only in wording (issue 11).
 * A cache must not serve the answer to "Explain recursion in one sentence." for "Explain recursion
 * in detail.", yet should serve it for "Can you explain recursion in a single sentence?".
 *
 * <p>A request is a task (explain, summarize, write a poem, list, convert, translate, code…), a
 * topic, the task's slots (a poem form, a count, a programming language, a pair of units) and up to
 * two optional constraints (length, audience, output language, tone, format, extras). A positive is
 * the same request written again: another frame or verb, other spellings of each value, the
 * constraints moved to the front or into a sentence of their own, the two sides of a symmetric
 * comparison exchanged. A negative changes one thing: a slot or constraint gets another value, a
 * constraint is added or removed, or a directed request is turned around (Celsius to Fahrenheit,
 * English to French, the advantages of A over B); half the negatives are also reworded, so that a
 * change of wording alone never tells the label. Labels alternate, so a list is half positives.
 *
 * <p>The two halves share no topic and no wording. Every topic, verb, frame and question list is
 * written as its training part, "|", and its held-out part; {@link #train} draws only on the first
 * parts and {@link #heldOut} only on the second, so a verifier trained on one half is measured on
 * prompts about other things, phrased in ways it has never seen. Constraint values (French, haiku,
 * Python) are common to both halves, as is the first spelling of each; further spellings are split
 * the same way. Deterministic for a seed.
 */
final class PromptContrasts {

    /** Which disjoint part of the lists a pair is made from. */
    enum Half { TRAIN, HELD_OUT }

    /** The seed and size of {@link #HELD_OUT_FILE}, which {@link #main} writes. */
    static final long HELD_OUT_SEED = 11;
    static final int HELD_OUT_COUNT = 600;
    static final String HELD_OUT_FILE = "models/eval/prompt-contrasts-heldout.csv";

    private static final int ATTEMPTS_PER_PAIR = 50;
    /** Inline constraints that read well in front of the request: "In French, explain recursion." */
    private static final List<String> FRONTABLE = List.of("in ", "for ", "as ", "using ");

    /** A list in two parts: items before "|" belong to the training half, items after it to the held-out half. */
    private record Halves(List<String> train, List<String> heldOut) {
        List<String> of(Half half) {
            return half == Half.TRAIN ? train : heldOut;
        }
    }

    private static final Halves NONE = new Halves(List.of(), List.of());

    private static Halves halves(String... items) {
        List<String> all = List.of(items);
        int bar = all.indexOf("|");
        if (bar < 0) {
            throw new IllegalArgumentException("no '|' between the two halves in " + all);
        }
        return new Halves(all.subList(0, bar), all.subList(bar + 1, all.size()));
    }

    /** One value of a slot or constraint and the ways prompts write it; a form that starts upper-case and ends with '.' is a sentence of its own. */
    private record Value(String key, Halves forms) {
        List<String> forms(Half half) {
            return forms.of(half);
        }
    }

    /** A value's forms: the first serves both halves, the rest before "|" the training half and after it the held-out half (all of them both, without "|"). */
    private static Value v(String... forms) {
        List<String> all = List.of(forms);
        int bar = all.indexOf("|");
        List<String> train = new ArrayList<>(List.of(forms[0]));
        List<String> heldOut = new ArrayList<>(List.of(forms[0]));
        train.addAll(all.subList(1, bar < 0 ? all.size() : bar));
        heldOut.addAll(all.subList(bar < 0 ? 1 : bar + 1, all.size()));
        return new Value(forms[0], new Halves(List.copyOf(train), List.copyOf(heldOut)));
    }

    private record Dimension(String name, List<Value> values) {
    }

    private static Dimension dim(String name, Value... values) {
        return new Dimension(name, List.of(values));
    }

    // ---- Constraints: optional clauses; a negative changes, adds or removes one.

    /** How long the answer should be. */
    private static final Dimension LENGTH = dim("length",
            v("in one sentence", "in a single sentence", "Answer in one sentence.", "|", "in just one sentence", "Keep it to one sentence."),
            v("in three sentences", "in 3 sentences", "|", "using three sentences", "Use three sentences."),
            v("in one paragraph", "in a single paragraph", "|", "in just one paragraph", "Keep it to one paragraph."),
            v("in about 50 words", "in 50 words", "|", "in roughly fifty words", "Use about 50 words."),
            v("in about 200 words", "in 200 words", "|", "in roughly 200 words", "Aim for about 200 words."),
            v("briefly", "in brief", "Please be brief.", "|", "concisely", "Keep it brief.", "in a few words"),
            v("in detail", "in depth", "Please be thorough.", "|", "thoroughly", "in great detail", "Go into detail."));

    /** Who the answer is for. */
    private static final Dimension AUDIENCE = dim("audience",
            v("for a child", "aimed at a child", "|", "for a kid", "for a young child"),
            v("for a beginner", "for beginners", "|", "for a complete beginner", "for a novice"),
            v("for an expert", "for experts", "|", "for a specialist", "at an expert level"),
            v("for a historian", "aimed at a historian", "|", "for historians", "for a professional historian"),
            v("for a CEO", "aimed at a CEO", "|", "for a busy CEO", "for the CEO of a company"),
            v("for a high school student", "aimed at a high school student", "|", "for a teenager", "for a high schooler"),
            v("for a software developer", "for a developer", "|", "for a programmer", "for software developers"),
            v("for my grandmother", "aimed at my grandmother", "|", "for my grandma", "for my granny"),
            v("for a doctor", "aimed at a doctor", "|", "for a physician", "for medical doctors"));

    /** The language of the answer (not of the prompt, which stays English). */
    private static final Dimension OUTPUT_LANGUAGE = dim("output language",
            answerIn("French"), answerIn("Spanish"), answerIn("German"), answerIn("Italian"), answerIn("Portuguese"),
            answerIn("Japanese"), answerIn("Dutch"), answerIn("Korean"), answerIn("Russian"), answerIn("Chinese"));

    private static Value answerIn(String language) {
        return v("in " + language, "Answer in " + language + ".", "|", "Reply in " + language + ".", "Respond in " + language + ".");
    }

    /** The register of the answer. */
    private static final Dimension TONE = dim("tone",
            v("in a formal tone", "formally", "|", "in a formal style", "Use a formal tone."),
            v("in a casual tone", "casually", "|", "in an informal tone", "Keep the tone casual."),
            v("in a funny way", "humorously", "|", "with humor", "Make it funny."),
            v("in a sarcastic tone", "sarcastically", "|", "with sarcasm", "Make it sarcastic."),
            v("in a friendly tone", "|", "in a friendly way", "Keep it friendly."),
            v("in a serious tone", "|", "in a serious way", "Keep the tone serious."),
            v("in a persuasive tone", "persuasively", "|", "in a persuasive way", "Make it persuasive."),
            v("in an enthusiastic tone", "enthusiastically", "|", "with enthusiasm", "Sound enthusiastic."));

    /** The container of the answer; exclusive with LENGTH (a tweet or a table already sets the length). */
    private static final Dimension FORMAT = dim("format",
            v("as a bullet list", "in bullet points", "|", "as bullet points", "Use bullet points."),
            v("as a table", "in a table", "|", "in table form", "Put it in a table."),
            v("as JSON", "in JSON format", "|", "as a JSON object", "Format it as JSON."),
            v("as an essay", "in essay form", "|", "in the form of an essay", "Write it as an essay."),
            v("as a tweet", "in a tweet", "|", "in the form of a tweet", "Make it fit in a tweet."),
            v("as a poem", "in verse", "|", "in the form of a poem", "Write it as a poem."),
            v("as a dialogue", "|", "in the form of a dialogue", "Write it as a dialogue."));

    /** Small additions that change what a good answer holds ("with examples", "step by step"). */
    private static final Dimension EXTRAS = dim("extras",
            v("with examples", "with a few examples", "Include examples.", "|", "including examples", "Give some examples."),
            v("step by step", "Walk through it step by step.", "|", "Go step by step.", "in a step-by-step way"),
            v("with sources", "and cite your sources", "Cite sources.", "|", "Cite your sources.", "with citations"),
            v("using an analogy", "with an analogy", "|", "Use an analogy.", "by way of an analogy"));

    /** What a code answer must include besides the code. */
    private static final Dimension CODE_EXTRAS = dim("code extras",
            v("Add comments.", "Include comments in the code.", "|", "Comment the code.", "Please add comments."),
            v("Include unit tests.", "Add unit tests.", "|", "Write unit tests for it too.", "Add some unit tests as well."),
            v("Add error handling.", "Handle errors.", "|", "Include error handling.", "Make sure errors are handled."));

    /** A recipe's diet. */
    private static final Dimension DIET = dim("diet",
            v("that is vegan", "Make it vegan.", "|", "that's fully vegan", "It needs to be vegan."),
            v("that is vegetarian", "Make it vegetarian.", "|", "that's vegetarian", "It needs to be vegetarian."),
            v("that is gluten-free", "Make it gluten-free.", "|", "that's gluten-free", "It needs to be gluten-free."),
            v("that is dairy-free", "Make it dairy-free.", "|", "that's dairy-free", "It needs to be dairy-free."),
            v("that is low-carb", "Make it low-carb.", "|", "that's low-carb", "It needs to be low-carb."));

    /** A recipe's size. */
    private static final Dimension SERVINGS = dim("servings",
            v("for two people", "for 2 people", "|", "that serves two", "It should serve two."),
            v("for four people", "for 4 people", "|", "that serves four", "It should serve four."),
            v("for six people", "for 6 people", "|", "that serves six", "It should serve six."),
            v("for twelve people", "for 12 people", "|", "that serves twelve", "It should serve twelve."));

    /** How a converted figure should be given. */
    private static final Dimension PRECISION = dim("precision",
            v("rounded to the nearest whole number", "Round to the nearest whole number.", "|", "Round it to a whole number."),
            v("rounded to two decimal places", "Round to two decimal places.", "|", "Give two decimal places.", "to 2 decimal places"),
            v("and show your work", "Show your work.", "|", "and show all your work", "Show all of your work."));

    /** Pairs of constraints that make no sense together. */
    private static final Set<Set<Dimension>> EXCLUSIVE = Set.of(Set.of(LENGTH, FORMAT));

    // ---- Slots: always filled; a negative may give one another value.

    /** The language a code answer is written in. */
    private static final Dimension PROGRAMMING_LANGUAGE = dim("programming language",
            v("Python"), v("Java"), v("JavaScript"), v("TypeScript"), v("Rust"), v("Go"), v("C++"), v("C#"), v("Ruby"),
            v("Kotlin"), v("Swift"), v("PHP"));
    /** What a creative piece is. */
    private static final Dimension CREATIVE_FORM = dim("creative form",
            v("a haiku"), v("a limerick"), v("a sonnet"), v("a poem"), v("a short story"), v("a song"), v("a riddle"), v("an ode"));
    /** How many items a list asks for; digits and words are the same value. */
    private static final Dimension COUNT = dim("count",
            v("3", "three"), v("5", "five"), v("7", "seven"), v("10", "ten"));
    /** The two sides of a translation. */
    private static final Dimension LANGUAGE = dim("language",
            v("English"), v("French"), v("Spanish"), v("German"), v("Italian"), v("Portuguese"), v("Japanese"), v("Chinese"),
            v("Korean"), v("Dutch"), v("Russian"), v("Arabic"));
    /** Amounts to convert; never changed by a negative (that is a number edit, which ContrastEdits makes). */
    private static final Dimension AMOUNT = dim("amount", v("5"), v("12"), v("30"), v("45"), v("75"), v("100"), v("250"));

    // ---- Wording: frames put around every verb phrase of a task.

    /** Frames around a verb phrase ({v}), training part | held-out part. */
    private static final Halves FRAMES = halves(
            "{v}.", "please {v}.", "can you {v}?", "could you {v}?", "I'd like you to {v}.",
            "|",
            "{v}, please.", "would you {v}?", "I need you to {v}.", "I want you to {v}.", "could you please {v}?");

    /**
     * A kind of request. Verb phrases go into every frame; questions are whole sentences. In both,
     * {t} is the topic, or {a} and {b} its two parts when it is written "a|b"; a slot's name in
     * braces is its value; inline constraints go where {c} is, or before the closing mark.
     */
    private static final class Task {
        final String name;
        final Halves topics;
        Halves verbs = NONE;
        Halves questions = NONE;
        final Map<String, Dimension> slots = new LinkedHashMap<>();
        final List<String> changeable = new ArrayList<>();
        List<Dimension> constraints = List.of();
        /** Turning the request around ({a} and {b} exchanged) changes its meaning. */
        boolean directional;
        /** Exchanging {a} and {b} keeps its meaning. */
        boolean symmetric;

        Task(String name, String... topics) {
            this.name = name;
            this.topics = halves(topics);
        }

        Task verbs(String... verbs) {
            this.verbs = halves(verbs);
            return this;
        }

        Task questions(String... questions) {
            Halves written = halves(questions);
            this.questions = new Halves(withTail(written.train()), withTail(written.heldOut()));
            return this;
        }

        private static List<String> withTail(List<String> questions) {
            return questions.stream()
                    .map(q -> q.contains("{c}") ? q : q.substring(0, q.length() - 1) + "{c}" + q.charAt(q.length() - 1))
                    .toList();
        }

        /** Whether a wording is one of the whole-sentence questions, where only a prepositional phrase reads well before the '?'. */
        boolean isQuestion(String wording) {
            return questions.train().contains(wording) || questions.heldOut().contains(wording);
        }

        Task slot(String name, Dimension dimension, boolean canChange) {
            slots.put(name, dimension);
            if (canChange) {
                changeable.add(name);
            }
            return this;
        }

        Task constraints(Dimension... dimensions) {
            constraints = List.of(dimensions);
            return this;
        }

        Task directional() {
            directional = true;
            return this;
        }

        Task symmetric() {
            symmetric = true;
            return this;
        }

        List<String> wordings(Half half) {
            List<String> out = new ArrayList<>();
            for (String frame : FRAMES.of(half)) {
                for (String verb : verbs.of(half)) {
                    out.add(frame.replace("{v}", verb + "{c}"));
                }
            }
            out.addAll(questions.of(half));
            return out;
        }
    }

    /** Compared things, as "a|b": shared by compare, prefer and similarities, split like every topic list. */
    private static final String[] PAIRS = {
        "tea|coffee", "renting|buying a home", "stocks|bonds", "electric cars|gasoline cars", "public schools|private schools",
        "iOS|Android", "running|swimming", "Mac laptops|Windows laptops",
        "|",
        "Linux|Windows", "solar power|wind power", "leasing a car|buying a car", "Spotify|Apple Music", "yoga|pilates",
        "credit cards|debit cards", "trains|planes", "hardwood floors|carpet"};

    /** Every kind of request, each with its topics and wordings split into the two halves. */
    private static final List<Task> TASKS = List.of(
            new Task("explain",
                    "recursion", "photosynthesis", "inflation", "blockchain", "compound interest", "the greenhouse effect",
                    "machine learning", "supply and demand", "black holes", "the immune system",
                    "|",
                    "entropy", "DNA replication", "quantum entanglement", "plate tectonics", "neural networks",
                    "natural selection", "the theory of relativity", "opportunity cost", "public-key cryptography", "the placebo effect")
                    .verbs("explain {t}", "give me an explanation of {t}", "|", "help me understand {t}", "walk me through {t}")
                    .constraints(LENGTH, AUDIENCE, OUTPUT_LANGUAGE, TONE, FORMAT, EXTRAS),
            new Task("summarize",
                    "the French Revolution", "the plot of Hamlet", "World War I", "the history of the Roman Empire",
                    "the Industrial Revolution", "the plot of Pride and Prejudice", "the Cold War", "the life of Marie Curie",
                    "the fall of the Berlin Wall", "the Apollo 11 mission",
                    "|",
                    "the American Civil War", "the plot of Macbeth", "the Renaissance", "the Cuban Missile Crisis",
                    "the life of Nelson Mandela", "the history of the printing press", "the plot of The Great Gatsby",
                    "the Black Death", "the Meiji Restoration", "the Space Race")
                    .verbs("summarize {t}", "give me a summary of {t}", "|", "sum up {t}", "give me an overview of {t}")
                    .constraints(LENGTH, AUDIENCE, OUTPUT_LANGUAGE, TONE, FORMAT),
            new Task("describe",
                    "daily life in medieval Europe", "the Amazon rainforest", "a typical day for a nurse", "the city of Kyoto",
                    "the Sahara desert", "life on a submarine", "a traditional Moroccan market", "the surface of Mars",
                    "|",
                    "the Great Barrier Reef", "a day in the life of a firefighter", "the streets of Havana",
                    "life at a research station in Antarctica", "the northern lights", "the city of Lisbon",
                    "the Scottish Highlands", "a night market in Taipei")
                    .verbs("describe {t}", "give me a description of {t}", "|", "tell me about {t}", "paint a picture of {t}")
                    .constraints(LENGTH, AUDIENCE, OUTPUT_LANGUAGE, TONE, FORMAT),
            new Task("advice",
                    "preparing for a job interview", "saving for retirement", "learning to play the guitar", "negotiating a salary",
                    "training for a first marathon", "dealing with a difficult coworker", "starting a vegetable garden",
                    "moving to a new city",
                    "|",
                    "buying a first home", "asking for a promotion", "learning to swim as an adult", "planning a wedding on a budget",
                    "getting better sleep", "public speaking", "caring for a new puppy", "paying off credit card debt")
                    .verbs("give me advice on {t}", "give me some tips on {t}", "|", "offer me guidance on {t}", "share some advice on {t}")
                    .questions("how should I approach {t}?", "|", "what would you recommend for {t}?")
                    .constraints(LENGTH, AUDIENCE, OUTPUT_LANGUAGE, TONE, FORMAT),
            new Task("email",
                    "my landlord about a broken heater", "my manager asking for a day off", "a client apologizing for a late delivery",
                    "my team announcing a new project", "a professor asking for a deadline extension", "a neighbor about a noisy dog",
                    "|",
                    "my bank disputing a charge", "a hotel asking about early check-in", "my coworkers inviting them to a farewell lunch",
                    "a supplier asking for a discount", "my gym canceling my membership", "a recruiter declining a job offer")
                    .verbs("write an email to {t}", "draft an email to {t}", "|", "compose an email to {t}", "put together an email to {t}")
                    .constraints(TONE, LENGTH, OUTPUT_LANGUAGE),
            new Task("recipe",
                    "lasagna", "banana bread", "chicken curry", "pancakes", "chocolate chip cookies", "tomato soup", "beef stew",
                    "fried rice",
                    "|",
                    "shepherd's pie", "carrot cake", "pad thai", "blueberry muffins", "mushroom risotto", "lentil soup", "fish tacos",
                    "apple crumble")
                    .verbs("give me a recipe for {t}", "suggest a recipe for {t}", "|", "share a recipe for {t}", "find me a recipe for {t}")
                    .questions("how do I make {t}?", "|", "how can I cook {t}?")
                    .constraints(DIET, SERVINGS, OUTPUT_LANGUAGE),
            new Task("creative",
                    "cats", "the ocean", "autumn leaves", "a rainy Monday", "coffee", "the moon", "a lost umbrella", "city traffic",
                    "|",
                    "mountains at dawn", "an old lighthouse", "summer thunderstorms", "a forgotten birthday", "the first snowfall",
                    "a sleepy fox", "morning commutes", "a broken clock")
                    .verbs("write {form} about {t}", "compose {form} about {t}", "|", "create {form} about {t}", "come up with {form} about {t}")
                    .slot("form", CREATIVE_FORM, true)
                    .constraints(TONE, OUTPUT_LANGUAGE),
            new Task("list",
                    "tips for improving sleep", "facts about octopuses", "ideas for a birthday party", "reasons to start journaling",
                    "ways to reduce stress", "books about leadership", "exercises for lower back pain", "names for a golden retriever",
                    "|",
                    "tips for staying focused while studying", "facts about the deep sea", "ideas for a team-building day",
                    "reasons to learn to cook", "ways to save energy at home", "podcasts about economics", "stretches for tight hips",
                    "houseplants that are hard to kill")
                    .verbs("list {n} {t}", "give me {n} {t}", "|", "name {n} {t}", "come up with {n} {t}")
                    .slot("n", COUNT, true)
                    .constraints(FORMAT, TONE, OUTPUT_LANGUAGE),
            new Task("code function",
                    "reverses a string", "checks whether a number is prime", "merges two sorted lists", "counts the words in a text file",
                    "removes duplicates from a list", "validates an email address", "computes the factorial of a number",
                    "finds the largest element in an array",
                    "|",
                    "checks whether a string is a palindrome", "converts a Roman numeral to an integer", "flattens a nested list",
                    "calculates the median of a list", "rotates a matrix by 90 degrees", "parses a date from a string",
                    "generates a random password", "computes the Fibonacci sequence")
                    .verbs("write a {pl} function that {t}", "write a function in {pl} that {t}",
                            "|", "implement a function in {pl} that {t}", "create a {pl} function that {t}")
                    .slot("pl", PROGRAMMING_LANGUAGE, true)
                    .constraints(CODE_EXTRAS),
            new Task("code how-to",
                    "read a JSON file", "make an HTTP request", "sort a dictionary by value", "handle exceptions", "read user input",
                    "connect to a database", "write to a CSV file", "create a thread",
                    "|",
                    "parse command-line arguments", "format a date as a string", "send an email", "hash a password",
                    "iterate over a map", "open a network socket", "measure execution time", "deep copy an object")
                    .verbs("show me how to {t} in {pl}", "|", "explain how to {t} in {pl}")
                    .questions("how do I {t} in {pl}?", "how can I {t} in {pl}?", "in {pl}, how do I {t}?",
                            "|", "what's the way to {t} in {pl}?", "how would I {t} using {pl}?", "using {pl}, how can I {t}?")
                    .slot("pl", PROGRAMMING_LANGUAGE, true)
                    .constraints(CODE_EXTRAS),
            new Task("translate",
                    "my cover letter", "this restaurant menu", "the product description", "these meeting notes", "my wedding speech",
                    "this contract clause",
                    "|",
                    "the user manual", "these song lyrics", "my travel itinerary", "the safety instructions", "this recipe card",
                    "my resume summary")
                    .verbs("translate {t} from {a} to {b}", "translate {t} from {a} into {b}",
                            "|", "render {t} from {a} into {b}", "convert {t} from {a} to {b}")
                    .slot("a", LANGUAGE, true)
                    .slot("b", LANGUAGE, true)
                    .directional()
                    .constraints(TONE),
            new Task("convert",
                    "Celsius|Fahrenheit", "kilometers|miles", "kilograms|pounds", "liters|gallons", "US dollars|euros", "meters|feet",
                    "Japanese yen|US dollars",
                    "|",
                    "Celsius|Kelvin", "inches|centimeters", "ounces|grams", "euros|British pounds",
                    "knots|miles per hour", "quarts|liters", "Swiss francs|Canadian dollars")
                    .verbs("convert {amt} {a} to {b}", "|", "change {amt} {a} into {b}")
                    .questions("what is {amt} {a} in {b}?", "how many {b} is {amt} {a}?",
                            "|", "how much is {amt} {a} in {b}?", "{amt} {a} equals how many {b}?")
                    .slot("amt", AMOUNT, false)
                    .directional()
                    .constraints(PRECISION),
            new Task("compare", PAIRS)
                    .verbs("compare {a} and {b}", "compare {a} with {b}", "|", "draw a comparison between {a} and {b}", "weigh {a} against {b}")
                    .questions("what's the difference between {a} and {b}?", "|", "how do {a} and {b} differ?")
                    .symmetric()
                    .constraints(FORMAT, LENGTH, AUDIENCE, OUTPUT_LANGUAGE),
            new Task("prefer", PAIRS)
                    .verbs("explain why I should choose {a} over {b}", "|", "make the case for {a} over {b}")
                    .questions("what are the advantages of {a} over {b}?", "why would someone pick {a} over {b}?",
                            "|", "what makes {a} better than {b}?", "why might someone prefer {a} to {b}?")
                    .directional()
                    .constraints(FORMAT, LENGTH),
            new Task("similarities", PAIRS)
                    .verbs("list the {pol} between {a} and {b}", "|", "point out the {pol} between {a} and {b}")
                    .questions("what are the {pol} between {a} and {b}?", "|", "what {pol} are there between {a} and {b}?")
                    .slot("pol", dim("similarities", v("similarities"), v("differences")), true)
                    .symmetric()
                    .constraints(FORMAT, LENGTH),
            new Task("pros and cons",
                    "remote work", "nuclear power", "homeschooling", "living in a big city", "intermittent fasting", "open-plan offices",
                    "a four-day work week", "buying a used car",
                    "|",
                    "electric scooters", "freelancing", "studying abroad", "standing desks", "a gap year", "smart home devices",
                    "online dating", "tiny houses")
                    .verbs("list the {pol} of {t}", "give me the {pol} of {t}", "|", "walk me through the {pol} of {t}", "lay out the {pol} of {t}")
                    .questions("what are the {pol} of {t}?", "|", "what {pol} does {t} have?")
                    .slot("pol", dim("pros and cons", v("pros", "advantages", "|", "benefits", "upsides"),
                            v("cons", "disadvantages", "|", "drawbacks", "downsides")), true)
                    .constraints(FORMAT, LENGTH, AUDIENCE),
            new Task("best time",
                    "Japan", "Iceland", "Peru", "New Zealand", "Morocco", "Thailand", "Norway", "Costa Rica",
                    "|",
                    "Vietnam", "Patagonia", "Egypt", "Scotland", "Bali", "Cuba", "Kenya", "Sri Lanka")
                    .verbs("tell me the {pol} time to visit {t}", "|", "suggest the {pol} time to visit {t}")
                    .questions("when is the {pol} time to visit {t}?", "what's the {pol} time of year to visit {t}?",
                            "|", "what is the {pol} season to visit {t}?", "when would be the {pol} time to go to {t}?")
                    .slot("pol", dim("best and worst", v("best"), v("worst")), true),
            new Task("most and least",
                    "populated country in Europe", "visited museum in the world", "spoken language in Africa", "common blood type",
                    "expensive city in Asia", "dangerous job in America", "popular dog breed in Britain",
                    "|",
                    "densely populated US state", "widely read newspaper in Canada", "fuel-efficient SUV", "watched sport in the world",
                    "polluted river in Europe", "reliable car brand", "humid city in Australia")
                    .verbs("tell me the {pol} {t}", "|", "name the {pol} {t}")
                    .questions("what is the {pol} {t}?", "which is the {pol} {t}?", "|", "what would you say is the {pol} {t}?")
                    .slot("pol", dim("most and least", v("most"), v("least")), true),
            new Task("cheapest",
                    "London to Paris", "Boston to New York", "Madrid to Barcelona", "Tokyo to Osaka", "Sydney to Melbourne",
                    "Berlin to Prague",
                    "|",
                    "Rome to Florence", "Seattle to Vancouver", "Amsterdam to Brussels", "Chicago to Detroit", "Lisbon to Porto",
                    "Bangkok to Chiang Mai")
                    .verbs("find me the {pol} way to get from {t}", "|", "suggest the {pol} way to travel from {t}")
                    .questions("what is the {pol} way to get from {t}?", "what's the {pol} way to travel from {t}?",
                            "|", "what's the {pol} option for getting from {t}?", "which is the {pol} way to go from {t}?")
                    .slot("pol", dim("price", v("cheapest", "least expensive", "|", "most affordable"),
                            v("most expensive", "priciest", "|", "costliest")), true),
            new Task("before and after",
                    "a marathon", "a job interview", "surgery", "a long flight", "moving house", "a first date", "a hurricane",
                    "|",
                    "a wedding", "a dental implant", "a camping trip", "a home inspection", "an exam", "a tattoo", "a road trip")
                    .verbs("tell me what to do {pol} {t}", "|", "explain what I should do {pol} {t}")
                    .questions("what should I do {pol} {t}?", "what do I need to do {pol} {t}?",
                            "|", "what is important to do {pol} {t}?", "what should be on my checklist {pol} {t}?")
                    .slot("pol", dim("before and after", v("before", "prior to", "|", "ahead of"), v("after", "|", "following")), true)
                    .constraints(FORMAT),
            new Task("raise and lower",
                    "the volume on my TV", "the font size in Word", "the temperature of my fridge", "the brightness of my screen",
                    "the humidity in my bedroom", "the price of my product",
                    "|",
                    "the water pressure in my shower", "the ISO on my camera", "the speed of my ceiling fan",
                    "the contrast on my monitor", "the chlorine level in my pool", "the idle timeout on my laptop")
                    .verbs("tell me how to {pol} {t}", "|", "explain how I can {pol} {t}")
                    .questions("how do I {pol} {t}?", "how can I {pol} {t}?", "|", "what can I do to {pol} {t}?")
                    .slot("pol", dim("raise and lower", v("raise", "increase", "|", "turn up"), v("lower", "reduce", "|", "turn down")), true)
                    .constraints(EXTRAS));

    private record Pick(Value value, String form) {
    }

    private record Placed(Dimension dimension, Pick pick, boolean front) {
    }

    /** A request before it is written out: its wording, the value of every placeholder, its constraints in order. */
    private record Request(Task task, String wording, Map<String, Pick> slots, List<Placed> constraints) {
    }

    private enum Edit { SWAP, SLOT, CHANGE, ADD, REMOVE }

    private PromptContrasts() {
    }

    /** {@code count} distinct pairs from the training half, half of them positives (one more when odd). */
    static List<LabelledPair> train(long seed, int count) {
        return make(Half.TRAIN, seed, count);
    }

    /** {@code count} distinct pairs from the held-out half, which shares no topic and no wording with {@link #train}. */
    static List<LabelledPair> heldOut(long seed, int count) {
        return make(Half.HELD_OUT, seed, count);
    }

    static List<LabelledPair> make(Half half, long seed, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + half.ordinal());
        List<LabelledPair> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long attempts = 0;
        while (out.size() < count) {
            if (++attempts > (long) ATTEMPTS_PER_PAIR * count) {
                throw new IllegalArgumentException("cannot make " + count + " distinct pairs from the " + half
                        + " half; made " + out.size());
            }
            boolean positive = out.size() % 2 == 0;
            Task task = pick(TASKS, random);
            Request first = draw(task, half, random);
            Request second = positive ? reword(first, half, random) : contrast(first, half, random);
            if (second == null) {
                continue;
            }
            String a = render(first);
            String b = render(second);
            if (a.equals(b) || !seen.add(a.compareTo(b) < 0 ? a + '\n' + b : b + '\n' + a)) {
                continue;
            }
            out.add(random.nextBoolean() ? new LabelledPair(a, b, positive) : new LabelledPair(b, a, positive));
        }
        shuffle(out, random);
        return out;
    }

    /** Every topic of a half as written in the task lists ("a|b" for a compared pair). */
    static Set<String> topics(Half half) {
        Set<String> out = new LinkedHashSet<>();
        for (Task task : TASKS) {
            out.addAll(task.topics.of(half));
        }
        return out;
    }

    /** Every wording template of a half, with its placeholders. */
    static Set<String> wordings(Half half) {
        Set<String> out = new LinkedHashSet<>();
        for (Task task : TASKS) {
            out.addAll(task.wordings(half));
        }
        return out;
    }

    private static Request draw(Task task, Half half, SplittableRandom random) {
        Map<String, Pick> slots = new LinkedHashMap<>();
        String topic = pick(task.topics.of(half), random);
        int bar = topic.indexOf('|');
        if (bar < 0) {
            slots.put("t", literal(topic));
        } else {
            boolean flip = random.nextBoolean();
            slots.put("a", literal(flip ? topic.substring(bar + 1) : topic.substring(0, bar)));
            slots.put("b", literal(flip ? topic.substring(0, bar) : topic.substring(bar + 1)));
        }
        for (Map.Entry<String, Dimension> slot : task.slots.entrySet()) {
            Value value = otherValue(slot.getValue(), slots.values(), null, random);
            slots.put(slot.getKey(), new Pick(value, pick(value.forms(half), random)));
        }
        String wording = pick(task.wordings(half), random);
        List<Placed> constraints = new ArrayList<>();
        int wanted = random.nextInt(10) < 2 ? 0 : random.nextInt(10) < 6 ? 1 : 2;
        for (int k = 0; k < wanted; k++) {
            addConstraint(task, wording, constraints, half, random);
        }
        return new Request(task, wording, slots, constraints);
    }

    private static Pick literal(String text) {
        return new Pick(new Value(text, new Halves(List.of(text), List.of(text))), text);
    }

    /** A value of the dimension other than {@code not} and than any value already used in {@code taken}. */
    private static Value otherValue(Dimension dimension, Collection<Pick> taken, Value not, SplittableRandom random) {
        List<Value> free = new ArrayList<>(dimension.values());
        free.remove(not);
        for (Pick p : taken) {
            free.remove(p.value());
        }
        return free.isEmpty() ? null : pick(free, random);
    }

    private static boolean addConstraint(Task task, String wording, List<Placed> constraints, Half half, SplittableRandom random) {
        List<Dimension> free = addable(task, constraints);
        if (free.isEmpty()) {
            return false;
        }
        Dimension dimension = pick(free, random);
        Value value = pick(dimension.values(), random);
        String form = pickForm(value, half, task.isQuestion(wording), random);
        boolean front = frontable(form) && constraints.stream().noneMatch(Placed::front) && random.nextInt(5) == 0;
        constraints.add(new Placed(dimension, new Pick(value, form), front));
        return true;
    }

    private static List<Dimension> addable(Task task, List<Placed> constraints) {
        List<Dimension> free = new ArrayList<>();
        for (Dimension d : task.constraints) {
            boolean blocked = false;
            for (Placed c : constraints) {
                blocked |= c.dimension() == d || EXCLUSIVE.contains(Set.of(c.dimension(), d));
            }
            if (!blocked) {
                free.add(d);
            }
        }
        return free;
    }

    /** The same request written another way, or null when ten tries all came out the same. */
    private static Request reword(Request r, Half half, SplittableRandom random) {
        String before = render(r);
        for (int attempt = 0; attempt < 10; attempt++) {
            Request s = restyle(r, half, random);
            if (!render(s).equals(before)) {
                return s;
            }
        }
        return null;
    }

    private static Request restyle(Request r, Half half, SplittableRandom random) {
        String wording = random.nextInt(10) < 7 ? pick(r.task().wordings(half), random) : r.wording();
        Map<String, Pick> slots = new LinkedHashMap<>();
        for (Map.Entry<String, Pick> e : r.slots().entrySet()) {
            Value value = e.getValue().value();
            slots.put(e.getKey(), new Pick(value, pick(value.forms(half), random)));
        }
        if (r.task().symmetric && random.nextBoolean()) {
            swap(slots);
        }
        List<Placed> constraints = new ArrayList<>();
        boolean fronted = false;
        for (Placed c : r.constraints()) {
            String form = pickForm(c.pick().value(), half, r.task().isQuestion(wording), random);
            boolean front = !fronted && frontable(form) && random.nextInt(4) == 0;
            fronted |= front;
            constraints.add(new Placed(c.dimension(), new Pick(c.pick().value(), form), front));
        }
        shuffle(constraints, random);
        return new Request(r.task(), wording, slots, constraints);
    }

    /** The request with one thing changed; reworded as well half of the time. Null when nothing can be changed. */
    private static Request contrast(Request r, Half half, SplittableRandom random) {
        List<Edit> edits = new ArrayList<>();
        if (r.task().directional) {
            edits.addAll(List.of(Edit.SWAP, Edit.SWAP, Edit.SWAP));
        }
        if (!r.task().changeable.isEmpty()) {
            edits.addAll(List.of(Edit.SLOT, Edit.SLOT, Edit.SLOT));
        }
        if (!r.constraints().isEmpty()) {
            edits.addAll(List.of(Edit.CHANGE, Edit.CHANGE, Edit.REMOVE));
        }
        if (!addable(r.task(), r.constraints()).isEmpty()) {
            edits.add(Edit.ADD);
        }
        if (edits.isEmpty()) {
            return null;
        }
        Map<String, Pick> slots = new LinkedHashMap<>(r.slots());
        List<Placed> constraints = new ArrayList<>(r.constraints());
        switch (pick(edits, random)) {
            case SWAP -> swap(slots);
            case SLOT -> {
                String name = pick(r.task().changeable, random);
                Pick old = slots.get(name);
                Value value = otherValue(r.task().slots.get(name), slots.values(), old.value(), random);
                if (value == null) {
                    return null;
                }
                slots.put(name, new Pick(value, sameStyle(old, value, half)));
            }
            case CHANGE -> {
                int k = random.nextInt(constraints.size());
                Placed old = constraints.get(k);
                Value value = otherValue(old.dimension(), List.of(), old.pick().value(), random);
                if (value == null) {
                    return null;
                }
                String form = sameStyle(old.pick(), value, half);
                if (!fits(form, r.task().isQuestion(r.wording()))) {
                    form = pickForm(value, half, true, random);
                }
                constraints.set(k, new Placed(old.dimension(), new Pick(value, form), old.front() && frontable(form)));
            }
            case ADD -> addConstraint(r.task(), r.wording(), constraints, half, random);
            case REMOVE -> constraints.remove(random.nextInt(constraints.size()));
        }
        Request edited = new Request(r.task(), r.wording(), slots, constraints);
        Request reworded = random.nextBoolean() ? reword(edited, half, random) : null;
        return reworded != null ? reworded : edited;
    }

    /** The form of {@code value} in the same position as {@code old}'s form, so that only the value changes. */
    private static String sameStyle(Pick old, Value value, Half half) {
        int index = old.value().forms(half).indexOf(old.form());
        List<String> forms = value.forms(half);
        return forms.get(index >= 0 && index < forms.size() ? index : 0);
    }

    /** A random form of the value that reads well in the wording: in a whole-sentence question, a sentence or a prepositional phrase. */
    private static String pickForm(Value value, Half half, boolean question, SplittableRandom random) {
        List<String> fitting = value.forms(half).stream().filter(f -> fits(f, question)).toList();
        return pick(fitting.isEmpty() ? value.forms(half) : fitting, random);
    }

    private static boolean fits(String form, boolean question) {
        return !question || isSentence(form) || frontable(form);
    }

    private static void swap(Map<String, Pick> slots) {
        Pick a = slots.get("a");
        slots.put("a", slots.get("b"));
        slots.put("b", a);
    }

    private static String render(Request r) {
        StringBuilder tail = new StringBuilder();
        StringBuilder after = new StringBuilder();
        String front = null;
        for (Placed c : r.constraints()) {
            String form = c.pick().form();
            if (isSentence(form)) {
                after.append(' ').append(form);
            } else if (c.front()) {
                front = form;
            } else {
                tail.append(' ').append(form);
            }
        }
        String text = r.wording().replace("{c}", tail);
        for (Map.Entry<String, Pick> e : r.slots().entrySet()) {
            text = text.replace("{" + e.getKey() + "}", e.getValue().form());
        }
        if (front != null) {
            text = front + ", " + text;
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + after;
    }

    private static boolean isSentence(String form) {
        return Character.isUpperCase(form.charAt(0)) && form.endsWith(".");
    }

    private static boolean frontable(String form) {
        return FRONTABLE.stream().anyMatch(form::startsWith);
    }

    private static <T> T pick(List<T> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /** The pairs as CSV with the header {@code question1,question2,label} (1 = same meaning), every text quoted. */
    static String toCsv(List<LabelledPair> pairs) {
        StringBuilder csv = new StringBuilder("question1,question2,label\n");
        for (LabelledPair p : pairs) {
            csv.append(quote(p.first())).append(',').append(quote(p.second())).append(',').append(p.positive() ? 1 : 0).append('\n');
        }
        return csv.toString();
    }

    private static String quote(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /**
     * Writes the held-out pairs to {@code args[0]}, or to {@value #HELD_OUT_FILE} from the repository
     * root: {@code java -cp models/target/classes dev.bound.models.match.PromptContrasts}.
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : HELD_OUT_FILE);
        List<LabelledPair> pairs = heldOut(HELD_OUT_SEED, HELD_OUT_COUNT);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, toCsv(pairs), StandardCharsets.UTF_8);
        long positives = pairs.stream().filter(LabelledPair::positive).count();
        System.out.println(file + ": " + pairs.size() + " pairs, " + positives + " positive");
    }
}
