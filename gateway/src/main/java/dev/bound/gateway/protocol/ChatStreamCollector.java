package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a chat-completions or completions stream. An answer is complete only when every choice
 * finished and the stream ended with {@code [DONE]}. The usage chunk Bound asked for on the
 * client's behalf is kept from the client.
 */
final class ChatStreamCollector implements StreamCollector {
  /** More choices than any request may ask for (OpenAiRequest takes n up to 128). */
  private static final int MAX_CHOICES = 128;
  private final Kind kind;
  private final boolean hideUsage;
  private final Map<Integer, Choice> choices = new TreeMap<>();
  private ObjectNode head;
  private JsonNode usage;
  private boolean done;
  private String failure;
  private boolean upstreamError;
  private long collected;

  private static final class Choice {
    String role;
    final StringBuilder content = new StringBuilder();
    final StringBuilder refusal = new StringBuilder();
    boolean hasContent;
    boolean hasRefusal;
    final Map<Integer, ObjectNode> toolCalls = new TreeMap<>();
    final Map<Integer, StringBuilder> arguments = new TreeMap<>();
    /** The log-probabilities of the chunks so far, their lists joined; null while none came. */
    ObjectNode logprobs;
    String finish;
  }

  ChatStreamCollector(Kind kind, boolean hideUsage) {
    this.kind = kind;
    this.hideUsage = hideUsage;
  }

  @Override
  public boolean accept(SseReader.Event event) {
    if ("error".equals(event.name())) {
      upstreamError = true;
      fail("the upstream sent an error event");
    }
    String payload = event.data().strip();
    if (payload.equals("[DONE]")) {
      done = true;
      return true;
    }
    if (payload.isEmpty()) {
      return true;
    }
    JsonNode chunk;
    try {
      chunk = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      fail("a chunk is not JSON");
      return true;
    }
    accept(chunk);
    return !(hideUsage && chunk.path("choices").isEmpty() && chunk.has("usage"));
  }

  /** Takes one {@code data:} payload that is not {@code [DONE]}. */
  void accept(JsonNode chunk) {
    if (!chunk.isObject()) {
      fail("a chunk is not a JSON object");
      return;
    }
    // The OpenAI error shape, alone or beside the chunk's fields, or a typed error event; an
    // "error": null is a chunk saying there is none.
    if (chunk.hasNonNull("error") || chunk.path("type").asText().equals("error")) {
      upstreamError = true;
      fail("the upstream sent an error event");
      return;
    }
    if (done) {
      fail("data after [DONE]");
      return;
    }
    if (failure != null) {
      return; // nothing of it will be stored: collect no more
    }
    if (head == null) {
      head = Json.object();
      for (String f : new String[] {"id", "created", "model", "system_fingerprint"}) {
        if (chunk.hasNonNull(f)) {
          head.set(f, chunk.get(f));
        }
      }
    }
    if (chunk.hasNonNull("usage")) {
      usage = chunk.get("usage");
    }
    for (JsonNode c : chunk.path("choices")) {
      String wrong = malformed(c);
      if (wrong != null) {
        fail(wrong);
        return;
      }
      Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
      if (kind == Kind.CHAT) {
        collected += chatDelta(choice, c.path("delta"));
      } else if (c.hasNonNull("text")) {
        String text = c.get("text").asText();
        choice.content.append(text);
        choice.hasContent = true;
        collected += text.length();
      }
      if (c.path("logprobs").isObject()) {
        collected += logprobs(choice, c.get("logprobs"));
      }
      if (c.hasNonNull("finish_reason")) {
        choice.finish = c.get("finish_reason").asText();
      }
    }
  }

  /**
   * Adds a chunk's log-probabilities to its choice: each list (chat's {@code content} and
   * {@code refusal}, completions' {@code tokens}, {@code token_logprobs}, ...) is continued, as
   * the SDKs assemble them; returns the characters they take, which count toward the answer's
   * size.
   */
  private static long logprobs(Choice choice, JsonNode chunk) {
    if (choice.logprobs == null) {
      choice.logprobs = Json.object();
    }
    chunk.properties().forEach(f -> {
      JsonNode kept = choice.logprobs.get(f.getKey());
      if (f.getValue().isArray() && kept != null && kept.isArray()) {
        ((ArrayNode) kept).addAll((ArrayNode) f.getValue());
      } else if (!f.getValue().isNull() || kept == null) {
        choice.logprobs.set(f.getKey(), f.getValue().deepCopy());
      }
    });
    return chunk.toString().length();
  }

