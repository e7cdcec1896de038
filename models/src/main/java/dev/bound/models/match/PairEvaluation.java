package dev.bound.models.match;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.bound.models.Embedder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads labelled sentence pairs and measures how well a {@link PairMatcher} tells paraphrases from
 * other pairs: the precision/recall curve, best F1, recall at precision 0.95 and 0.98, and the cost
 * per pair. {@code bound eval} and the verifier's training report both go through here.
 */
public final class PairEvaluation {

    /** Precision targets for which the recall is reported. */
    public static final double[] PRECISION_TARGETS = {0.95, 0.98};
    /** STS-B scores at or above this are paraphrases. */
    public static final double STSB_POSITIVE = 4.0;
    /** STS-B scores at or below this are not; pairs in between are left out as ambiguous. */
    public static final double STSB_NEGATIVE = 2.0;
    static final int CURVE_POINTS = 40;

    private PairEvaluation() {
    }

    /** One pair: does {@code second} mean the same as {@code first}? */
    public record LabelledPair(String first, String second, boolean positive) {
        public LabelledPair {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }
    }

    /**
     * The pairs of one file.
     *
     * @param positivesOnly true when the file has no negatives, so only the share accepted can be reported
     */
    public record Dataset(String name, List<LabelledPair> pairs, boolean positivesOnly) {
        public Dataset {
            Objects.requireNonNull(name, "name");
            pairs = List.copyOf(pairs);
        }

        public long positives() {
            return pairs.stream().filter(LabelledPair::positive).count();
        }
    }

    /** A matcher's score for one labelled pair. */
    public record ScoredPair(double score, boolean positive) {
    }

    /** One point of the precision/recall curve: serving every pair scoring at least {@code threshold}. */
    public record Point(double threshold, double precision, double recall) {
    }

    /**
     * Mean wall-clock cost per pair, in milliseconds, measured one pair at a time on one thread.
     *
     * @param primaryEmbedMs embedding one text with the primary model (the query's embedding, which
     *     the semantic tier pays anyway)
     * @param prepareMs {@link PairMatcher#prepare} of one text (tokenising, and the second model's
     *     embedding if the matcher uses one)
     * @param scoreMs {@link PairMatcher#score} of one pair
     */
    public record Cost(double primaryEmbedMs, double prepareMs, double scoreMs) {

        /** One lookup with one uncached candidate: embed and prepare the query, prepare the candidate, score. */
        public double perLookupMs() {
            return primaryEmbedMs + 2 * prepareMs + scoreMs;
        }

        /** What the matcher adds to a lookup whose candidate was prepared earlier (cached). */
        public double addedCachedMs() {
            return prepareMs + scoreMs;
        }
    }

