package dev.bound.models.match;

import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.dictionary.Dictionary;
import dev.bound.models.ModelFiles;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How two English words relate in WordNet 3.1 (Princeton University; read through extJWNL from
 * its data jar, nothing downloaded), for a pair of prompts that differ in one word. A word put
 * for one of the same meaning ("kids" / "children"), for a broader or narrower one ("benefits" /
 * "advantages") or for a form of its own keeps the question; a word put for its opposite ("outer
 * bull" / "inner bull"), or a thing put for its sibling under one kind ("pine shelf" / "oak
 * shelf", "e-bike" / "e-scooter") or for a thing WordNet does not relate to it at all ("velvet
 * sofa" / "leather sofa", "dairy cows" / "dairy calves") asks about something else. So does a
 * word WordNet does not list put for one spelt quite differently ("aria-labelledby" /
 * "aria-describedby"), where one spelt nearly the same is a typo.
 *
 * <p>Adjectives and verbs are read only for opposites: WordNet groups adjectives by similarity
 * rather than by kind, and relates "rude" to "disrespectful" or "best" to "greatest" through no
 * link this class follows, so an unrelated adjective says nothing. The dictionary is opened once,
 * on first use, from files unpacked into the temporary directory; a lookup walks at most {@link #REACH} kinds up from each
 * sense. Thread-safe: lookups are serialised, since extJWNL's caches are shared.
 */
final class WordRelations {

    /** How the two words relate, from the closest link found. */
    enum Relation {
        /** A sense in common, a form of the other, or a link WordNet draws between near words. */
        SAME,
        /** One is a kind of the other, or both are kinds of one thing a few steps up. */
        RELATED,
        /** Listed as opposites. */
        OPPOSITE,
        /** Two things of one immediate kind: "pine" / "oak", "bike" / "scooter". */
        NEIGHBOUR,
        /** Both are things (nouns), with no kind in common within {@link #REACH} steps. */
        UNRELATED,
        /** One of them is not in WordNet: a name, a term of art, a misspelling. */
        UNLISTED,
        /** They are not both things, and nothing above links them. */
        UNKNOWN;

        /** Whether a prompt that puts one word for the other asks for another answer. */
        boolean changesMeaning() {
            return this == OPPOSITE || this == NEIGHBOUR || this == UNRELATED;
        }
    }

    /** How many kinds up from each sense the walk looks for a kind in common. */
    static final int REACH = 4;

    private static final Logger LOG = LoggerFactory.getLogger(WordRelations.class);
    /** Links between synsets of near meaning: similar adjectives, derived forms, "see also". */
    private static final Set<PointerType> NEAR = Set.of(PointerType.SIMILAR_TO, PointerType.SEE_ALSO,
            PointerType.DERIVATION, PointerType.PERTAINYM);
    private static final Object LOCK = new Object();

    private WordRelations() {}

    /** Loads the dictionary now rather than on the first lookup; false if it cannot be read. */
    static boolean load() {
        return Holder.DICTIONARY != null;
    }

    /**
     * Whether the two texts differ in exactly one word, wherever it stands (their words in order,
     * as {@link TextFeatures} reads them, parts of a hyphenated word apart), and the two words ask
     * about different things: "How do I clean a velvet sofa?" / "… a leather sofa?", "If Alice is
     * taller than Bob and Bob is taller than Carol, …" / "… shorter … shorter …". Words of fewer than three letters,
     * stopwords, numbers, names and two forms of one stem are left to the other checks.
     */
    static boolean oneWordChanged(TextFeatures a, TextFeatures b) {
        int[] places = RequestShape.placesDiffering(a.tokens, b.tokens);
        if (places == null || places.length == 0) {
            return false;
        }
        String u = a.tokens.get(places[0]);
        String v = b.tokens.get(places[0]);
        for (int i : places) {
            if (!u.equals(a.tokens.get(i)) || !v.equals(b.tokens.get(i))) {
                return false; // a second word changed
            }
        }
        if (!plainWord(u, a) || !plainWord(v, b) || Lexicon.stem(u).equals(Lexicon.stem(v))) {
            return false;
        }
        Relation relation = of(u, v);
        return relation.changesMeaning() || relation == Relation.UNLISTED && spelledApart(u, v);
    }

    /**
     * Whether two words, one of them unknown to WordNet, are too far apart in spelling to be one
     * word misspelt ("contries" / "countries", "hight" / "height") or shortened ("legit" /
     * "legitimate"): "aria-labelledby" / "aria-describedby", "backside" / "frontside". More than
     * {@value #TYPO_EDITS} edits, and more than a third of the longer word.
     */
    static boolean spelledApart(String u, String v) {
        if (u.startsWith(v) || v.startsWith(u)) {
            return false;
        }
        int edits = LevenshteinDistance.getDefaultInstance().apply(u, v);
        return edits > TYPO_EDITS && edits * 3 > Math.max(u.length(), v.length());
    }

    /** The most edits a misspelling is taken to make. */
    static final int TYPO_EDITS = 2;

    private static boolean plainWord(String word, TextFeatures in) {
        return word.length() >= 3 && word.chars().allMatch(Character::isLetter)
                && !Lexicon.DEFAULT.isStopword(word) && !in.entities.contains(word);
    }

    /** How two lower-case words relate; {@link Relation#UNKNOWN} if the dictionary could not be read. */
    static Relation of(String a, String b) {
        Dictionary dictionary = Holder.DICTIONARY;
        if (dictionary == null) {
            return Relation.UNKNOWN;
        }
        synchronized (LOCK) {
            try {
                return relate(dictionary, a, b);
            } catch (JWNLException e) {
                LOG.warn("WordNet lookup of '{}' / '{}' failed: {}", a, b, e.toString());
                return Relation.UNKNOWN;
            }
        }
    }

    private static Relation relate(Dictionary dictionary, String a, String b) throws JWNLException {
        List<Synset> first = senses(dictionary, a);
        List<Synset> second = senses(dictionary, b);
        if (first.isEmpty() || second.isEmpty()) {
            return Relation.UNLISTED;
        }
        if (!Collections.disjoint(first, second) || linked(first, second, NEAR) || linked(second, first, NEAR)) {
            return Relation.SAME;
        }
        if (linked(first, second, Set.of(PointerType.ANTONYM)) || linked(second, first, Set.of(PointerType.ANTONYM))) {
            return Relation.OPPOSITE;
        }
        // the closest kind in common: steps up from a sense of each, 0 when one is a kind of the other
        int closest = Integer.MAX_VALUE;
        boolean neighbours = false;
        List<Map<Synset, Integer>> above = new ArrayList<>();
        for (Synset s : second) {
            above.add(kinds(s));
        }
        for (Synset s : first) {
            for (Map.Entry<Synset, Integer> up : kinds(s).entrySet()) {
                for (Map<Synset, Integer> other : above) {
                    Integer steps = other.get(up.getKey());
                    if (steps == null) {
                        continue;
                    }
                    if (up.getValue() == 0 || steps == 0) {
                        return Relation.RELATED; // one is a kind of the other
                    }
                    closest = Math.min(closest, up.getValue() + steps);
                    neighbours |= up.getValue() == 1 && steps == 1;
                }
            }
        }
        boolean things = first.stream().anyMatch(s -> s.getPOS() == POS.NOUN)
                && second.stream().anyMatch(s -> s.getPOS() == POS.NOUN);
        if (!things) {
            return Relation.UNKNOWN;
        }
        if (neighbours) {
            return Relation.NEIGHBOUR;
        }
        return closest == Integer.MAX_VALUE ? Relation.UNRELATED : Relation.RELATED;
    }

    /** The senses of a word in every base form WordNet knows for it ("calves": calf, calve). */
    private static List<Synset> senses(Dictionary dictionary, String word) throws JWNLException {
        Set<Synset> out = new LinkedHashSet<>();
        for (POS pos : POS.getAllPOS()) {
            for (String base : dictionary.getMorphologicalProcessor().lookupAllBaseForms(pos, word)) {
                IndexWord entry = dictionary.getIndexWord(pos, base);
                if (entry != null) {
                    out.addAll(entry.getSenses());
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Whether a sense of the first links to a sense of the second by one of the pointer types. */
    private static boolean linked(List<Synset> from, List<Synset> to, Set<PointerType> types) {
        for (Synset s : from) {
            for (Pointer p : s.getPointers()) {
                if (types.contains(p.getType())) {
                    try {
                        if (to.contains(p.getTargetSynset())) {
                            return true;
                        }
                    } catch (JWNLException e) {
                        LOG.debug("unreadable WordNet pointer: {}", e.toString());
                    }
                }
            }
        }
        return false;
    }

    /** A sense and its kinds (hypernyms, also of instances) up to {@link #REACH} steps, with the steps. */
    private static Map<Synset, Integer> kinds(Synset sense) {
        Map<Synset, Integer> steps = new HashMap<>();
        steps.put(sense, 0);
        Deque<Synset> queue = new ArrayDeque<>(List.of(sense));
        while (!queue.isEmpty()) {
            Synset s = queue.poll();
            int d = steps.get(s);
            if (d == REACH) {
                continue;
            }
            for (Pointer p : s.getPointers()) {
                if (p.getType() != PointerType.HYPERNYM && p.getType() != PointerType.INSTANCE_HYPERNYM) {
                    continue;
                }
                try {
                    Synset up = p.getTargetSynset();
                    if (steps.putIfAbsent(up, d + 1) == null) {
                        queue.add(up);
                    }
                } catch (JWNLException e) {
                    LOG.debug("unreadable WordNet pointer: {}", e.toString());
                }
            }
        }
        return steps;
    }

    /** Where the data jar keeps WordNet's files, and their names. */
    private static final String DATA = "net/sf/extjwnl/data/wordnet/wn31";
    private static final List<String> FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv",
            "index.noun", "index.verb", "index.adj", "index.adv", "index.sense", "noun.exc", "verb.exc", "adj.exc",
            "adv.exc", "cntlist", "cntlist.rev", "sents.vrb", "sentidx.vrb", "verb.Framestext");
    /** The data jar's reader of files held in memory, and the reader that seeks in files on disk instead. */
    private static final String IN_MEMORY = "net.sf.extjwnl.princeton.file.PrincetonResourceDictionaryFile";
    private static final String ON_DISK = "net.sf.extjwnl.princeton.file.PrincetonRandomAccessDictionaryFile";

    private static final class Holder {
        static final Dictionary DICTIONARY = open();

        /**
         * Read from the classpath, extJWNL holds WordNet's 37 MB of files in the heap (about 45
         * MiB more after a garbage collection, measured with its data jar); so the files are
         * unpacked once into the temporary directory and read from there by seeking (2 MiB more).
         * If they cannot be unpacked, the classpath serves.
         */
        private static Dictionary open() {
            try {
                // one folder per user: another user's files are neither trusted nor overwritten
                Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bound-wordnet-3.1-" + System.getProperty("user.name"));
                Files.createDirectories(dir);
                for (String file : FILES) {
                    ModelFiles.unpack(DATA + "/" + file, dir.resolve(file));
                }
                String properties = properties();
                if (!properties.contains(IN_MEMORY) || !properties.contains("/" + DATA)) {
                    throw new IOException("the WordNet data jar's properties are not the ones expected");
                }
                String onDisk = properties.replace(IN_MEMORY, ON_DISK).replace("/" + DATA, dir.toString());
                return Dictionary.getInstance(new ByteArrayInputStream(onDisk.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | JWNLException | RuntimeException e) {
                LOG.info("WordNet read from the classpath, not from disk: {}", e.toString());
            }
            try {
                return Dictionary.getDefaultResourceInstance();
            } catch (JWNLException | RuntimeException e) {
                LOG.warn("WordNet could not be read; prompts that differ in one word are judged without it: {}",
                        e.toString());
                return null;
            }
        }

        private static String properties() throws IOException {
            try (InputStream in = WordRelations.class.getClassLoader().getResourceAsStream(DATA + "/res_properties.xml")) {
                if (in == null) {
                    throw new IOException("the WordNet data jar is not on the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