  /**
   * Why a chunk's choice is not one the cache can build an answer from (an index out of range,
   * text that is not text, a delta that is not an object), or null. Such a chunk is still passed
   * on as it came; only what it would build is refused.
   */
  private String malformed(JsonNode c) {
    JsonNode index = c.get("index");
    if (index != null && !(index.isIntegralNumber() && index.asLong() >= 0
        && index.asLong() < MAX_CHOICES)) {
      return "a choice's index is not a small whole number";
    }
    if (kind != Kind.CHAT) {
      return c.hasNonNull("text") && !c.get("text").isTextual() ? "a choice's text is not text"
          : null;
    }
    JsonNode delta = c.get("delta");
    if (delta == null || delta.isNull()) {
      return null;
    }
    if (!delta.isObject()) {
      return "a choice's delta is not an object";
    }
    for (String f : new String[] {"role", "content", "refusal"}) {
      if (delta.hasNonNull(f) && !delta.get(f).isTextual()) {
        return "a delta's " + f + " is not text";
      }
    }
    JsonNode calls = delta.get("tool_calls");
    if (calls != null && !calls.isNull()) {
      if (!calls.isArray()) {
        return "a delta's tool_calls is not an array";
      }
      for (JsonNode call : calls) {
        JsonNode fn = call.path("function");
        if (!call.isObject() || (call.has("index") && !call.get("index").canConvertToInt())
            || (fn.hasNonNull("name") && !fn.get("name").isTextual())
            || (fn.hasNonNull("arguments") && !fn.get("arguments").isTextual())) {
          return "a delta's tool call is malformed";
        }
      }
    }
    return null;
  }

  /** Adds a delta to its choice; returns how many characters of answer it added. */
  private static long chatDelta(Choice choice, JsonNode delta) {
    long added = 0;
    if (delta.hasNonNull("role")) {
      choice.role = delta.get("role").asText();
    }
    if (delta.hasNonNull("content")) {
      String content = delta.get("content").asText();
      choice.content.append(content);
      choice.hasContent = true;
      added += content.length();
    }
    if (delta.hasNonNull("refusal")) {
      String refusal = delta.get("refusal").asText();
      choice.refusal.append(refusal);
      choice.hasRefusal = true;
      added += refusal.length();
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int i = call.path("index").asInt(0);
      ObjectNode acc = choice.toolCalls.computeIfAbsent(i, k -> {
        ObjectNode n = Json.object();
        n.putObject("function");
        return n;
      });
      if (call.hasNonNull("id")) {
        acc.put("id", call.get("id").asText());
      }
      if (call.hasNonNull("type")) {
        acc.put("type", call.get("type").asText());
      }
      JsonNode fn = call.path("function");
      if (fn.hasNonNull("name")) {
        ((ObjectNode) acc.get("function")).put("name", fn.get("name").asText());
      }
      if (fn.hasNonNull("arguments")) {
        String args = fn.get("arguments").asText();
        choice.arguments.computeIfAbsent(i, k -> new StringBuilder()).append(args);
        added += args.length();
      }
    }
    return added;
  }

  @Override
  public long collected() {
    return collected;
  }

  @Override
  public void fail(String why) {
    if (failure == null) {
      failure = why;
    }
  }

  @Override
  public boolean failed() {
    return failure != null;
  }

  @Override
  public boolean upstreamError() {
    return upstreamError;
  }

  @Override
  public boolean ended() {
    return done;
  }

  @Override
  public String incomplete() {
    if (failure != null) {
      return failure;
    }
    if (!done) {
      return "the stream ended before [DONE]";
    }
    if (choices.isEmpty() || head == null) {
      return "the stream had no choices";
    }
    for (Choice c : choices.values()) {
      if (c.finish == null) {
        return "a choice never finished";
      }
    }
    return null;
  }

  /** The answer as a non-streamed response would have carried it. */
  @Override
  public ObjectNode answer() {
    ObjectNode a = Json.object();
    a.set("id", head.get("id"));
    a.put("object", kind.object);
    a.set("created", head.get("created"));
    a.set("model", head.get("model"));
    ArrayNode out = a.putArray("choices");
    for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
      Choice c = e.getValue();
      ObjectNode choice = out.addObject().put("index", e.getKey());
      if (kind == Kind.CHAT) {
        ObjectNode m = choice.putObject("message");
        m.put("role", c.role == null ? "assistant" : c.role);
        if (c.hasContent || c.toolCalls.isEmpty()) {
          m.put("content", c.content.toString());
        } else {
          m.putNull("content");
        }
        if (c.hasRefusal) {
          m.put("refusal", c.refusal.toString());
        }
        if (!c.toolCalls.isEmpty()) {
          ArrayNode calls = m.putArray("tool_calls");
          c.toolCalls.forEach((i, call) -> {
            StringBuilder args = c.arguments.get(i);
            ((ObjectNode) call.get("function")).put("arguments",
                args == null ? "" : args.toString());
            calls.add(call);
          });
        }
      } else {
        choice.put("text", c.content.toString());
      }
      if (c.logprobs == null) {
        choice.putNull("logprobs");
      } else {
        choice.set("logprobs", c.logprobs);
      }
      choice.put("finish_reason", c.finish);
    }
    if (usage != null) {
      a.set("usage", usage);
    }
    if (head.has("system_fingerprint")) {
      a.set("system_fingerprint", head.get("system_fingerprint"));
    }
    return a;
  }
}
