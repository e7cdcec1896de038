package dev.bound.models.match;

import dev.bound.models.Embedder;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;
import dev.bound.models.match.PairEvaluation.Dataset;
import dev.bound.models.match.PairEvaluation.LabelledPair;
import dev.bound.models.match.PairEvaluation.Report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares plain cosine with the shipped verifier variants on the held-out part of every source
 * {@link TrainVerifier} reports on, through {@link PairEvaluation#evaluate} (the same matcher objects the gateway uses,
 * one pair at a time, timed). A command, not a test; run it like {@link TrainVerifier}:
 *
 * <pre>{@code
 * java -cp models/target/classes:$(cat /tmp/bound-models.cp) dev.bound.models.match.EvaluateMatchers [report.json]
 * java -cp ... dev.bound.models.match.EvaluateMatchers --latency      # only the per-lookup latency of short prompts
 * }</pre>
 */
public final class EvaluateMatchers {

    static final double COSINE_THRESHOLD = 0.85;
    private static final int WARM_UP = 100;

    private EvaluateMatchers() {
    }

    /**
     * Median milliseconds of one lookup on short prompts, one thread: the query's primary embedding,
     * {@code prepare} of the query, {@code prepare} of the candidate (skipped when cached), {@code score}.
     */
    static void latency(Embedder primary, List<PairMatcher> matchers) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            pairs.add(new String[] {"How do I reset the password for account number " + i + "?",
                "How can I reset my password for account " + i + "?"});
        }
        System.out.printf(Locale.ROOT, "Latency, short prompts, %d processors, load average %.1f:%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (PairMatcher m : matchers) {
            int rounds = 400;
            double[] uncached = new double[rounds];
            double[] cached = new double[rounds];
            double[] added = new double[rounds];
            for (int r = -100; r < rounds; r++) {
                String[] p = pairs.get(Math.floorMod(r, pairs.size()));
                float[] candidateVector = primary.embed(p[1]);
                long t0 = System.nanoTime();
                float[] q = primary.embed(p[0]);
                long t1 = System.nanoTime();
                Prepared query = m.prepare(p[0], q);
                long t2 = System.nanoTime();
                Prepared candidate = m.prepare(p[1], candidateVector);
                long t3 = System.nanoTime();
                m.score(query, candidate, PairEvaluation.cosine(q, candidateVector));
                long t4 = System.nanoTime();
                if (r >= 0) {
                    uncached[r] = (t4 - t0) / 1e6;
                    cached[r] = (t4 - t0 - (t3 - t2)) / 1e6;
                    added[r] = (t4 - t1 - (t3 - t2)) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "  %-18s p50 per lookup %.2f ms (candidate prepared before: %.2f ms; matcher's own share %.2f ms)%n",
                    m.name(), median(uncached), median(cached), median(added));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("bound.shared.data", "/work/shared/data"));
        Path models = Path.of(System.getProperty("java.io.tmpdir"), "bound-match-models");
        if (args.length > 0 && args[0].equals("--latency")) {
            try (Embedder primary = Embedders.open(EmbeddingModelSpec.builtin(TrainVerifier.PRIMARY), models);
                    Embedder second = Embedders.open(EmbeddingModelSpec.builtin(TrainVerifier.SECOND), models)) {
                latency(primary, List.of(PairMatcher.cosine(COSINE_THRESHOLD),
                        PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), null),
                        PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), second)));
            }
            return;
        }
        List<Dataset> heldOut = new ArrayList<>();
        QuestionClusters qqp = QuestionClusters.read(data.resolve(TrainVerifier.QQP));
        for (TrainVerifier.Source s : TrainVerifier.sources(TrainVerifier.dataFiles(data),
                TrainVerifier.devFiles(TrainVerifier.devDir()), TrainVerifier.promptFiles(TrainVerifier.devDir()), qqp)) {
            heldOut.add(new Dataset(s.name() + " (held out)", s.heldOut(), s.positivesOnly()));
        }
        List<Report> reports = new ArrayList<>();
        try (Embedder primary = Embedders.open(EmbeddingModelSpec.builtin(TrainVerifier.PRIMARY), models);
                Embedder second = Embedders.open(EmbeddingModelSpec.builtin(TrainVerifier.SECOND), models);
                LanguageGuard guard = LanguageGuard.open(EmbeddingModelSpec.builtin(TrainVerifier.PRIMARY), models)) {
            System.out.printf(Locale.ROOT, "Language guard, share of texts allowed a semantic hit:%n");
            for (Dataset d : heldOut) {
                long allowed = 0;
                long texts = 0;
                for (LabelledPair p : d.pairs()) {
                    allowed += (guard.semanticAllowed(p.first()) ? 1 : 0) + (guard.semanticAllowed(p.second()) ? 1 : 0);
                    texts += 2;
                }
                System.out.printf(Locale.ROOT, "  %-32s %.3f of %d%n", d.name(), (double) allowed / texts, texts);
            }
            PairMatcher verifiedLexical = PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED_LEXICAL), null);
            List<PairMatcher> matchers = List.of(
                    PairMatcher.cosine(COSINE_THRESHOLD),
                    verifiedLexical,
                    PairMatcher.verified(Verifier.builtin(Verifier.VERIFIED), second),
                    new GuardedMatcher(verifiedLexical, guard));
            for (PairMatcher m : matchers) {
                Dataset warm = heldOut.get(0);
                PairEvaluation.evaluate(new Dataset("warm-up", warm.pairs().subList(0, Math.min(WARM_UP,
                        warm.pairs().size())), warm.positivesOnly()), m, primary);
            }
            for (Dataset d : heldOut) {
                for (PairMatcher m : matchers) {
                    Report r = PairEvaluation.evaluate(d, m, primary);
                    System.out.println(r.row());
                    reports.add(r);
                }
            }
        }
        System.out.printf("%n%s", Report.table(reports));
        System.out.println("(ms/pair: embed the query with the primary model, prepare query and candidate, score; "
                + "+ms hit: what the matcher adds when the candidate was prepared before)");
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), Report.json(reports) + "\n", StandardCharsets.UTF_8);
            System.out.println("Wrote " + args[0]);
        }
    }
}
