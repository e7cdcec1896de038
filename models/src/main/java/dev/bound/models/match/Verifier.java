package dev.bound.models.match;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The learned weights of a pair verifier: a small network ({@link Mlp}) over named scalar
 * {@link Features} and element-wise blocks of the two texts' vectors, a calibration that turns its
 * output and the cosine into the probability that a candidate the vector search found for a real
 * user question means the same, and the
 * threshold it serves at. The built-in variants are trained by {@link TrainVerifier} and shipped in
 * {@value #RESOURCE}.
 */
public final class Verifier {

    /** The classpath resource holding the built-in variants. */
    public static final String RESOURCE = "bound/match/verifier.json";
    /** Built-in variant with the second model bge-small-en-v1.5. */
    public static final String VERIFIED = "verified";
    /** Built-in variant without a second model: the primary model's vectors and lexical checks. */
    public static final String VERIFIED_LEXICAL = "verified-lexical";
    /** The file format this class reads. */
    static final int FORMAT = 2;

    /** Element-wise blocks of the two texts' vectors that a verifier may weigh. */
    enum Block {
        /** u_i * v_i of the primary model's unit vectors: where the two agree. */
        PRIMARY_PRODUCT("primary_product"),
        /** |u_i - v_i| of the primary model's unit vectors: where they differ. */
        PRIMARY_DIFFERENCE("primary_difference"),
        /** The same two for the second model. */
        SECOND_PRODUCT("second_product"),
        SECOND_DIFFERENCE("second_difference");

        final String key;

        Block(String key) {
            this.key = key;
        }

        boolean second() {
            return this == SECOND_PRODUCT || this == SECOND_DIFFERENCE;
        }

        static Block of(String key) {
            for (Block b : values()) {
                if (b.key.equals(key)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown vector block '" + key + "'");
        }
    }

    private final String variant;
    private final String primaryModel;
    private final String secondModel;
    private final List<String> features;
    private final int[] featureIndex;
    private final List<Block> blocks;
    private final Mlp head;
    /** {@link #head} as served: single precision, SIMD where the JDK allows. */
    private final Mlp.Scorer scorer;
    private final double calibrationSlope;
    private final double calibrationCosine;
    private final double calibrationIntercept;
    private final int cosinePosition;
    private final double threshold;
    private final double minCosine;
    private final List<String> vetoes;
    private final int[] vetoIndex;

    Verifier(String variant, String primaryModel, String secondModel, List<String> features, List<Block> blocks,
            Mlp head, double calibrationSlope, double calibrationCosine, double calibrationIntercept, double threshold,
            double minCosine, List<String> vetoes) {
        this.variant = Objects.requireNonNull(variant, "variant");
        this.primaryModel = Objects.requireNonNull(primaryModel, "primaryModel");
        this.secondModel = secondModel;
        this.features = List.copyOf(features);
        this.blocks = List.copyOf(blocks);
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("verifier '" + variant + "' threshold must be between 0 and 1, got " + threshold);
        }
        if (Set.copyOf(features).size() != features.size()) {
            throw new IllegalArgumentException("verifier '" + variant + "' lists a feature twice: " + features);
        }
        this.featureIndex = new int[features.size()];
        for (int i = 0; i < features.size(); i++) {
            featureIndex[i] = Features.indexOf(features.get(i));
            if (featureIndex[i] < 0) {
                throw new IllegalArgumentException("verifier '" + variant + "' uses unknown feature '" + features.get(i)
                        + "'; known: " + Features.NAMES);
            }
        }
        boolean usesSecond = features.contains(Features.SECOND_COSINE) || blocks.stream().anyMatch(Block::second);
        if (usesSecond != (secondModel != null)) {
            throw new IllegalArgumentException("verifier '" + variant + "' must name a second model exactly when it weighs "
                    + "the second model's cosine or vectors");
        }
        if (!features.contains(Features.COSINE)) {
            throw new IllegalArgumentException("verifier '" + variant + "' must weigh " + Features.COSINE);
        }
        this.head = Objects.requireNonNull(head, "head");
        this.scorer = head.scorer();
        this.calibrationSlope = calibrationSlope;
        this.calibrationCosine = calibrationCosine;
        this.calibrationIntercept = calibrationIntercept;
        this.cosinePosition = features.indexOf(Features.COSINE);
        this.threshold = threshold;
        this.minCosine = minCosine;
        this.vetoes = List.copyOf(vetoes);
        this.vetoIndex = new int[vetoes.size()];
        for (int i = 0; i < vetoIndex.length; i++) {
            vetoIndex[i] = Features.indexOf(vetoes.get(i));
            if (vetoIndex[i] < 0) {
                throw new IllegalArgumentException("verifier '" + variant + "' vetoes by unknown feature '" + vetoes.get(i) + "'");
            }
        }
    }

    /**
     * A variant shipped with Bound: {@value #VERIFIED} or {@value #VERIFIED_LEXICAL}.
     *
     * @throws IllegalArgumentException if there is no such variant
     */
    public static Verifier builtin(String variant) {
        return parse(new String(builtinBytes(), StandardCharsets.UTF_8), variant);
    }

    /** The shipped verifier file, as its bytes. */
    private static byte[] builtinBytes() {
        try (InputStream in = Verifier.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE + " is missing (is the build incomplete?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * SHA-256 of the shipped verifier file ({@value #RESOURCE}), which names the verifiers that
     * evidence about their scores was counted with ({@link ServedEvidence}).
     */
    public static String builtinSha256() {
        return BuiltinSha.VALUE;
    }

    private static final class BuiltinSha {
        static final String VALUE = ServedEvidence.sha256Of(builtinBytes());
    }

    /**
     * Reads one variant from a verifier file in the format {@link TrainVerifier} writes.
     *
     * @throws IllegalArgumentException if the text does not parse or has no such variant
     */
    public static Verifier parse(String json, String variant) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            int format = root.has("format") ? root.get("format").getAsInt() : 1;
            if (format != FORMAT) {
                throw new IllegalArgumentException("verifier file format " + format + " is not supported; this build reads "
                        + FORMAT + " (retrain with TrainVerifier)");
            }
            JsonObject variants = root.getAsJsonObject("variants");
            if (variants == null || !variants.has(variant)) {
                throw new IllegalArgumentException("unknown verifier variant '" + variant + "'; known: "
                        + (variants == null ? "none" : new java.util.TreeSet<>(variants.keySet())));
            }
            JsonObject v = variants.getAsJsonObject(variant);
            List<String> names = new ArrayList<>();
            for (JsonElement e : v.getAsJsonArray("features")) {
                names.add(e.getAsString());
            }
            List<Block> blocks = new ArrayList<>();
            for (JsonElement e : v.getAsJsonArray("blocks")) {
                blocks.add(Block.of(e.getAsString()));
            }
            List<String> vetoes = new ArrayList<>();
            if (v.has("vetoes")) {
                for (JsonElement e : v.getAsJsonArray("vetoes")) {
                    vetoes.add(e.getAsString());
                }
            }
            JsonObject h = v.getAsJsonObject("head");
            Mlp head = new Mlp(floats(h, "mean"), floats(h, "scale"), floats(h, "w1"), floats(h, "b1"), floats(h, "w2"),
                    h.get("b2").getAsDouble());
            JsonObject c = v.getAsJsonObject("calibration");
            JsonElement second = v.get("secondModel");
            Verifier parsed = new Verifier(variant, v.get("primaryModel").getAsString(),
                    second == null || second.isJsonNull() ? null : second.getAsString(), names, blocks, head,
                    c.get("slope").getAsDouble(), c.get("cosine").getAsDouble(), c.get("intercept").getAsDouble(),
                    v.get("threshold").getAsDouble(),
                    v.get("minCosine").getAsDouble(), vetoes);
            if (head.inputs() != parsed.inputSize(384, second == null || second.isJsonNull() ? 0 : 384)) {
                throw new IllegalArgumentException("verifier '" + variant + "' network takes " + head.inputs()
                        + " inputs, which its features and blocks do not add up to");
            }
            return parsed;
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("not a verifier file: " + e.getMessage(), e);
        }
    }

    /** Numbers stored as base64 of little-endian float32, which keeps the file a tenth of its decimal size. */
    private static double[] floats(JsonObject o, String key) {
        byte[] bytes = Base64.getDecoder().decode(o.get(key).getAsString());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[bytes.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    static String encodeFloats(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putFloat((float) v);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    public String variant() {
        return variant;
    }

    /** The primary embedding model whose vectors the network was fitted on. */
    public String primaryModel() {
        return primaryModel;
    }

    /** The second embedding model's name, or null if none is used. */
    public String secondModel() {
        return secondModel;
    }

    public boolean needsSecondModel() {
        return secondModel != null;
    }

    /** The scalar features weighed, in input order. */
    public List<String> features() {
        return features;
    }

    List<Block> blocks() {
        return blocks;
    }

    Mlp head() {
        return head;
    }

    double calibrationSlope() {
        return calibrationSlope;
    }

    double calibrationCosine() {
        return calibrationCosine;
    }

    double calibrationIntercept() {
        return calibrationIntercept;
    }

    /** Serve when the probability is at least this. */
    public double threshold() {
        return threshold;
    }

    /** The lowest primary cosine at which the training data held a pair worth serving; the search floor. */
    double minCosine() {
        return minCosine;
    }

    int inputSize(int primaryDimension, int secondDimension) {
        int n = features.size();
        for (Block b : blocks) {
            n += b.second() ? secondDimension : primaryDimension;
        }
        return n;
    }

    /**
     * The network's input for a pair: the chosen scalar features (from a full vector in
     * {@link Features#NAMES} order), then each block.
     */
    double[] input(double[] all, float[] u, float[] v, float[] su, float[] sv) {
        int n = inputSize(u.length, su == null ? 0 : su.length);
        double[] x = new double[n];
        int k = 0;
        for (int i = 0; i < featureIndex.length; i++) {
            x[k++] = all[featureIndex[i]];
        }
        for (Block b : blocks) {
            float[] a = b.second() ? su : u;
            float[] c = b.second() ? sv : v;
            boolean product = b == Block.PRIMARY_PRODUCT || b == Block.SECOND_PRODUCT;
            for (int i = 0; i < a.length; i++) {
                x[k++] = product ? a[i] * c[i] : Math.abs(a[i] - c[i]);
            }
        }
        return x;
    }

    /** The features that refuse a pair outright at their full value 1. */
    public List<String> vetoes() {
        return vetoes;
    }

    /**
     * The share of its probability that a vetoed pair keeps. A veto (an antonym, a reversed
     * direction, a substituted or added constraint, another count: the request asks for
     * something else, however close the vectors) puts the pair below any threshold the cache
     * serves at (the error bound never serves under {@link PooledCalibration#LOW}), while the
     * network's judgement still orders the refused pairs among themselves. Scoring them 0
     * instead put every vetoed duplicate below every other pair, and AUC on STS-B and the
     * held-out Quora pairs below the plain cosine's (MATCHING.md).
     */
    static final double VETO_SCALE = 0.05;

    /**
     * The score of a pair, from its full feature vector ({@link Features#NAMES} order) and vectors:
     * {@link #probability}, times {@link #VETO_SCALE} when a veto feature is at 1.
     */
    double score(double[] all, float[] u, float[] v, float[] su, float[] sv) {
        double p = probability(input(all, u, v, su, sv));
        for (int i : vetoIndex) {
            if (all[i] >= 1) {
                return VETO_SCALE * p;
            }
        }
        return p;
    }

    /**
     * The calibrated probability of "same meaning" for an input made by {@link #input}: a logistic
     * map of the network's log-odds and the primary cosine, fitted on held-out candidates.
     */
    double probability(double[] input) {
        return calibrated(scorer.logit(input), input[cosinePosition]);
    }

    double calibrated(double logit, double cosine) {
        return 1 / (1 + Math.exp(-(calibrationSlope * logit + calibrationCosine * cosine + calibrationIntercept)));
    }

    @Override
    public String toString() {
        return "Verifier[" + variant + ", threshold " + threshold + ", features " + features + ", blocks " + blocks + "]";
    }
}
