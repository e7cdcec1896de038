package dev.bound.gateway.eval;

import dev.bound.gateway.eval.QuestionStream.Question;
import dev.bound.models.match.PairEvaluation;
import dev.bound.models.match.PairEvaluation.LabelledPair;
import dev.bound.models.match.QuestionClusters;
import dev.bound.models.match.QuestionClusters.Component;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds a question stream from labelled pairs ({@code bound eval --make-stream}). Questions are
 * grouped by {@link QuestionClusters}: a cluster is joined by positive pairs, a component by any
 * pair. Whole components are taken, so a cluster arrives with its look-alikes and they compete;
 * then all their questions are shuffled into one stream.
 */
public final class StreamBuilder {
  /**
   * Share of the stream's questions taken from components without a positive pair (look-alikes
   * only): there, every hit is wrong, with no right answer to hide behind.
   */
  static final double LOOKALIKE_SHARE = 0.2;

  /** The files of ../shared/data that a source name stands for. */
  static final Map<String, String> SOURCES = Map.of("qqp", "qqp_train.csv",
      "paraphrases", "paraphrase_positives.json", "stsb", "stsb_en.csv",
      "paws", "paws_wiki_dev.tsv");

  private StreamBuilder() {}

  /**
   * Picks components of {@code part} (all parts when null) in a seeded random order, positive ones
   * and look-alike-only ones interleaved so that the latter make up {@link #LOOKALIKE_SHARE} of
   * the questions, until {@code limit} questions (a component that would overshoot is skipped) or
   * the positive components run out; then shuffles their questions.
   */
  static List<Question> build(List<LabelledPair> pairs, QuestionClusters.Part part, int limit,
      long seed) {
    QuestionClusters clusters = QuestionClusters.of(pairs);
    List<Component> pool = part == null ? clusters.components() : clusters.components(part);
    Map<Component, Integer> groupOf = new IdentityHashMap<>();
    pool.forEach(c -> groupOf.put(c, groupOf.size()));
    Random rnd = new Random(seed);
    List<Component> positive = new ArrayList<>();
    List<Component> lookalike = new ArrayList<>();
    for (Component c : pool) {
      (c.pairs().stream().anyMatch(LabelledPair::positive) ? positive : lookalike).add(c);
    }
    Collections.shuffle(positive, rnd);
    Collections.shuffle(lookalike, rnd);
    Deque<Component> pos = new ArrayDeque<>(positive);
    Deque<Component> other = new ArrayDeque<>(lookalike);
    List<Question> out = new ArrayList<>();
    int lookalikeQuestions = 0;
    while (out.size() < limit) {
      boolean wantOther = !other.isEmpty() && lookalikeQuestions < LOOKALIKE_SHARE * out.size();
      Deque<Component> from = wantOther ? other : pos;
      Component c = from.poll();
      if (c == null) {
        break;
      }
      if (out.size() + c.questions().size() > limit) {
        continue;
      }
      // A component's questions are those its labelled pairs compared: the stream's group.
      String group = Integer.toString(groupOf.get(c));
      for (QuestionClusters.Question q : c.questions()) {
        out.add(new Question(q.text(), Integer.toString(q.cluster()), group));
      }
      if (wantOther) {
        lookalikeQuestions += c.questions().size();
      }
    }
    Collections.shuffle(out, rnd);
    return out;
  }

  /**
   * {@code bound eval --make-stream}: reads {@code source} (a name from {@link #SOURCES} in
   * {@code sharedData}, or a file of pairs), builds a stream and writes it; returns the exit code.
   *
   * @param part "train", "calibration", "test" or "all"; null for the default (test for qqp, all
   *     for the rest)
   */
  public static int run(String source, Path sharedData, String part, int limit, long seed,
      Path outFile, PrintStream out, PrintStream err) {
    Path file = SOURCES.containsKey(source) ? sharedData.resolve(SOURCES.get(source))
        : Path.of(source);
    if (!Files.isRegularFile(file)) {
      err.println("bound: " + file + " does not exist; --make-stream takes qqp, paraphrases, "
          + "stsb, paws (files of " + sharedData + ") or a file of labelled pairs");
      return 2;
    }
    String p = part != null ? part : source.equals("qqp") ? "test" : "all";
    QuestionClusters.Part chosen;
    try {
      chosen = p.equals("all") ? null : QuestionClusters.Part.valueOf(p.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("bound: --part must be train, calibration, test or all, not " + p);
      return 2;
    }
    if (limit < 1) {
      err.println("bound: --limit must be at least 1");
      return 2;
    }
    List<Question> stream;
    try {
      stream = build(PairEvaluation.read(file).pairs(), chosen, limit, seed);
    } catch (IOException | RuntimeException e) {
      err.println("bound: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    if (stream.isEmpty()) {
      err.println("bound: " + file + " has no components with a positive pair in part " + p);
      return 2;
    }
    try {
      QuestionStream.write(stream, outFile);
    } catch (IOException e) {
      err.println("bound: cannot write " + outFile + ": " + e.getMessage());
      return 1;
    }
    long clusters = stream.stream().map(Question::cluster).distinct().count();
    // Every question but the first of its cluster has an earlier one to be answered from.
    out.printf(Locale.ROOT, "Wrote %s: %d questions in %d clusters, %d with an earlier question "
        + "of their cluster (part %s of %s, seed %d)%n", outFile, stream.size(), clusters,
        stream.size() - clusters, p, file.getFileName(), seed);
    return 0;
  }

  /** ../shared/data beside the repository the jar was built in, or -Dbound.shared.data. */
  public static Path defaultSharedData() {
    String shared = System.getProperty("bound.shared.data");
    if (shared != null) {
      return Path.of(shared);
    }
    try {
      Path jar = Path.of(StreamBuilder.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      // gateway/target/bound-gateway.jar or gateway/target/classes -> the repository's parent
      return jar.getParent().getParent().getParent().resolveSibling("shared").resolve("data");
    } catch (Exception e) {
      return Path.of("../shared/data");
    }
  }
}
