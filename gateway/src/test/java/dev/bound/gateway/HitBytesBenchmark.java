package dev.bound.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What writing one hit's body costs: the stored tree copied, given its id and time and written
 * by Jackson, as every hit did before {@link AnswerTemplate}, against the template filled in;
 * for a short answer and one of some 4 KB. Beside them, a tree written by four threads at once
 * through Jackson's bounded buffer pool and through {@link JsonBuffers}. Run from the
 * repository root:
 *
 * <pre>
 * mvn -q -pl gateway -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/test.classpath) \
 *     org.openjdk.jmh.Main HitBytesBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HitBytesBenchmark {
  private static final String ID = "chatcmpl-AbCdEfGhIjKlMnOpQrStUvWx";
  private static final long CREATED = 1_764_770_000L;

  /** Sentences in the answer's content: 8 is about 600 bytes in all, 120 about 4 KB. */
  @Param({"8", "120"})
  int sentences;

  private ObjectNode answer;
  private AnswerTemplate template;
  private final ObjectMapper bounded = new ObjectMapper(JsonFactory.builder()
      .recyclerPool(JsonRecyclerPools.newBoundedPool(256)).build());
  private final ObjectMapper slots = new ObjectMapper(JsonFactory.builder()
      .recyclerPool(new JsonBuffers(256)).build());

  @Setup
  public void setUp() throws Exception {
    answer = (ObjectNode) Json.MAPPER.readTree("{\"id\":\"chatcmpl-upstream\",\"object\":"
        + "\"chat.completion\",\"created\":1764700000,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + "Paris is the capital and largest city of France. ".repeat(sentences)
        + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":"
        + "{\"prompt_tokens\":14,\"completion_tokens\":" + (11 * sentences) + ",\"total_tokens\":"
        + (14 + 11 * sentences) + "},\"system_fingerprint\":\"fp_0123456789\"}");
    template = AnswerTemplate.of(answer);
  }

  @Benchmark
  public byte[] copyAndWrite() {
    ObjectNode copy = answer.deepCopy();
    copy.put("id", ID);
    copy.put("created", CREATED);
    return Json.bytes(copy);
  }

  @Benchmark
  public byte[] fillTemplate() {
    return template.fill(ID, CREATED);
  }

  @Benchmark
  @Threads(4)
  public byte[] writeThroughBoundedPool() throws Exception {
    return bounded.writeValueAsBytes(answer);
  }

  @Benchmark
  @Threads(4)
  public byte[] writeThroughSlots() throws Exception {
    return slots.writeValueAsBytes(answer);
  }
}
