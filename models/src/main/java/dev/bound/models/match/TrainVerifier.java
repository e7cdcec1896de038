package dev.bound.models.match;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.bound.models.Embedder;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;
import dev.bound.models.match.PairEvaluation.Dataset;
import dev.bound.models.match.PairEvaluation.LabelledPair;
import dev.bound.models.match.PairEvaluation.Report;
import dev.bound.models.match.PairEvaluation.ScoredPair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Trains the built-in verifier variants on the shared labelled pairs and writes
 * {@code bound/match/verifier.json}. Deterministic: a fixed stratified split holds out 30 % of
 * every file for reporting, the weights come from an exact Newton fit, and the threshold from
 * cross-validated scores on the training part only. Run from the repository root:
 *
 * <pre>{@code
 * mvn -B -o -q -pl models install -DskipTests
 * mvn -B -o -q -pl models dependency:build-classpath -Dmdep.outputFile=/tmp/bound-models.cp
 * java -cp models/target/classes:$(cat /tmp/bound-models.cp) dev.bound.models.match.TrainVerifier \
 *     [-Dbound.shared.data=/work/shared/data] [models/src/main/resources/bound/match/verifier.json]
 * }</pre>
 *
 * <p>{@code -Dbound.match.reportOnly=a.tsv,b.csv} names the files reported on but not trained on
 * (default {@code paws_wiki_dev.tsv}, see MATCHING.md); {@code -Dbound.match.dump=FILE} writes every
 * pair's features as CSV for inspection. Embeddings are cached in {@code $TMPDIR/bound-match-vectors}.
 */
public final class TrainVerifier {

    static final String COMMAND = "java -cp models/target/classes:$(cat /tmp/bound-models.cp) "
            + "dev.bound.models.match.TrainVerifier models/src/main/resources/bound/match/verifier.json";
    static final String PRIMARY = "all-minilm-l6-v2-q";
    static final String SECOND = "bge-small-en-v1.5-q";
    /** Penalty on the standardised weights, relative to a total sample weight equal to the pair count. */
    static final double L2 = 1.0;
    /** The operating point: the verifier's threshold keeps precision at least this on every labelled file. */
    static final double TARGET_PRECISION = 0.95;
    /** Generated contrast pairs of each kind (antonym, negation, number, name), from training sentences. */
    static final int CONTRAST_PER_KIND = 500;
    static final int CONTRAST_PER_KIND_HELD_OUT = 150;
    static final String CONTRAST_NAME = "contrast edits (generated)";
    /** Files reported on but never trained on: adversarial sets that would distort the general case. */
    static final List<String> REPORT_ONLY = List.of(System.getProperty("bound.match.reportOnly", "paws_wiki_dev.tsv").split(","));

    private TrainVerifier() {
    }

    /** Files whose texts the primary model can represent: the language guard allows most of them. */
    static boolean[] represented(List<Dataset> sets, Path models) {
        boolean[] represented = new boolean[sets.size()];
        try (LanguageGuard guard = LanguageGuard.open(EmbeddingModelSpec.builtin(PRIMARY), models)) {
            for (int f = 0; f < sets.size(); f++) {
                long allowed = sets.get(f).pairs().stream().filter(p -> guard.semanticAllowed(p.first())).count();
                represented[f] = allowed >= 0.5 * sets.get(f).pairs().size();
            }
        }
        return represented;
    }

    /** Trained on: the files the model can represent, except the report-only ones. */
    static boolean[] trained(List<Dataset> sets, boolean[] represented) {
        boolean[] trained = new boolean[sets.size()];
        for (int f = 0; f < sets.size(); f++) {
            trained[f] = represented[f] && !REPORT_ONLY.contains(sets.get(f).name());
        }
        return trained;
    }

