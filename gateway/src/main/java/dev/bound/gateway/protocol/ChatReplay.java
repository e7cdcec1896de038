package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a stored answer back as a server-sent event stream of the shape the OpenAI API sends: a
 * role chunk, content chunks cut at word boundaries, the finish chunk, the usage chunk when it
 * was asked for, then {@code [DONE]}.
 */
final class ChatReplay {
  /** A word with the white space before it, or a run of white space at the end. */
  private static final Pattern PIECE = Pattern.compile("\\s*\\S+|\\s+");

  private ChatReplay() {}

  /**
   * Writes the stream.
   *
   * @param answer the answer with its fresh id and created already set
   * @param tokensPerSecond pieces per second, or 0 to send them as fast as the client reads
   */
  static void write(OutputStream out, Kind kind, JsonNode answer, boolean includeUsage,
      int tokensPerSecond) throws IOException {
    long pause = tokensPerSecond == 0 ? 0 : 1_000_000_000L / tokensPerSecond;
    for (JsonNode choice : answer.path("choices")) {
      int index = choice.path("index").asInt(0);
      // The stored log-probabilities come whole with the first piece of text (or with the
      // finish, when there is none): the SDKs join the lists of every chunk.
      JsonNode logprobs = choice.path("logprobs").isObject() ? choice.get("logprobs") : null;
      if (kind == Kind.CHAT) {
        JsonNode message = choice.path("message");
        ObjectNode role = Json.object().put("role", message.path("role").asText("assistant"));
        role.put("content", "");
        send(out, chunk(kind, answer, index, role, null, null));
        for (String piece : pieces(message.path("content").asText(""))) {
          send(out, chunk(kind, answer, index, Json.object().put("content", piece), null,
              logprobs));
          logprobs = null;
          sleep(pause);
        }
        if (message.hasNonNull("refusal")) {
          send(out, chunk(kind, answer, index,
              Json.object().put("refusal", message.get("refusal").asText()), null, logprobs));
          logprobs = null;
        }
        int i = 0;
        for (JsonNode call : message.path("tool_calls")) {
          ObjectNode c = ((ObjectNode) call.deepCopy()).put("index", i++);
          ObjectNode delta = Json.object();
          delta.putArray("tool_calls").add(c);
          send(out, chunk(kind, answer, index, delta, null, null));
        }
        send(out, chunk(kind, answer, index, Json.object(),
            choice.path("finish_reason").asText("stop"), logprobs));
      } else {
        for (String piece : pieces(choice.path("text").asText(""))) {
          send(out, chunk(kind, answer, index, Json.object().put("content", piece), null,
              logprobs));
          logprobs = null;
          sleep(pause);
        }
        send(out, chunk(kind, answer, index, Json.object().put("content", ""),
            choice.path("finish_reason").asText("stop"), logprobs));
      }
    }
    if (includeUsage && answer.hasNonNull("usage")) {
      ObjectNode last = head(kind, answer);
      last.putArray("choices");
      last.set("usage", answer.get("usage"));
      send(out, last);
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PIECE.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static ObjectNode head(Kind kind, JsonNode answer) {
    ObjectNode c = Json.object();
    c.set("id", answer.get("id"));
    c.put("object", (kind == Kind.CHAT ? "chat.completion.chunk" : "text_completion"));
    c.set("created", answer.get("created"));
    c.set("model", answer.get("model"));
    if (answer.hasNonNull("system_fingerprint")) {
      c.set("system_fingerprint", answer.get("system_fingerprint"));
    }
    return c;
  }

  private static ObjectNode chunk(Kind kind, JsonNode answer, int index, ObjectNode delta,
      String finish, JsonNode logprobs) {
    ObjectNode c = head(kind, answer);
    ObjectNode choice = c.putArray("choices").addObject().put("index", index);
    if (kind == Kind.CHAT) {
      choice.set("delta", delta);
    } else {
      choice.put("text", delta.path("content").asText(""));
    }
    if (logprobs == null) {
      choice.putNull("logprobs");
    } else {
      choice.set("logprobs", logprobs);
    }
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return c;
  }

  static void send(OutputStream out, JsonNode event) throws IOException {
    out.write(("data: " + Json.text(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static void sleep(long nanos) throws IOException {
    if (nanos > 0) {
      try {
        Thread.sleep(Duration.ofNanos(nanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
  }
}
