package dev.bound.gateway.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bound.gateway.eval.QuestionStream.Question;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestionStreamTest {
  @TempDir
  Path dir;

  private Path file(String text) throws Exception {
    Path f = dir.resolve("s.jsonl");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void read_stringAndIntegerClustersBlankLinesAndRepeats() throws Exception {
    List<Question> q = QuestionStream.read(file("{\"q\":\"How?\",\"c\":7,\"note\":1}\n\n"
        + "{\"q\":\"Why?\",\"c\":\"x-1\"}\n{\"q\":\"How?\",\"c\":\"7\"}\n"));
    assertEquals(List.of(new Question("How?", "7"), new Question("Why?", "x-1"),
        new Question("How?", "7")), q);
  }

  @Test
  void write_thenRead_roundTrips() throws Exception {
    List<Question> q = List.of(new Question("Is \"this\" it?\n", "12"),
        new Question("Other", "a b"));
    Path f = dir.resolve("w.jsonl");
    QuestionStream.write(q, f);
    assertEquals("{\"q\":\"Is \\\"this\\\" it?\\n\",\"c\":12}", Files.readAllLines(f).get(0));
    assertEquals(q, QuestionStream.read(f));
  }

  @Test
  void readAndWrite_optionalGroup() throws Exception {
    List<Question> q = QuestionStream.read(file("{\"q\":\"How?\",\"c\":7,\"g\":3}\n"
        + "{\"q\":\"Why?\",\"c\":8,\"g\":\"x\"}\n{\"q\":\"When?\",\"c\":9}\n"));
    assertEquals(List.of(new Question("How?", "7", "3"), new Question("Why?", "8", "x"),
        new Question("When?", "9", null)), q);
    Path f = dir.resolve("g.jsonl");
    QuestionStream.write(q, f);
    assertEquals(List.of("{\"q\":\"How?\",\"c\":7,\"g\":3}", "{\"q\":\"Why?\",\"c\":8,\"g\":\"x\"}",
        "{\"q\":\"When?\",\"c\":9}"), Files.readAllLines(f));
    assertEquals("line 1: \"g\", when given, must be a non-empty string or an integer",
        message("{\"q\":\"a\",\"c\":1,\"g\":[]}"));
  }

  @Test
  void read_badJson_namesTheLine() throws Exception {
    Path f = file("{\"q\":\"a\",\"c\":1}\n{\"q\":\"b\",c:2}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QuestionStream.read(f));
    assertEquals("line 2: not valid JSON (Unexpected character ('c' (code 99)): was expecting "
        + "double-quote to start field name)", e.getMessage());
  }

  @Test
  void read_missingOrWrongFields_namesTheLine() throws Exception {
    assertEquals("line 1: \"q\" must be a non-empty string", message("{\"c\":1}"));
    assertEquals("line 1: \"c\" must be a non-empty string or an integer",
        message("{\"q\":\"a\",\"c\":1.5}"));
    assertEquals("line 1: expected a JSON object {\"q\": question, \"c\": cluster}",
        message("[1]"));
    assertEquals("the file holds no questions", message("\n"));
  }

  @Test
  void read_questionInTwoClusters_isRefused() throws Exception {
    assertEquals("line 3: the question was given cluster \"1\" on line 1 and \"2\" here; a "
        + "question belongs to one cluster",
        message("{\"q\":\"a\",\"c\":1}\n{\"q\":\"b\",\"c\":1}\n{\"q\":\"a\",\"c\":2}"));
  }

  private String message(String text) throws Exception {
    Path f = file(text);
    return assertThrows(IllegalArgumentException.class, () -> QuestionStream.read(f))
        .getMessage();
  }
}