    /**
     * How one matcher did on one dataset. Recall figures are NaN where the target precision is never
     * reached. A dataset of one class (only paraphrases, or only generated contrast pairs) has no
     * precision: its figures are NaN except {@code acceptedAtThreshold}, the share of pairs served.
     */
    public record Report(String dataset, String matcher, int pairs, int positives, boolean positivesOnly,
            double threshold, double precisionAtThreshold, double recallAtThreshold, double acceptedAtThreshold,
            double bestF1, double bestF1Threshold, double[] recallAtPrecision, double[] thresholdAtPrecision,
            double rocAuc, List<Point> curve, Cost cost) {

        public Report {
            recallAtPrecision = recallAtPrecision.clone();
            thresholdAtPrecision = thresholdAtPrecision.clone();
            curve = List.copyOf(curve);
        }

        @Override
        public double[] recallAtPrecision() {
            return recallAtPrecision.clone();
        }

        @Override
        public double[] thresholdAtPrecision() {
            return thresholdAtPrecision.clone();
        }

        /** One line per report plus a header, aligned for a terminal. */
        public static String table(List<Report> reports) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-28s %-18s %6s %6s  %-15s %-15s %-15s %-15s %8s %8s%n",
                    "dataset", "matcher", "pairs", "AUC", "bestF1 (at)", "R@P.95 (at)", "R@P.98 (at)",
                    "P/R at thr", "ms/pair", "+ms hit"));
            for (Report r : reports) {
                out.append(r.row()).append('\n');
            }
            return out.toString();
        }

        String row() {
            String atThreshold = singleClass()
                    ? String.format(Locale.ROOT, "acc %.3f", acceptedAtThreshold)
                    : String.format(Locale.ROOT, "%.3f/%.3f", precisionAtThreshold, recallAtThreshold);
            return String.format(Locale.ROOT, "%-28s %-18s %6d %6s  %-15s %-15s %-15s %-15s %8.2f %8.2f",
                    dataset, matcher, pairs, fmt(rocAuc), pair(bestF1, bestF1Threshold),
                    pair(recallAtPrecision[0], thresholdAtPrecision[0]), pair(recallAtPrecision[1], thresholdAtPrecision[1]),
                    Double.isNaN(threshold) ? "-" : atThreshold + "@" + fmt(threshold), cost == null ? Double.NaN : cost.perLookupMs(),
                    cost == null ? Double.NaN : cost.addedCachedMs());
        }

        /** Whether the dataset has only positives or only negatives. */
        public boolean singleClass() {
            return positives == 0 || positives == pairs;
        }

        private static String pair(double value, double at) {
            return Double.isNaN(value) ? "-" : fmt(value) + " (" + fmt(at) + ")";
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
        }

        /** The report as one JSON object. */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("dataset", dataset);
            o.addProperty("matcher", matcher);
            o.addProperty("pairs", pairs);
            o.addProperty("positives", positives);
            o.addProperty("positivesOnly", positivesOnly);
            o.add("threshold", round(threshold));
            o.add("acceptedAtThreshold", round(acceptedAtThreshold));
            if (!singleClass()) {
                o.add("precisionAtThreshold", round(precisionAtThreshold));
                o.add("recallAtThreshold", round(recallAtThreshold));
                o.add("rocAuc", round(rocAuc));
                o.add("bestF1", round(bestF1));
                o.add("bestF1Threshold", round(bestF1Threshold));
                for (int k = 0; k < PRECISION_TARGETS.length; k++) {
                    String key = String.format(Locale.ROOT, "%.2f", PRECISION_TARGETS[k]);
                    o.add("recallAtPrecision" + key, round(recallAtPrecision[k]));
                    o.add("thresholdAtPrecision" + key, round(thresholdAtPrecision[k]));
                }
                JsonArray points = new JsonArray();
                for (Point p : curve) {
                    JsonObject point = new JsonObject();
                    point.add("threshold", round(p.threshold()));
                    point.add("precision", round(p.precision()));
                    point.add("recall", round(p.recall()));
                    points.add(point);
                }
                o.add("curve", points);
            }
            if (cost != null) {
                JsonObject c = new JsonObject();
                c.add("primaryEmbedMs", round(cost.primaryEmbedMs()));
                c.add("prepareMs", round(cost.prepareMs()));
                c.add("scoreMs", round(cost.scoreMs()));
                c.add("perLookupMs", round(cost.perLookupMs()));
                c.add("addedCachedMs", round(cost.addedCachedMs()));
                o.add("costMs", c);
            }
            return o.toString();
        }

        /** Several reports as one JSON array. */
        public static String json(List<Report> reports) {
            JsonArray array = new JsonArray();
            for (Report r : reports) {
                array.add(JsonParser.parseString(r.toJson()));
            }
            return array.toString();
        }

        private static JsonElement round(double v) {
            if (Double.isNaN(v)) {
                return com.google.gson.JsonNull.INSTANCE;
            }
            return new com.google.gson.JsonPrimitive(Math.round(v * 1e4) / 1e4);
        }
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * Reads a file in any of the shared data formats, chosen by its name and first line: {@code .tsv}
     * (PAWS: id, sentence1, sentence2, label), {@code .json} (an array of {origin, similar}
     * paraphrases), {@code .csv} with a header naming two text columns and a label column, or
     * {@code .csv} without a header (STS-B: sentence1, sentence2, score 0–5).
     *
     * @throws IOException if the file cannot be read or does not parse
     */
    public static Dataset read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String lower = name.toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".tsv")) {
                return parsePaws(name, text);
            }
            if (lower.endsWith(".json")) {
                return parsePositivesJson(name, text);
            }
            if (lower.endsWith(".csv")) {
                List<List<String>> rows = parseCsv(text);
                if (!rows.isEmpty() && rows.get(0).size() >= 3 && !isNumber(rows.get(0).get(rows.get(0).size() - 1))) {
                    return parseLabelledCsv(name, text);
                }
                return parseStsb(name, text);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        throw new IOException(file + ": unknown format; expected .tsv (PAWS), .csv (STS-B or question1,question2,label) or .json");
    }

    /** PAWS TSV without a header: id, sentence1, sentence2, label (1 = paraphrase). */
    public static Dataset parsePaws(String name, String text) {
        List<LabelledPair> pairs = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\r?\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("line " + lineNumber + ": expected 4 tab-separated fields, got " + f.length);
            }
            if (lineNumber == 1 && !isNumber(f[3])) {
                continue; // a header line
            }
            pairs.add(new LabelledPair(f[1], f[2], label(f[3], lineNumber)));
        }
        return new Dataset(name, pairs, false);
    }

    /** STS-B CSV without a header: sentence1, sentence2, score; ≥ 4 is a paraphrase, ≤ 2 is not, the rest is left out. */
    public static Dataset parseStsb(String name, String text) {
        List<LabelledPair> pairs = new ArrayList<>();
        int row = 0;
        for (List<String> fields : parseCsv(text)) {
            row++;
            if (fields.size() != 3) {
                throw new IllegalArgumentException("row " + row + ": expected 3 fields, got " + fields.size());
            }
            double score = Double.parseDouble(fields.get(2).trim());
            if (score >= STSB_POSITIVE) {
                pairs.add(new LabelledPair(fields.get(0), fields.get(1), true));
            } else if (score <= STSB_NEGATIVE) {
                pairs.add(new LabelledPair(fields.get(0), fields.get(1), false));
            }
        }
        return new Dataset(name, pairs, false);
    }

    /**
     * CSV with a header line; the texts are the columns named question1/question2 (or sentence1/sentence2,
     * or else the first two) and the label is the column named label or is_duplicate (or else the last), 1 or 0.
     */
    public static Dataset parseLabelledCsv(String name, String text) {
        List<List<String>> rows = parseCsv(text);
        if (rows.isEmpty()) {
            return new Dataset(name, List.of(), false);
        }
        List<String> header = rows.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        int first = column(header, "question1", "sentence1", 0);
        int second = column(header, "question2", "sentence2", 1);
        int label = column(header, "label", "is_duplicate", header.size() - 1);
        List<LabelledPair> pairs = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> fields = rows.get(r);
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException("row " + (r + 1) + ": expected " + header.size() + " fields, got " + fields.size());
            }
            pairs.add(new LabelledPair(fields.get(first), fields.get(second), label(fields.get(label), r + 1)));
        }
        return new Dataset(name, pairs, false);
    }

    /** A JSON array of {"origin": …, "similar": …} objects, all paraphrases. */
    public static Dataset parsePositivesJson(String name, String text) {
        List<LabelledPair> pairs = new ArrayList<>();
        try {
            JsonArray array = JsonParser.parseString(text).getAsJsonArray();
            for (JsonElement e : array) {
                JsonObject o = e.getAsJsonObject();
                if (!o.has("origin") || !o.has("similar")) {
                    throw new IllegalArgumentException("element " + pairs.size() + " lacks \"origin\" or \"similar\"");
                }
                pairs.add(new LabelledPair(o.get("origin").getAsString(), o.get("similar").getAsString(), true));
            }
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON array of {origin, similar} objects: " + e.getMessage(), e);
        }
        return new Dataset(name, pairs, true);
    }

    private static int column(List<String> header, String name, String alternative, int fallback) {
        int i = header.indexOf(name);
        if (i < 0) {
            i = header.indexOf(alternative);
        }
        return i >= 0 ? i : fallback;
    }

    private static boolean label(String field, int row) {
        String f = field.strip();
        if (f.equals("1")) {
            return true;
        }
        if (f.equals("0")) {
            return false;
        }
        throw new IllegalArgumentException("row " + row + ": label must be 0 or 1, got '" + field + "'");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean rowHasContent = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                rowHasContent = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                rowHasContent = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (rowHasContent || field.length() > 0) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                rowHasContent = false;
            } else if (c == '\uFEFF' && i == 0) {
                continue;
            } else {
                field.append(c);
                rowHasContent = true;
            }
        }
        if (rowHasContent || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    // ---- measuring -----------------------------------------------------------------------------

    /**
     * Scores every pair through {@code matcher} exactly as a lookup would (embed both texts with the
     * primary model, prepare both, score), one pair at a time, timing each step.
     */
    public static Report evaluate(Dataset data, PairMatcher matcher, Embedder primary) {
        List<ScoredPair> scored = new ArrayList<>(data.pairs().size());
        long embedNanos = 0;
        long prepareNanos = 0;
        long scoreNanos = 0;
        for (LabelledPair p : data.pairs()) {
            long t0 = System.nanoTime();
            float[] a = primary.embed(p.first());
            float[] b = primary.embed(p.second());
            long t1 = System.nanoTime();
            Prepared query = matcher.prepare(p.first(), a);
            Prepared candidate = matcher.prepare(p.second(), b);
            long t2 = System.nanoTime();
            double score = matcher.score(query, candidate, cosine(a, b));
            long t3 = System.nanoTime();
            embedNanos += t1 - t0;
            prepareNanos += t2 - t1;
            scoreNanos += t3 - t2;
            scored.add(new ScoredPair(score, p.positive()));
        }
        int n = Math.max(1, data.pairs().size());
        Cost cost = new Cost(embedNanos / 1e6 / (2.0 * n), prepareNanos / 1e6 / (2.0 * n), scoreNanos / 1e6 / n);
        return report(data.name(), matcher.name(), matcher.threshold(), scored, data.positivesOnly(), cost);
    }

    static double cosine(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /**
     * The figures for already scored pairs: serving a pair means its score is at least the
     * threshold, and pairs with equal scores are always served or refused together.
     *
     * @param cost null when not measured
     */
    public static Report report(String dataset, String matcher, double threshold, List<ScoredPair> scored,
            boolean positivesOnly, Cost cost) {
        List<ScoredPair> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble(ScoredPair::score).reversed());
        int positives = (int) sorted.stream().filter(ScoredPair::positive).count();
        int negatives = sorted.size() - positives;
        long tpAt = sorted.stream().filter(s -> s.positive() && s.score() >= threshold).count();
        long fpAt = sorted.stream().filter(s -> !s.positive() && s.score() >= threshold).count();
        double recallAt = positives == 0 ? Double.NaN : (double) tpAt / positives;
        double precisionAt = tpAt + fpAt == 0 || positives == 0 || negatives == 0 ? Double.NaN
                : (double) tpAt / (tpAt + fpAt);
        double accepted = sorted.isEmpty() ? Double.NaN : (double) (tpAt + fpAt) / sorted.size();
        double[] recallAtP = new double[PRECISION_TARGETS.length];
        double[] thresholdAtP = new double[PRECISION_TARGETS.length];
        Arrays.fill(recallAtP, Double.NaN);
        Arrays.fill(thresholdAtP, Double.NaN);
        if (positivesOnly || positives == 0 || negatives == 0) {
            return new Report(dataset, matcher, sorted.size(), positives, positivesOnly, threshold, precisionAt,
                    recallAt, accepted, Double.NaN, Double.NaN, recallAtP, thresholdAtP, Double.NaN, List.of(), cost);
        }
        double bestF1 = 0;
        double bestF1Threshold = Double.NaN;
        long tp = 0;
        long fp = 0;
        List<Point> all = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            ScoredPair s = sorted.get(i);
            if (s.positive()) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 < sorted.size() && sorted.get(i + 1).score() == s.score()) {
                continue; // a threshold cannot separate equal scores
            }
            double precision = (double) tp / (tp + fp);
            double recall = (double) tp / positives;
            double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
            all.add(new Point(s.score(), precision, recall));
            if (f1 > bestF1) {
                bestF1 = f1;
                bestF1Threshold = s.score();
            }
            for (int k = 0; k < PRECISION_TARGETS.length; k++) {
                if (precision >= PRECISION_TARGETS[k] && (Double.isNaN(recallAtP[k]) || recall > recallAtP[k])) {
                    recallAtP[k] = recall;
                    thresholdAtP[k] = s.score();
                }
            }
        }
        double auc = rocAuc(sorted, positives, negatives);
        return new Report(dataset, matcher, sorted.size(), positives, false, threshold, precisionAt, recallAt, accepted,
                bestF1, bestF1Threshold, recallAtP, thresholdAtP, auc, sample(all), cost);
    }

    /** Probability that a random positive outscores a random negative, ties counting half. */
    private static double rocAuc(List<ScoredPair> sortedDescending, int positives, int negatives) {
        double sum = 0;
        long positivesAbove = 0;
        int i = 0;
        while (i < sortedDescending.size()) {
            int j = i;
            long p = 0;
            long n = 0;
            while (j < sortedDescending.size() && sortedDescending.get(j).score() == sortedDescending.get(i).score()) {
                if (sortedDescending.get(j).positive()) {
                    p++;
                } else {
                    n++;
                }
                j++;
            }
            sum += n * (positivesAbove + p / 2.0);
            positivesAbove += p;
            i = j;
        }
        return sum / ((double) positives * negatives);
    }

    /** Every point if there are few; else the first point reaching each recall step of 1/CURVE_POINTS. */
    private static List<Point> sample(List<Point> all) {
        if (all.size() <= CURVE_POINTS) {
            return all;
        }
        List<Point> out = new ArrayList<>();
        int next = 1;
        for (Point p : all) {
            if (p.recall() >= (double) next / CURVE_POINTS - 1e-12) {
                out.add(p);
                while (next <= CURVE_POINTS && p.recall() >= (double) next / CURVE_POINTS - 1e-12) {
                    next++;
                }
            }
        }
        return out;
    }
}
