package dev.bound.models;

import dev.bound.models.match.PairEvaluation;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the built-in MiniLM vectors of every distinct question in {@code qqp_train.csv} to a
 * file, for {@code AnswerStoreBenchmark -p vectorFile=...}: the vector search measured on
 * vectors of real questions, which cluster by topic, beside its random vectors, which do not.
 * The questions are shuffled with a fixed seed, so the file's order is not the CSV's. Format:
 * two little-endian 32-bit integers (count, dimension), then count × dimension little-endian
 * 32-bit floats, each row a unit vector. Run from the repository root:
 *
 * <pre>
 * mvn -q -pl models test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp models/target/test-classes:models/target/classes:$(cat models/target/test.classpath) \
 *     dev.bound.models.QuestionVectors ../shared/data/qqp_train.csv /tmp/qqp-minilm.f32
 * </pre>
 *
 * The 109,042 questions took 82 s on two cores.
 */
public final class QuestionVectors {
  private QuestionVectors() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: QuestionVectors QQP_CSV OUT_FILE");
      System.exit(2);
    }
    List<String> questions = questions(Path.of(args[0]));
    Collections.shuffle(questions, new Random(42));
    Path cache = Files.createTempDirectory("bound-question-vectors");
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    long t0 = System.nanoTime();
    float[][] vectors = new float[questions.size()][];
    try (Embedder embedder = Embedders.open(EmbeddingModelSpec.builtin("all-minilm-l6-v2-q"),
        cache)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          for (int i = first; i < vectors.length; i += threads) {
            vectors[i] = embedder.embed(questions.get(i));
          }
        }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
      pool.shutdown();
    }
    write(Path.of(args[1]), vectors);
    System.out.printf("%d questions embedded in %.1f s into %s%n", vectors.length,
        (System.nanoTime() - t0) / 1e9, args[1]);
  }

  private static List<String> questions(Path csv) throws IOException {
    String text = Files.readString(csv, StandardCharsets.UTF_8);
    Set<String> distinct = new LinkedHashSet<>();
    for (PairEvaluation.LabelledPair p : PairEvaluation.parseLabelledCsv(
        csv.getFileName().toString(), text).pairs()) {
      distinct.add(p.first());
      distinct.add(p.second());
    }
    return new ArrayList<>(distinct);
  }

  private static void write(Path file, float[][] vectors) throws IOException {
    int dim = vectors[0].length;
    try (OutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      ByteBuffer row = ByteBuffer.allocate(Math.max(8, dim * Float.BYTES))
          .order(ByteOrder.LITTLE_ENDIAN);
      row.putInt(vectors.length).putInt(dim);
      out.write(row.array(), 0, 8);
      for (float[] v : vectors) {
        row.clear();
        row.asFloatBuffer().put(v);
        out.write(row.array(), 0, dim * Float.BYTES);
      }
    }
  }
}
