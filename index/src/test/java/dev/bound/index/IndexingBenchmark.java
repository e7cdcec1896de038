package dev.bound.index;

import dev.bound.index.journal.AnswerJournal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many fresh answers per second one indexer thread can store, by how many it adds at once
 * ({@code batch}: 1 is one {@link AnswerStore#add} per answer, as Bound's indexer did; larger is
 * one {@link AnswerStore#addAll} per batch, as it does now, up to 256), and what appending an
 * answer to the {@link AnswerJournal} costs the request that stores it. Answers are of realistic
 * size with 384-dimensional vectors, added to a store that grows during the run. Run from the
 * repository root:
 *
 * <pre>
 * mvn -q -pl index test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp index/target/test-classes:index/target/classes:$(cat index/target/test.classpath) \
 *     org.openjdk.jmh.Main IndexingBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseG1GC"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class IndexingBenchmark {
  private static final int ANSWERS = 256;
  private static final String RESPONSE = "{\"choices\":[{\"message\":{\"content\":\""
      + "An answer of a few hundred characters. ".repeat(12) + "\"}}]}";

  @Param({"1", "16", "256"})
  int batch;

  private Path dir;
  private AnswerStore store;
  private AnswerJournal journal;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("bound-indexing-bench");
    store = AnswerStore.open(dir.resolve("index"),
        new StoreOptions("synthetic-384", AnswerStoreBenchmark.DIMENSION, 256L << 20));
    journal = AnswerJournal.open(dir.resolve("journal"), Duration.ofSeconds(1));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    journal.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private Entry entry() {
    int i = next++;
    return new Entry("ent_" + i, "scope " + (i % 50), "question " + i, "Question " + i + "?",
        AnswerStoreBenchmark.vector(i), "m", RESPONSE, 1_700_000_000_000L + i);
  }

  /** Stores 256 answers in batches of {@code batch}; the score is answers per second. */
  @Benchmark
  @OperationsPerInvocation(ANSWERS)
  public void store() {
    List<Entry> pending = new ArrayList<>(batch);
    for (int i = 0; i < ANSWERS; i++) {
      pending.add(entry());
      if (pending.size() == batch) {
        store.addAll(pending);
        pending.clear();
      }
    }
    store.addAll(pending);
  }

  /** Appends one answer to the journal, as each stored answer does on its request's thread. */
  @Benchmark
  public AnswerJournal.Ticket journalAppend() {
    return journal.append(entry());
  }
}