    /** Contrast pairs made from the training (or held-out) split of the files trained on. */
    static List<LabelledPair> contrastPairs(List<Dataset> sets, boolean[] trained, boolean heldOutSide) {
        List<LabelledPair> source = new ArrayList<>();
        for (int f = 0; f < sets.size(); f++) {
            if (!trained[f]) {
                continue;
            }
            boolean[] heldOut = Split.heldOut(sets.get(f).pairs());
            for (int i = 0; i < heldOut.length; i++) {
                if (heldOut[i] == heldOutSide) {
                    source.add(sets.get(f).pairs().get(i));
                }
            }
        }
        return heldOutSide ? ContrastEdits.make(source, CONTRAST_PER_KIND_HELD_OUT, Split.SEED + 100)
                : ContrastEdits.make(source, CONTRAST_PER_KIND, Split.SEED);
    }

    private static boolean[] contrastFlags(int train, int heldOut) {
        boolean[] flags = new boolean[train + heldOut];
        java.util.Arrays.fill(flags, train, train + heldOut, true);
        return flags;
    }

    /** One pair with every feature computed. */
    record Row(int file, boolean positive, boolean heldOut, int fold, double[] features) {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("bound.shared.data", "/work/shared/data"));
        Path out = Path.of(args.length > 0 ? args[0] : "models/src/main/resources/bound/match/verifier.json");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> files = dataFiles(data);
        System.out.printf(Locale.ROOT, "Training the pair verifier on %s (%d files); writing %s%n", data, files.size(), out);

        List<Dataset> sets = new ArrayList<>();
        for (Path f : files) {
            sets.add(PairEvaluation.read(f));
        }
        int threads = Runtime.getRuntime().availableProcessors();
        Path models = tmp.resolve("bound-match-models");
        Path vectors = tmp.resolve("bound-match-vectors");

        // Files whose texts the primary model can represent (the language guard allows most of them):
        // contrast pairs are made from them, and the threshold must hold on each of them.
        boolean[] represented = represented(sets, models);
        boolean[] trained = trained(sets, represented);
        int contrastFile = sets.size();
        List<LabelledPair> contrastTrain = contrastPairs(sets, trained, false);
        List<LabelledPair> contrastHeldOut = contrastPairs(sets, trained, true);
        List<LabelledPair> contrastAll = new ArrayList<>(contrastTrain);
        contrastAll.addAll(contrastHeldOut);
        Dataset contrast = new Dataset(CONTRAST_NAME, contrastAll, false);

        List<String> texts = new ArrayList<>();
        for (Dataset d : sets) {
            d.pairs().forEach(p -> {
                texts.add(p.first());
                texts.add(p.second());
            });
        }
        contrastAll.forEach(p -> {
            texts.add(p.first());
            texts.add(p.second());
        });
        Map<String, float[]> primary;
        Map<String, float[]> second;
        try (Embedder p = Embedders.open(EmbeddingModelSpec.builtin(PRIMARY), models)) {
            primary = VectorCache.embed(p, texts, vectors, threads);
        }
        try (Embedder s = Embedders.open(EmbeddingModelSpec.builtin(SECOND), models)) {
            second = VectorCache.embed(s, texts, vectors, threads);
        }

