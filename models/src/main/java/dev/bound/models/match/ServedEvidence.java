package dev.bound.models.match;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline evidence for the error bound's pooled calibration: per score bin of {@link
 * PooledCalibration}, how many candidates the semantic tier served at that score were right and
 * how many wrong, counted on real questions that the verifier never trained on.
 *
 * <p>The verifiers' score is calibrated over every candidate the vector search brings up, but a
 * lookup serves only its best one, and the best candidate of a real question is right more often
 * than its score says: replaying the calibration part of {@code qqp_train.csv} through the serving
 * path, hits served at scores 0.70–0.75 were right 82 % of the time, at 0.80–0.85 89 %. Taken as
 * the bound's prior, the score alone made it refuse most hits it could have served within its
 * bound. For plain cosine the assumed prior erred the other way near the top (98–99.8 % assumed
 * at 0.95–1, 96.8 % counted). These counts are written by {@code bound eval --stream FILE
 * --calibration-out FILE}, one entry per matcher, and {@link PooledCalibration} weighs them as
 * observations beside what it learns while serving.
 *
 * @param matcher the matcher's name ({@code cosine}, {@code verified-lexical}, {@code verified})
 * @param embedding the primary embedding model the scores were computed with
 * @param verifierSha256 SHA-256 of the verifier file the scores came from; null for cosine
 * @param correct per bin, the served candidates that were right
 * @param wrong per bin, those that were not
 * @param source how the counts were made (stream file and command), for the reader
 */
public record ServedEvidence(String matcher, String embedding, String verifierSha256,
        double[] correct, double[] wrong, String source) {

    private static final Logger LOG = LoggerFactory.getLogger(ServedEvidence.class);
    /** The evidence Bound ships, next to the verifiers. */
    public static final String RESOURCE = "bound/match/served-evidence.json";
    static final int FORMAT = 1;

    public ServedEvidence {
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(source, "source");
        correct = PooledCalibration.counts(correct);
        wrong = PooledCalibration.counts(wrong);
    }

    @Override
    public double[] correct() {
        return correct.clone();
    }

    @Override
    public double[] wrong() {
        return wrong.clone();
    }

    /** Served candidates counted, over all bins. */
    public double total() {
        return Arrays.stream(correct).sum() + Arrays.stream(wrong).sum();
    }

    /**
     * Counts, per bin, served candidates with their scores ({@code right[i]} for {@code
     * scores[i]}); scores below {@link PooledCalibration#LOW}, and NaN, are left out.
     */
    public static ServedEvidence count(String matcher, String embedding, String verifierSha256,
            double[] scores, boolean[] right, String source) {
        if (scores.length != right.length) {
            throw new IllegalArgumentException("one outcome per score");
        }
        double[] c = new double[PooledCalibration.BINS];
        double[] w = new double[PooledCalibration.BINS];
        for (int i = 0; i < scores.length; i++) {
            int b = PooledCalibration.bin(scores[i]);
            if (b >= 0) {
                (right[i] ? c : w)[b]++;
            }
        }
        return new ServedEvidence(matcher, embedding, verifierSha256, c, w, source);
    }

    /**
     * The shipped evidence for a matcher, if it was counted with this embedding model and, for a
     * verifier, with the verifier file this build ships; empty otherwise (said in the log).
     */
    public static Optional<ServedEvidence> builtin(String matcher, String embedding) {
        String text;
        try (InputStream in = ServedEvidence.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                LOG.info("no {} on the class path; the error bound starts from its prior alone", RESOURCE);
                return Optional.empty();
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Optional<ServedEvidence> e = parse(text, matcher);
        if (e.isEmpty()) {
            return e;
        }
        String wanted = matcher.equals(CosineMatcher.NAME) ? null : Verifier.builtinSha256();
        if (!e.get().embedding().equals(embedding) || !Objects.equals(e.get().verifierSha256(), wanted)) {
            LOG.info("the served evidence for {} in {} was counted with another embedding model or "
                    + "verifier; the error bound starts from its prior alone", matcher, RESOURCE);
            return Optional.empty();
        }
        return e;
    }

    /**
     * The entry for {@code matcher} in an evidence file's text, or empty when it has none.
     *
     * @throws IllegalArgumentException if the text is not an evidence file
     */
    public static Optional<ServedEvidence> parse(String json, String matcher) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            int format = root.get("format").getAsInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("served evidence format " + format
                        + " is not supported; this build reads " + FORMAT);
            }
            JsonObject m = root.getAsJsonObject("matchers").getAsJsonObject(matcher);
            if (m == null) {
                return Optional.empty();
            }
            if (m.get("low").getAsDouble() != PooledCalibration.LOW
                    || m.get("width").getAsDouble() != PooledCalibration.WIDTH) {
                throw new IllegalArgumentException("the evidence for " + matcher + " was counted in other score bins");
            }
            JsonElement sha = m.get("verifier_sha256");
            return Optional.of(new ServedEvidence(matcher, m.get("embedding").getAsString(),
                    sha == null || sha.isJsonNull() ? null : sha.getAsString(), doubles(m, "correct"),
                    doubles(m, "wrong"), m.get("source").getAsString()));
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException
                | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a served evidence file: " + e, e);
        }
    }

    /**
     * An evidence file's text with this entry put in (replacing the one of the same matcher);
     * {@code existing} is the file's text so far, or null to start a new file.
     */
    public String mergedInto(String existing) {
        JsonObject root;
        if (existing == null) {
            root = new JsonObject();
            root.addProperty("format", FORMAT);
            root.addProperty("about", "Per score bin of the error bound's pooled calibration (from low, "
                    + "width wide), how many candidates the semantic tier served at that score were right "
                    + "and how many wrong, per matcher. Written by 'bound eval --stream FILE "
                    + "--calibration-out THIS_FILE'; see models/MATCHING.md.");
            root.add("matchers", new JsonObject());
        } else {
            parse(existing, matcher); // refuses a file of another kind before it is rewritten
            root = JsonParser.parseString(existing).getAsJsonObject();
        }
        JsonObject m = new JsonObject();
        m.addProperty("embedding", embedding);
        if (verifierSha256 != null) {
            m.addProperty("verifier_sha256", verifierSha256);
        }
        m.addProperty("source", source);
        m.addProperty("low", PooledCalibration.LOW);
        m.addProperty("width", PooledCalibration.WIDTH);
        m.addProperty("served", (long) total());
        m.add("correct", array(correct));
        m.add("wrong", array(wrong));
        root.getAsJsonObject("matchers").add(matcher, m);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    /** SHA-256 of some bytes, as lower-case hex. */
    public static String sha256Of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static double[] doubles(JsonObject o, String field) {
        JsonArray a = o.getAsJsonArray(field);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    private static JsonArray array(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(v == Math.rint(v) ? (Number) (long) v : (Number) v);
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServedEvidence e && matcher.equals(e.matcher) && embedding.equals(e.embedding)
                && Objects.equals(verifierSha256, e.verifierSha256) && Arrays.equals(correct, e.correct)
                && Arrays.equals(wrong, e.wrong) && source.equals(e.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(matcher, embedding, verifierSha256, source) * 31 + Arrays.hashCode(correct) * 7
                + Arrays.hashCode(wrong);
    }

    @Override
    public String toString() {
        return "ServedEvidence[" + matcher + ", " + (long) total() + " served, from " + source + "]";
    }
}
