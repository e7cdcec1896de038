package dev.bound.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The argument errors of 'bound eval', which exit with 2 and one sentence. */
class EvalCommandTest {
  @TempDir
  Path dir;

  private String run(int expectedCode, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, Map.of(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String message = err.toString(StandardCharsets.UTF_8).strip();
    assertEquals(expectedCode, code, message);
    return message;
  }

  @Test
  void stream_missingFile() {
    Path missing = dir.resolve("missing.jsonl");
    assertEquals("bound: the stream file " + missing + " does not exist",
        run(2, "eval", "--stream", missing.toString()));
  }

  @Test
  void stream_badLine() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"q\":\"a\",\"c\":1}\n{\"q\":\"b\"}\n");
    assertEquals("bound: " + f + ": line 2: \"c\" must be a non-empty string or an integer",
        run(2, "eval", "--stream", f.toString(), "--data", dir.resolve("data").toString()));
  }

  @Test
  void eval_needsOneMode() {
    assertEquals("bound: eval takes files of labelled pairs, or --stream FILE, or --make-stream "
        + "SOURCE --out FILE; see 'bound eval --help'", run(2, "eval"));
    assertEquals("bound: --sse applies only with --stream FILE", run(2, "eval", "--sse", "x"));
    assertEquals("bound: --make-stream needs --out FILE", run(2, "eval", "--make-stream", "qqp"));
  }

  @Test
  void makeStream_unknownSource() {
    Path missing = dir.resolve("nope.csv");
    assertEquals("bound: " + missing + " does not exist; --make-stream takes qqp, paraphrases, "
        + "stsb, paws (files of " + dir + ") or a file of labelled pairs",
        run(2, "eval", "--make-stream", missing.toString(), "--out", dir.resolve("s").toString(),
            "--shared-data", dir.toString()));
  }
}
