package dev.bound.models.match;

import dev.bound.models.match.PairEvaluation.LabelledPair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled question pairs (Quora's {@code question1,question2,label}) grouped the way a cache sees
 * them: a <em>cluster</em> is a set of questions joined by duplicate pairs (one answer fits them
 * all), and a <em>component</em> is a set of questions joined by any pair, duplicate or not (a
 * cluster with its look-alikes).
 *
 * <p>The split is by component, so no question, and nothing paired with it, is on two sides: a
 * question trained on never meets its own look-alike in a held-out figure. Each component goes to
 * {@link Part#TRAIN} (70 %), {@link Part#CALIBRATION} (10 %, for choosing thresholds) or
 * {@link Part#TEST} (20 %, for reporting), by a salted SHA-256 of its alphabetically first
 * question, so the split depends neither on the order of the file nor on what else it holds.
 */
public final class QuestionClusters {

    /** Where a component belongs. */
    public enum Part { TRAIN, CALIBRATION, TEST }

    /** A question and the cluster it belongs to. */
    public record Question(String text, int cluster) {
    }

    /** Questions joined by any labelled pair, with the pairs that join them. */
    public record Component(Part part, List<Question> questions, List<LabelledPair> pairs) {
    }

    static final String SALT = "bound-qqp-split-1";
    static final double TRAIN_SHARE = 0.7;
    static final double CALIBRATION_SHARE = 0.1;

    private final List<Component> components;
    private final Map<String, Integer> clusterOf;

    private QuestionClusters(List<Component> components, Map<String, Integer> clusterOf) {
        this.components = List.copyOf(components);
        this.clusterOf = Map.copyOf(clusterOf);
    }

    /** Reads a {@code question1,question2,label} CSV with a header. */
    public static QuestionClusters read(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        return of(PairEvaluation.parseLabelledCsv(csv.getFileName().toString(), text).pairs());
    }

    /** Groups the pairs; a pair of a question with itself is dropped. */
    public static QuestionClusters of(List<LabelledPair> pairs) {
        UnionFind any = new UnionFind();
        UnionFind same = new UnionFind();
        for (LabelledPair p : pairs) {
            if (p.first().equals(p.second())) {
                continue;
            }
            any.union(p.first(), p.second());
            same.find(p.first());
            same.find(p.second());
            if (p.positive()) {
                same.union(p.first(), p.second());
            }
        }
        // Cluster ids in order of first appearance, so they are stable for a given file.
        Map<String, Integer> clusterIds = new HashMap<>();
        Map<String, Integer> clusterOf = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String q : any.order()) {
            String root = same.find(q);
            clusterOf.put(q, clusterIds.computeIfAbsent(root, r -> clusterIds.size()));
            members.computeIfAbsent(any.find(q), r -> new ArrayList<>()).add(q);
        }
        Map<String, List<LabelledPair>> pairsOf = new HashMap<>();
        for (LabelledPair p : pairs) {
            if (!p.first().equals(p.second())) {
                pairsOf.computeIfAbsent(any.find(p.first()), r -> new ArrayList<>()).add(p);
            }
        }
        List<Component> components = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : members.entrySet()) {
            List<Question> questions = e.getValue().stream().map(q -> new Question(q, clusterOf.get(q))).toList();
            components.add(new Component(part(Collections.min(e.getValue())), questions, List.copyOf(pairsOf.get(e.getKey()))));
        }
        return new QuestionClusters(components, clusterOf);
    }

    /** The part of a component whose alphabetically first question is {@code first}. */
    static Part part(String first) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SALT.getBytes(StandardCharsets.UTF_8));
            byte[] h = sha.digest(first.getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
            double u = v / (double) (1L << 32);
            return u < TRAIN_SHARE ? Part.TRAIN : u < TRAIN_SHARE + CALIBRATION_SHARE ? Part.CALIBRATION : Part.TEST;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every component, in order of first appearance in the file. */
    public List<Component> components() {
        return components;
    }

    /** The components of one part. */
    public List<Component> components(Part part) {
        return components.stream().filter(c -> c.part() == part).toList();
    }

    /** The labelled pairs of one part, in file order within each component. */
    public List<LabelledPair> pairs(Part part) {
        List<LabelledPair> out = new ArrayList<>();
        components(part).forEach(c -> out.addAll(c.pairs()));
        return out;
    }

    /** The cluster of a question, or -1 if the file does not hold it. */
    public int cluster(String question) {
        return clusterOf.getOrDefault(question, -1);
    }

    /**
     * A part's duplicate pairs and as many of its non-duplicate pairs, drawn with a seed (where
     * there are fewer non-duplicates, the first duplicates): the balanced set the issue measured on.
     */
    public List<LabelledPair> balancedPairs(Part part, long seed) {
        List<LabelledPair> positives = new ArrayList<>();
        List<LabelledPair> negatives = new ArrayList<>();
        for (LabelledPair p : pairs(part)) {
            (p.positive() ? positives : negatives).add(p);
        }
        Collections.shuffle(negatives, new java.util.Random(seed));
        int n = Math.min(positives.size(), negatives.size());
        List<LabelledPair> out = new ArrayList<>(positives.subList(0, n));
        out.addAll(negatives.subList(0, n));
        return out;
    }

    /**
     * Writes the balanced pairs of the test part as a {@code question1,question2,label} CSV, for
     * {@code ./bound eval}: {@code java -cp ... dev.bound.models.match.QuestionClusters
     * ../shared/data/qqp_train.csv OUT.csv [SEED]} (seed 7 by default).
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: QuestionClusters QQP.csv OUT.csv [SEED]");
            System.exit(2);
        }
        List<LabelledPair> pairs = read(Path.of(args[0])).balancedPairs(Part.TEST,
                args.length > 2 ? Long.parseLong(args[2]) : 7);
        Files.writeString(Path.of(args[1]), PromptContrasts.toCsv(pairs), StandardCharsets.UTF_8);
        System.out.println("Wrote " + pairs.size() + " pairs to " + args[1]);
    }

    /** Union-find over strings, remembering the order in which they were first seen. */
    private static final class UnionFind {
        private final Map<String, String> parent = new LinkedHashMap<>();

        String find(String x) {
            String p = parent.putIfAbsent(x, x);
            if (p == null || p.equals(x)) {
                return x;
            }
            String root = find(p);
            parent.put(x, root);
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(rb, ra);
            }
        }

        List<String> order() {
            return new ArrayList<>(parent.keySet());
        }
    }
}
