package dev.bound.models;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reports how well a plain cosine threshold on MiniLM vectors separates the labelled pairs in the
 * shared data folder, plus embedding latency. A command-line tool, not a test:
 * {@code java -cp ... dev.bound.models.ThresholdSweep} with {@code -Dbound.shared.data=DIR}.
 */
public final class ThresholdSweep {

    private static final String MODEL = "all-minilm-l6-v2-q";
    private static final double[] PRECISION_TARGETS = {0.95, 0.98};
    private static final double[] POSITIVE_THRESHOLDS = {0.70, 0.75, 0.80, 0.85, 0.90};

    record Pair(String first, String second, boolean positive) {
    }

    record Scored(double cosine, boolean positive) {
    }

    private ThresholdSweep() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("bound.shared.data", "/work/shared/data"));
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "bound-sweep-models");
        EmbeddingModelSpec spec = EmbeddingModelSpec.builtin(MODEL);
        System.out.printf(Locale.ROOT, "Model %s, plain cosine; data %s%n", MODEL, data);
        try (Embedder embedder = Embedders.open(spec, cache)) {
            report("stsb_en.csv", scored(embedder, readStsb(data.resolve("stsb_en.csv"))));
            report("stsb_ru.csv", scored(embedder, readStsb(data.resolve("stsb_ru.csv"))));
            report("paws_wiki_dev.tsv", scored(embedder, readPaws(data.resolve("paws_wiki_dev.tsv"))));
            reportPositives("paraphrase_positives.json",
                    scored(embedder, readPositivesJson(data.resolve("paraphrase_positives.json"))));
            timing(embedder, spec, cache);
        }
    }

    // ---- reading the files ------------------------------------------------------------------

    /** STS-B rows: score >= 4 is a paraphrase, <= 2 is not, anything between is too ambiguous to use. */
    static List<Pair> readStsb(Path file) throws IOException {
        List<Pair> pairs = new ArrayList<>();
        for (List<String> row : parseCsv(Files.readString(file, StandardCharsets.UTF_8))) {
            if (row.size() != 3) {
                throw new IOException(file + ": expected 3 fields, got " + row.size() + " in " + row);
            }
            double score = Double.parseDouble(row.get(2).trim());
            if (score >= 4) {
                pairs.add(new Pair(row.get(0), row.get(1), true));
            } else if (score <= 2) {
                pairs.add(new Pair(row.get(0), row.get(1), false));
            }
        }
        return pairs;
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

    static List<Pair> readPaws(Path file) throws IOException {
        List<Pair> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IOException(file + ": expected 4 tab-separated fields in: " + line);
            }
            pairs.add(new Pair(f[1], f[2], f[3].trim().equals("1")));
        }
        return pairs;
    }

    /** A flat array of {"origin": ..., "similar": ...}; only string values are read, in order. */
    static List<Pair> readPositivesJson(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        List<Pair> pairs = new ArrayList<>();
        String origin = null;
        String key = null;
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c != '"') {
                i++;
                continue;
            }
            StringBuilder s = new StringBuilder();
            i = readJsonString(json, i + 1, s);
            int next = skipSpace(json, i);
            if (next < json.length() && json.charAt(next) == ':') {
                key = s.toString();
                i = next + 1;
            } else if ("origin".equals(key)) {
                origin = s.toString();
            } else if ("similar".equals(key)) {
                if (origin == null) {
                    throw new IOException(file + ": \"similar\" without a preceding \"origin\" near offset " + i);
                }
                pairs.add(new Pair(origin, s.toString(), true));
                origin = null;
            }
        }
        return pairs;
    }

    private static int readJsonString(String json, int i, StringBuilder out) {
        while (true) {
            char c = json.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = json.charAt(i++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    // ---- scoring ------------------------------------------------------------------------------

    static List<Scored> scored(Embedder embedder, List<Pair> pairs) throws Exception {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (Pair p : pairs) {
            unique.add(p.first());
            unique.add(p.second());
        }
        Map<String, float[]> vectors = embedConcurrently(embedder, new ArrayList<>(unique));
        List<Scored> out = new ArrayList<>(pairs.size());
        for (Pair p : pairs) {
            out.add(new Scored(Vectors.dot(vectors.get(p.first()), vectors.get(p.second())), p.positive()));
        }
        return out;
    }

    private static Map<String, float[]> embedConcurrently(Embedder embedder, List<String> texts) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        int chunk = Math.max(1, (texts.size() + threads - 1) / threads);
        Map<String, float[]> out = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < texts.size(); from += chunk) {
                List<String> part = texts.subList(from, Math.min(texts.size(), from + chunk));
                futures.add(pool.submit(() -> {
                    List<float[]> v = embedder.embedAll(part);
                    for (int i = 0; i < part.size(); i++) {
                        out.put(part.get(i), v.get(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }

    /** Predicting "paraphrase" when cosine >= t, for every t that is one of the observed scores. */
    static void report(String file, List<Scored> scored) {
        List<Scored> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble(Scored::cosine).reversed());
        long positives = sorted.stream().filter(Scored::positive).count();
        long negatives = sorted.size() - positives;

        double bestF1 = 0;
        double bestF1Threshold = Double.NaN;
        double bestF1Precision = 0;
        double bestF1Recall = 0;
        double maxPrecision = 0;
        double[] recallAt = new double[PRECISION_TARGETS.length];
        double[] thresholdAt = new double[PRECISION_TARGETS.length];
        double[] precisionAt = new double[PRECISION_TARGETS.length];
        Arrays.fill(thresholdAt, Double.NaN);
        long tp = 0;
        long fp = 0;
        double auc = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Scored s = sorted.get(i);
            if (s.positive()) {
                tp++;
            } else {
                fp++;
                auc += tp;
            }
            // Ties must be cut together: a threshold cannot separate equal scores.
            if (i + 1 < sorted.size() && sorted.get(i + 1).cosine() == s.cosine()) {
                continue;
            }
            double precision = (double) tp / (tp + fp);
            double recall = positives == 0 ? 0 : (double) tp / positives;
            double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
            maxPrecision = Math.max(maxPrecision, tp + fp >= 10 ? precision : 0);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestF1Threshold = s.cosine();
                bestF1Precision = precision;
                bestF1Recall = recall;
            }
            for (int k = 0; k < PRECISION_TARGETS.length; k++) {
                if (precision >= PRECISION_TARGETS[k] && recall > recallAt[k]) {
                    recallAt[k] = recall;
                    thresholdAt[k] = s.cosine();
                    precisionAt[k] = precision;
                }
            }
        }
        auc = positives * negatives == 0 ? Double.NaN : auc / ((double) positives * negatives);
        System.out.printf(Locale.ROOT, "%n%s: %d pairs (%d positive, %d negative), ROC AUC %.3f%n",
                file, sorted.size(), positives, negatives, auc);
        System.out.printf(Locale.ROOT, "  best F1 %.3f at cosine >= %.3f (precision %.3f, recall %.3f)%n",
                bestF1, bestF1Threshold, bestF1Precision, bestF1Recall);
        for (int k = 0; k < PRECISION_TARGETS.length; k++) {
            if (Double.isNaN(thresholdAt[k])) {
                System.out.printf(Locale.ROOT, "  precision >= %.2f: never reached (best precision over >= 10 hits %.3f)%n",
                        PRECISION_TARGETS[k], maxPrecision);
            } else {
                System.out.printf(Locale.ROOT, "  precision >= %.2f: recall %.3f at cosine >= %.3f (precision %.3f)%n",
                        PRECISION_TARGETS[k], recallAt[k], thresholdAt[k], precisionAt[k]);
            }
        }
    }

    static void reportPositives(String file, List<Scored> scored) {
        double[] cos = scored.stream().mapToDouble(Scored::cosine).sorted().toArray();
        System.out.printf(Locale.ROOT, "%n%s: %d positive pairs, median cosine %.3f, min %.3f%n",
                file, cos.length, cos[cos.length / 2], cos[0]);
        for (double t : POSITIVE_THRESHOLDS) {
            long above = Arrays.stream(cos).filter(c -> c >= t).count();
            System.out.printf(Locale.ROOT, "  cosine >= %.2f: %.3f (%d of %d)%n", t, (double) above / cos.length,
                    above, cos.length);
        }
    }

    // ---- timing -------------------------------------------------------------------------------

    private static void timing(Embedder embedder, EmbeddingModelSpec spec, Path cache) throws Exception {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            prompts.add("How do I reset the password for account number " + i + "?");
        }
        for (int i = 0; i < 50; i++) {
            embedder.embed(prompts.get(i % 64));
        }
        double[] single = new double[400];
        for (int i = 0; i < single.length; i++) {
            long t0 = System.nanoTime();
            embedder.embed(prompts.get(i % 64));
            single[i] = (System.nanoTime() - t0) / 1e6;
        }
        double[] batch = new double[30];
        for (int i = 0; i < batch.length; i++) {
            long t0 = System.nanoTime();
            embedder.embedAll(prompts);
            batch[i] = (System.nanoTime() - t0) / 1e6 / prompts.size();
        }
        // For comparison only: a true batched pass, which the Embedder avoids for this model because
        // dynamic quantization makes each vector depend on its batch companions.
        double[] raw = new double[30];
        try (ZooModel<String, float[]> model = Embedders.load(spec, ModelFiles.resolve(spec, cache));
                Predictor<String, float[]> predictor = model.newPredictor()) {
            predictor.batchPredict(prompts);
            for (int i = 0; i < raw.length; i++) {
                long t0 = System.nanoTime();
                predictor.batchPredict(prompts);
                raw[i] = (System.nanoTime() - t0) / 1e6 / prompts.size();
            }
        }
        System.out.printf(Locale.ROOT, "%nTiming (%d processors): one short prompt median %.2f ms; "
                        + "embedAll of 64, per prompt median %.2f ms; raw DJL batchPredict of 64, per prompt median %.2f ms%n",
                Runtime.getRuntime().availableProcessors(), median(single), median(batch), median(raw));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
