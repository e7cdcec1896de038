package dev.bound.models.match;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The learned weights of a pair verifier: a logistic regression over named {@link PairMatcher}
 * features, and the threshold it serves at. The built-in variants are trained by
 * {@link TrainVerifier} and shipped in {@value #RESOURCE}.
 */
public final class Verifier {

    /** The classpath resource holding the built-in variants. */
    public static final String RESOURCE = "bound/match/verifier.json";
    /** Built-in variant with the second model bge-small-en-v1.5. */
    public static final String VERIFIED = "verified";
    /** Built-in variant without a second model: primary cosine and lexical checks only. */
    public static final String VERIFIED_LEXICAL = "verified-lexical";

    private final String variant;
    private final String primaryModel;
    private final String secondModel;
    private final List<String> features;
    private final int[] featureIndex;
    private final double[] weights;
    private final double bias;
    private final double threshold;

    Verifier(String variant, String primaryModel, String secondModel, List<String> features, double[] weights,
            double bias, double threshold) {
        this.variant = Objects.requireNonNull(variant, "variant");
        this.primaryModel = Objects.requireNonNull(primaryModel, "primaryModel");
        this.secondModel = secondModel;
        this.features = List.copyOf(features);
        if (weights.length != features.size()) {
            throw new IllegalArgumentException("verifier '" + variant + "' has " + features.size() + " features but "
                    + weights.length + " weights");
        }
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
        if (features.contains(Features.SECOND_COSINE) != (secondModel != null)) {
            throw new IllegalArgumentException("verifier '" + variant + "' must name a second model exactly when it weighs "
                    + Features.SECOND_COSINE);
        }
        if (!features.contains(Features.COSINE)) {
            throw new IllegalArgumentException("verifier '" + variant + "' must weigh " + Features.COSINE);
        }
        this.weights = weights.clone();
        this.bias = bias;
        this.threshold = threshold;
    }

    /**
     * A variant shipped with Bound: {@value #VERIFIED} or {@value #VERIFIED_LEXICAL}.
     *
     * @throws IllegalArgumentException if there is no such variant
     */
    public static Verifier builtin(String variant) {
        try (InputStream in = Verifier.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE + " is missing (is the build incomplete?)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), variant);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Reads one variant from a verifier file in the format {@link TrainVerifier} writes.
     *
     * @throws IllegalArgumentException if the text does not parse or has no such variant
     */
    public static Verifier parse(String json, String variant) {
        try {
            JsonObject variants = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("variants");
            if (variants == null || !variants.has(variant)) {
                throw new IllegalArgumentException("unknown verifier variant '" + variant + "'; known: "
                        + (variants == null ? "none" : variants.keySet()));
            }
            JsonObject v = variants.getAsJsonObject(variant);
            List<String> names = new ArrayList<>();
            for (JsonElement e : v.getAsJsonArray("features")) {
                names.add(e.getAsString());
            }
            JsonArray w = v.getAsJsonArray("weights");
            double[] weights = new double[w.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = w.get(i).getAsDouble();
            }
            JsonElement second = v.get("secondModel");
            return new Verifier(variant, v.get("primaryModel").getAsString(),
                    second == null || second.isJsonNull() ? null : second.getAsString(),
                    names, weights, v.get("bias").getAsDouble(), v.get("threshold").getAsDouble());
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("not a verifier file: " + e.getMessage(), e);
        }
    }

    public String variant() {
        return variant;
    }

    /** The primary embedding model whose cosine the weights were fitted on. */
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

    /** The features weighed, in the order of {@link #weights()}. */
    public List<String> features() {
        return features;
    }

    /** The weight of each feature, on the feature's own scale (a flag's weight is its log-odds change). */
    public double[] weights() {
        return weights.clone();
    }

    public double bias() {
        return bias;
    }

    /** Serve when the probability is at least this. */
    public double threshold() {
        return threshold;
    }

    /** The probability of "same meaning" for a full feature vector in {@link Features#NAMES} order. */
    double probability(double[] all) {
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * all[featureIndex[i]];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** Lowest cosine that can reach the threshold with every other feature at its most favourable value in [0, 1]. */
    double minCosine() {
        double best = bias;
        double cosineWeight = 0;
        for (int i = 0; i < weights.length; i++) {
            if (features.get(i).equals(Features.COSINE)) {
                cosineWeight = weights[i];
            } else {
                best += Math.max(0, weights[i]);
            }
        }
        if (cosineWeight <= 0) {
            return 0;
        }
        double needed = Math.log(threshold / (1 - threshold));
        return Math.max(0, Math.min(1, (needed - best) / cosineWeight));
    }

    @Override
    public String toString() {
        return "Verifier[" + variant + ", threshold " + threshold + ", features " + features + "]";
    }
}