        List<Row> rows = new ArrayList<>();
        List<Dataset> all = new ArrayList<>(sets);
        all.add(contrast);
        for (int f = 0; f < all.size(); f++) {
            List<LabelledPair> pairs = all.get(f).pairs();
            boolean[] heldOut = f == contrastFile ? contrastFlags(contrastTrain.size(), contrastHeldOut.size())
                    : Split.heldOut(pairs);
            int[] fold = Split.folds(pairs);
            for (int i = 0; i < pairs.size(); i++) {
                LabelledPair p = pairs.get(i);
                double[] x = Features.extract(TextFeatures.of(p.first()), TextFeatures.of(p.second()),
                        PairEvaluation.cosine(primary.get(p.first()), primary.get(p.second())),
                        PairEvaluation.cosine(second.get(p.first()), second.get(p.second())));
                rows.add(new Row(f, p.positive(), heldOut[i], fold[i], x));
            }
            long train = java.util.stream.IntStream.range(0, pairs.size()).filter(i -> !heldOut[i]).count();
            System.out.printf(Locale.ROOT, "  %-30s %5d pairs (%5d positive), %5d train, %5d held out%s%n",
                    all.get(f).name(), pairs.size(), all.get(f).positives(), train, pairs.size() - train,
                    f < sets.size() && !represented[f] ? "; the language guard refuses most of it: not trained on"
                            : f < sets.size() && !trained[f] ? "; report only: not trained on" : "");
        }
        sets = all;
        String dump = System.getProperty("bound.match.dump");
        if (dump != null) {
            StringBuilder csv = new StringBuilder("file,positive,heldOut," + String.join(",", Features.NAMES) + ",first,second\n");
            List<LabelledPair> allPairs = new ArrayList<>();
            all.forEach(d -> allPairs.addAll(d.pairs()));
            for (int k = 0; k < rows.size(); k++) {
                Row r = rows.get(k);
                csv.append(r.file()).append(',').append(r.positive() ? 1 : 0).append(',').append(r.heldOut() ? 1 : 0);
                for (double v : r.features()) {
                    csv.append(',').append(v);
                }
                csv.append(",\"").append(allPairs.get(k).first().replace("\"", "\"\"").replace('\n', ' '))
                        .append("\",\"").append(allPairs.get(k).second().replace("\"", "\"\"").replace('\n', ' ')).append("\"\n");
            }
            Files.writeString(Path.of(dump), csv.toString(), StandardCharsets.UTF_8);
        }

