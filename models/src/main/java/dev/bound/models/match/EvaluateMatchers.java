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
 * Compares plain cosine with the shipped verifier variants on the held-out 30 % of every shared
 * data file, through {@link PairEvaluation#evaluate} (the same matcher objects the gateway uses,
 * one pair at a time, timed). A command, not a test; run it like {@link TrainVerifier}:
 *
 * <pre>{@code
 * java -cp models/target/classes:$(cat /tmp/bound-models.cp) dev.bound.models.match.EvaluateMatchers [report.json]
 * }</pre>
 */
public final class EvaluateMatchers {

    static final double COSINE_THRESHOLD = 0.85;
    private static final int WARM_UP = 100;

    private EvaluateMatchers() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getProperty("bound.shared.data", "/work/shared/data"));
        Path models = Path.of(System.getProperty("java.io.tmpdir"), "bound-match-models");
        List<Dataset> heldOut = new ArrayList<>();
        for (Path f : TrainVerifier.dataFiles(data)) {
            Dataset all = PairEvaluation.read(f);
            boolean[] out = Split.heldOut(all.pairs());
            List<LabelledPair> pairs = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                if (out[i]) {
                    pairs.add(all.pairs().get(i));
                }
            }
            heldOut.add(new Dataset(all.name() + " (held out)", pairs, all.positivesOnly()));
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
        if (args.length > 0) {
            Files.writeString(Path.of(args[0]), Report.json(reports) + "\n", StandardCharsets.UTF_8);
            System.out.println("Wrote " + args[0]);
        }
    }
}
