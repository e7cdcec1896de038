package dev.bound.models;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How much a batched forward pass moves a prompt's vector away from the vector it gets alone, for
 * the built-in quantized models, over the 999 pairs of {@code paraphrase_positives.json}: the
 * cosine between the two vectors of each text, and how many paraphrase pairs would change their
 * cache decision at the default threshold (0.85) if the paraphrase were embedded in a batch. A
 * command-line tool, not a test; from the repository root, after building the classpath as
 * {@link EmbeddingBenchmark} says:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp models/target/test-classes:models/target/classes:$(cat models/target/test.classpath) \
 *     dev.bound.models.BatchDrift
 * </pre>
 */
public final class BatchDrift {
  private static final double THRESHOLD = 0.85;

  private BatchDrift() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    Path file = Path.of(System.getProperty("bound.shared.data", "../shared/data"),
        "paraphrase_positives.json");
    List<String> origins = new ArrayList<>();
    List<String> similars = new ArrayList<>();
    for (JsonElement p : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
      origins.add(p.getAsJsonObject().get("origin").getAsString());
      similars.add(p.getAsJsonObject().get("similar").getAsString());
    }
    for (String name : args.length > 0 ? List.of(args) : EmbeddingModelSpec.builtinNames()) {
      EmbeddingModelSpec spec = EmbeddingModelSpec.builtin(name);
      Path cache = Files.createTempDirectory("bound-drift");
      ModelFiles files = ModelFiles.resolve(spec, cache);
      try (HuggingFaceTokenizer tokenizer = Embedders.tokenizer(spec, files);
          ZooModel<String, float[]> model = Embedders.load(spec, files, tokenizer);
          Predictor<String, float[]> p = model.newPredictor()) {
        List<float[]> aloneO = new ArrayList<>();
        List<float[]> aloneS = new ArrayList<>();
        for (int i = 0; i < origins.size(); i++) {
          aloneO.add(p.predict(origins.get(i)));
          aloneS.add(p.predict(similars.get(i)));
        }
        for (int batch : new int[] {2, 8, 32, 64}) {
          // Concurrent requests arrive in no particular order: batch the paraphrases in file order.
          List<float[]> batched = new ArrayList<>();
          for (int from = 0; from < similars.size(); from += batch) {
            batched.addAll(p.batchPredict(similars.subList(from, Math.min(similars.size(),
                from + batch))));
          }
          double[] drift = new double[similars.size()];
          int flips = 0;
          int hitsAlone = 0;
          double maxDelta = 0;
          for (int i = 0; i < similars.size(); i++) {
            drift[i] = cos(aloneS.get(i), batched.get(i));
            double a = cos(aloneO.get(i), aloneS.get(i));
            double b = cos(aloneO.get(i), batched.get(i));
            maxDelta = Math.max(maxDelta, Math.abs(a - b));
            hitsAlone += a >= THRESHOLD ? 1 : 0;
            flips += (a >= THRESHOLD) != (b >= THRESHOLD) ? 1 : 0;
          }
          double[] sorted = drift.clone();
          Arrays.sort(sorted);
          System.out.printf(Locale.ROOT, "%s batch %2d: cosine(batched, alone) min %.4f p1 %.4f "
              + "median %.4f mean %.4f; pair similarity moved by up to %.4f; decisions at %.2f "
              + "changed for %d of %d pairs (%d hit alone)%n", name, batch, sorted[0],
              sorted[sorted.length / 100], sorted[sorted.length / 2],
              Arrays.stream(drift).average().orElse(Double.NaN), maxDelta, THRESHOLD, flips,
              similars.size(), hitsAlone);
        }
      }
    }
  }

  static double cos(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
