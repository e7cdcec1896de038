package dev.bound.gateway.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A labelled question stream: JSON lines {@code {"q": question, "c": cluster}}, in the order they
 * are asked. Questions of one cluster share one answer; the cluster id is a string or an integer
 * (the integer 7 and the string "7" name the same cluster). An optional {@code "g"} (string or
 * integer) names the question's group: the questions that some labelled pair compared, directly
 * or through others (for Quora, the component). It lets a wrong hit be told apart as one that
 * contradicts a label (same group) or one between questions no label ever compared. Blank lines
 * are skipped and other fields are ignored. A question may come again (an exact repeat), but
 * always with the same cluster.
 */
public final class QuestionStream {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

  private QuestionStream() {}

  /**
   * One question of a stream, the cluster whose answer fits it, and its group (null when the
   * stream names none).
   */
  public record Question(String text, String cluster, String group) {
    public Question {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(cluster, "cluster");
    }

    public Question(String text, String cluster) {
      this(text, cluster, null);
    }
  }

  /**
   * Reads a stream.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the line, if a line is not a question of the format
   */
  public static List<Question> read(Path file) throws IOException {
    List<Question> out = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    Map<String, String> clusterOf = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        Question q = parse(line, n);
        String earlier = clusterOf.putIfAbsent(q.text(), q.cluster());
        if (earlier != null && !earlier.equals(q.cluster())) {
          throw new IllegalArgumentException("line " + n + ": the question was given cluster \""
              + earlier + "\" on line " + firstLine.get(q.text()) + " and \"" + q.cluster()
              + "\" here; a question belongs to one cluster");
        }
        firstLine.putIfAbsent(q.text(), n);
        out.add(q);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the file holds no questions");
    }
    return out;
  }

  private static Question parse(String line, int n) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("line " + n + ": not valid JSON ("
          + e.getOriginalMessage() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("line " + n + ": expected a JSON object "
          + "{\"q\": question, \"c\": cluster}");
    }
    JsonNode q = node.get("q");
    if (q == null || !q.isTextual() || q.asText().isBlank()) {
      throw new IllegalArgumentException("line " + n + ": \"q\" must be a non-empty string");
    }
    JsonNode c = node.get("c");
    if (c == null || !(c.isTextual() || c.isIntegralNumber()) || c.asText().isEmpty()) {
      throw new IllegalArgumentException("line " + n + ": \"c\" must be a non-empty string or "
          + "an integer");
    }
    JsonNode g = node.get("g");
    if (g != null && !g.isNull() && !((g.isTextual() || g.isIntegralNumber())
        && !g.asText().isEmpty())) {
      throw new IllegalArgumentException("line " + n + ": \"g\", when given, must be a "
          + "non-empty string or an integer");
    }
    return new Question(q.asText(), c.asText(), g == null || g.isNull() ? null : g.asText());
  }

  private static void id(ObjectNode o, String key, String id) {
    if (INTEGER.matcher(id).matches()) {
      o.put(key, Long.parseLong(id));
    } else {
      o.put(key, id);
    }
  }

  /** Writes a stream, one question a line; a cluster id that is an integer is written as one. */
  public static void write(List<Question> questions, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Question q : questions) {
        ObjectNode o = JSON.createObjectNode().put("q", q.text());
        id(o, "c", q.cluster());
        if (q.group() != null) {
          id(o, "g", q.group());
        }
        w.write(o.toString());
        w.write('\n');
      }
    }
  }
}
