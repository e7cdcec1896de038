package dev.bound.models;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Embedding cost of the built-in quantized all-MiniLM-L6-v2 and bge-small-en-v1.5 ({@code
 * model}): one prompt at a time on one thread
 * and on two (this machine's cores), as Bound embeds today, and raw batched forward passes of 8,
 * 32 and 64 prompts (time per batch; divide by the batch for the cost per prompt), which is what
 * micro-batching would buy. Batching changes these models' vectors (see {@link BatchDrift}), so
 * Bound does not batch. {@code intraOpThreads} is ONNX Runtime's per-session thread count:
 * {@code default} leaves it to ONNX Runtime (one per core), {@code 1} runs each forward pass on its
 * calling thread, which is what {@link Embedders} configures since these runs. {@code translator}
 * is {@code bound} for Bound's {@link PoolingTranslator} or {@code djl} for DJL's
 * {@code TextEmbeddingTranslatorFactory} with the same settings, as Bound loaded models before.
 * Prompts are the {@code origin} texts of
 * {@code ../shared/data/paraphrase_positives.json} (about 130 characters). Run from the
 * repository root:
 *
 * <pre>
 * mvn -q -pl models test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp models/target/test-classes:models/target/classes:$(cat models/target/test.classpath) \
 *     org.openjdk.jmh.Main EmbeddingBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class EmbeddingBenchmark {
  /** The primary model, or the second model that judges prompts about software and gives the second opinion. */
  @Param({"all-minilm-l6-v2-q", "bge-small-en-v1.5-q"})
  String model;

  @Param({"default", "1"})
  String intraOpThreads;

  @Param({"bound", "djl"})
  String translator;

  private ai.djl.huggingface.tokenizers.HuggingFaceTokenizer tokenizer;

  private ZooModel<String, float[]> zoo;
  private DjlEmbedder embedder;
  private List<String> prompts;
  private final java.util.concurrent.atomic.AtomicInteger next =
      new java.util.concurrent.atomic.AtomicInteger();

  /** One predictor per benchmark thread, for the raw batched passes. */
  @State(Scope.Thread)
  public static class Batch {
    @Param({"8", "32", "64"})
    int batch;

    Predictor<String, float[]> predictor;
    List<String> texts;
    int offset;

    @Setup(Level.Trial)
    public void open(EmbeddingBenchmark b) {
      predictor = b.zoo.newPredictor();
      texts = b.prompts;
    }

    @TearDown(Level.Trial)
    public void close() {
      predictor.close();
    }
  }

  @Setup(Level.Trial)
  public void open() throws Exception {
    Path cache = Files.createTempDirectory("bound-embedding-bench");
    EmbeddingModelSpec spec = EmbeddingModelSpec.builtin(model);
    ModelFiles files = ModelFiles.resolve(spec, cache);
    // "default" leaves the thread count to ONNX Runtime, as Bound did before it set one.
    tokenizer = translator.equals("bound") ? Embedders.tokenizer(spec, files) : null;
    zoo = Embedders.criteria(spec, files, intraOpThreads.equals("default") ? null
        : intraOpThreads, tokenizer).loadModel();
    embedder = new DjlEmbedder(model, zoo, Math.max(1, Runtime.getRuntime()
        .availableProcessors()), spec.maxTokens(), tokenizer);
    prompts = prompts();
  }

  static List<String> prompts() throws Exception {
    Path file = Path.of(System.getProperty("bound.shared.data", "../shared/data"),
        "paraphrase_positives.json");
    List<String> out = new ArrayList<>();
    for (JsonElement p : JsonParser.parseString(Files.readString(file)).getAsJsonArray()) {
      out.add(p.getAsJsonObject().get("origin").getAsString());
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void close() {
    embedder.close();
  }

  private String prompt() {
    return prompts.get(Math.floorMod(next.getAndIncrement(), prompts.size()));
  }

  /** One prompt, one thread: the latency a request sees on an idle Bound. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @Threads(1)
  public float[] embedOne() {
    return embedder.embed(prompt());
  }

  /** One prompt per call from two threads: the most an idle two-core Bound can embed. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public float[] embedOneTwoThreads() {
    return embedder.embed(prompt());
  }

  /** A raw batched forward pass of {@code batch} prompts; time per batch. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Threads(1)
  public List<float[]> batchedPass(Batch b) throws Exception {
    int from = b.offset;
    b.offset = (b.offset + b.batch) % (b.texts.size() - b.batch);
    return b.predictor.batchPredict(b.texts.subList(from, from + b.batch));
  }
}