        JsonObject root = new JsonObject();
        root.addProperty("format", 1);
        root.addProperty("command", COMMAND);
        root.add("trainingData", provenance(data, files, sets, rows, trained));
        JsonObject contrastInfo = new JsonObject();
        contrastInfo.addProperty("perKindTrain", CONTRAST_PER_KIND);
        contrastInfo.addProperty("perKindHeldOut", CONTRAST_PER_KIND_HELD_OUT);
        contrastInfo.addProperty("kinds", "antonym, negation, number, name, swap: one meaning-changing edit of a "
                + "sentence from the training split of the files trained on; all labelled not-the-same; weighed as one more file");
        root.add("contrastPairs", contrastInfo);
        JsonObject variants = new JsonObject();
        List<Report> reports = new ArrayList<>();
        for (int f = 0; f < sets.size(); f++) {
            reports.add(heldOutReport(sets.get(f), f, rows, "cosine", 0.85, r -> r.features()[0]));
            reports.add(heldOutReport(sets.get(f), f, rows, "second_cosine", Double.NaN, r -> r.features()[1]));
        }
        for (String variant : List.of(Verifier.VERIFIED, Verifier.VERIFIED_LEXICAL)) {
            List<String> names = Features.NAMES.stream()
                    .filter(n -> variant.equals(Verifier.VERIFIED) || !n.equals(Features.SECOND_COSINE)).toList();
            int[] columns = names.stream().mapToInt(Features::indexOf).toArray();
            JsonObject v = train(variant, names, columns, sets, rows, reports, trained);
            variants.add(variant, v);
        }
        root.add("variants", variants);
        System.out.printf("%nHeld-out figures (the 30 %% never trained on nor used for the threshold):%n%s",
                Report.table(reports));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
        System.out.printf("%nWrote %s%n", out);
    }

    private static JsonObject train(String variant, List<String> names, int[] columns, List<Dataset> sets,
            List<Row> rows, List<Report> reports, boolean[] trained) {
        // Out-of-fold scores on the training part choose the threshold, so the held-out part stays untouched.
        double[] outOfFold = new double[rows.size()];
        for (int k = 0; k < Split.FOLDS; k++) {
            final int fold = k;
            LogisticRegression.Model m = fit(rows, columns, sets.size(), r -> !r.heldOut() && r.fold() != fold && inMix(r.file(), trained));
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (!r.heldOut() && r.fold() == fold && inMix(r.file(), trained)) {
                    outOfFold[i] = m.probability(select(r.features(), columns));
                }
            }
        }
        // The operating point: precision at least the target on every two-class file trained on, by
        // out-of-fold scores; one-class files (paraphrases only, contrast pairs) are reported, not used.
        StringBuilder perFile = new StringBuilder();
        double threshold = 0;
        for (int f = 0; f < trained.length; f++) {
            if (!trained[f] || sets.get(f).positivesOnly()) {
                continue;
            }
            List<ScoredPair> scored = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.file() == f && !r.heldOut()) {
                    scored.add(new ScoredPair(outOfFold[i], r.positive()));
                }
            }
            double t = lowestThresholdFor(scored, TARGET_PRECISION);
            perFile.append(String.format(Locale.ROOT, " %s %.4f;", sets.get(f).name(), t));
            threshold = Math.max(threshold, t);
        }
        LogisticRegression.Model model = fit(rows, columns, sets.size(), r -> !r.heldOut() && inMix(r.file(), trained));
        System.out.printf(Locale.ROOT, "%nVariant %s: threshold %.4f (out-of-fold thresholds for precision %.2f:%s)%n",
                variant, threshold, TARGET_PRECISION, perFile);
        System.out.printf(Locale.ROOT, "  %-20s %10s %14s%n", "feature", "weight", "per sd");
        System.out.printf(Locale.ROOT, "  %-20s %10.4f%n", "(bias)", model.bias());
        for (int j = 0; j < names.size(); j++) {
            System.out.printf(Locale.ROOT, "  %-20s %10.4f %14.4f%n", names.get(j), model.weights()[j], model.standardized()[j]);
        }
        Verifier verifier = new Verifier(variant, PRIMARY, variant.equals(Verifier.VERIFIED) ? SECOND : null, names,
                model.weights(), model.bias(), threshold);
        JsonObject heldOut = new JsonObject();
        for (int f = 0; f < sets.size(); f++) {
            final int file = f;
            Report report = heldOutReport(sets.get(f), f, rows, variant, threshold,
                    r -> verifier.probability(r.features()));
            reports.add(report);
            heldOut.add(sets.get(file).name(), JsonParser.parseString(summary(report)));
        }

        JsonObject v = new JsonObject();
        v.addProperty("primaryModel", PRIMARY);
        v.addProperty("secondModel", variant.equals(Verifier.VERIFIED) ? SECOND : null);
        JsonArray featureArray = new JsonArray();
        names.forEach(featureArray::add);
        v.add("features", featureArray);
        v.add("weights", numbers(model.weights()));
        v.addProperty("bias", round(model.bias()));
        v.add("weightsPerStandardDeviation", numbers(model.standardized()));
        v.addProperty("threshold", round(threshold));
        v.addProperty("thresholdRule", String.format(Locale.ROOT,
                "the lowest probability at which precision >= %.2f on every two-class file trained on, by %d-fold "
                        + "cross-validated scores on the training split; per file:%s",
                TARGET_PRECISION, Split.FOLDS, perFile));
        v.addProperty("minCosine", round(verifier.minCosine()));
        v.add("heldOut", heldOut);
        return v;
    }

    /** Each file weighs the same in total, so the 8,000 PAWS pairs do not drown the rest. */
    private static LogisticRegression.Model fit(List<Row> rows, int[] columns, int fileCount,
            java.util.function.Predicate<Row> use) {
        int[] signs = new int[columns.length];
        for (int j = 0; j < columns.length; j++) {
            signs[j] = Features.SIGNS.get(Features.NAMES.get(columns[j]));
        }
        List<Row> chosen = rows.stream().filter(use).toList();
        int[] perFile = new int[fileCount];
        chosen.forEach(r -> perFile[r.file()]++);
        int used = (int) java.util.Arrays.stream(perFile).filter(c -> c > 0).count();
        double[][] x = new double[chosen.size()][];
        boolean[] y = new boolean[chosen.size()];
        double[] w = new double[chosen.size()];
        for (int i = 0; i < chosen.size(); i++) {
            Row r = chosen.get(i);
            x[i] = select(r.features(), columns);
            y[i] = r.positive();
            w[i] = (double) chosen.size() / (used * perFile[r.file()]);
        }
        return LogisticRegression.fit(x, y, w, signs, L2);
    }

    private static boolean inMix(int file, boolean[] trained) {
        return file >= trained.length || trained[file];
    }

    /** The lowest threshold at which precision is at least the target, or 1 if none. */
    static double lowestThresholdFor(List<ScoredPair> scored, double target) {
        List<ScoredPair> sorted = new ArrayList<>(scored);
        sorted.sort((a, b) -> Double.compare(b.score(), a.score()));
        long tp = 0;
        long fp = 0;
        double best = 1;
        for (int i = 0; i < sorted.size(); i++) {
            ScoredPair s = sorted.get(i);
            if (s.positive()) {
                tp++;
            } else {
                fp++;
            }
            if (i + 1 < sorted.size() && sorted.get(i + 1).score() == s.score()) {
                continue;
            }
            if ((double) tp / (tp + fp) >= target) {
                best = s.score();
            }
        }
        return best;
    }

    private static Report heldOutReport(Dataset set, int file, List<Row> rows, String matcher, double threshold,
            java.util.function.ToDoubleFunction<Row> score) {
        List<ScoredPair> scored = new ArrayList<>();
        for (Row r : rows) {
            if (r.file() == file && r.heldOut()) {
                scored.add(new ScoredPair(score.applyAsDouble(r), r.positive()));
            }
        }
        return PairEvaluation.report(set.name() + " (held out)", matcher, threshold, scored, set.positivesOnly(), null);
    }

    private static String summary(Report r) {
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        o.remove("curve");
        o.remove("dataset");
        o.remove("matcher");
        return o.toString();
    }

    private static double[] select(double[] all, int[] columns) {
        double[] x = new double[columns.length];
        for (int j = 0; j < columns.length; j++) {
            x[j] = all[columns[j]];
        }
        return x;
    }

    static List<Path> dataFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".tsv") || n.endsWith(".csv") || n.endsWith(".json");
            }).sorted().toList();
        }
    }

    private static JsonObject provenance(Path data, List<Path> files, List<Dataset> sets, List<Row> rows,
            boolean[] trained) throws Exception {
        JsonObject o = new JsonObject();
        o.addProperty("directory", data.toString());
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        JsonArray list = new JsonArray();
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = Files.readAllBytes(files.get(f));
            String name = files.get(f).getFileName().toString();
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(bytes);
            JsonObject e = new JsonObject();
            e.addProperty("name", name);
            e.addProperty("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            final int file = f;
            e.addProperty("pairs", sets.get(f).pairs().size());
            e.addProperty("trainedOn", trained[f]);
            e.addProperty("train", rows.stream().filter(r -> r.file() == file && !r.heldOut()).count());
            e.addProperty("heldOut", rows.stream().filter(r -> r.file() == file && r.heldOut()).count());
            list.add(e);
        }
        o.addProperty("sha256", HexFormat.of().formatHex(all.digest()));
        o.add("files", list);
        JsonObject split = new JsonObject();
        split.addProperty("heldOutShare", Split.HELD_OUT);
        split.addProperty("seed", Split.SEED);
        split.addProperty("stratified", true);
        split.addProperty("folds", Split.FOLDS);
        split.addProperty("fileWeighting", "each file weighs the same in the fit");
        o.add("split", split);
        return o;
    }

    private static JsonArray numbers(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(round(v));
        }
        return a;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
