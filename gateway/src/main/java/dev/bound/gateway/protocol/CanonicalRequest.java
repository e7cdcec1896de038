package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.util.Set;

/**
 * A request as the cache sees it, whatever API it came through.
 *
 * @param kind which stored answers may answer it at all
 * @param model the model asked for
 * @param temperature the sampling temperature, or null when the request leaves it to the API
 * @param n how many different answers are asked for
 * @param stream whether the client wants an event stream
 * @param queryText the text matched against stored prompts; null when there is none
 * @param noQuery why there is no query text, when there is none
 * @param bypass why the request depends on something the cache cannot see, or null
 * @param maxTokens the most tokens the answer may have, or null when the request sets no limit;
 *     not part of the scope: a finished answer fits every request whose limit it is within
 * @param params every answer-shaping parameter, by its chat-completions name
 * @param context the rest of the prompt, which must be equal: for chat, the earlier messages and
 *     the last one without its text
 * @param nonTextParts whether the last message carries images or files
 * @param earlierTurns whether there are user or assistant turns before the last message
 * @param user the end user the client names ({@code user}, Messages' {@code metadata.user_id}),
 *     or null
 */
public record CanonicalRequest(Kind kind, String model, Double temperature, int n,
    boolean stream, String queryText, String noQuery, String bypass, Long maxTokens,
    ObjectNode params,
    JsonNode context, boolean nonTextParts, boolean earlierTurns, String user) {

  /**
   * Parameters that do not change which answer is right. Sampling settings are left out because
   * the policy only lets near-greedy requests in; {@code user}, {@code metadata}, {@code store},
   * {@code service_tier} and the prompt-cache and safety identifiers are bookkeeping; streaming
   * changes the framing, not the answer. The token limit is checked against each stored answer
   * instead ({@link #maxTokens}).
   */
  public static final Set<String> NOT_ANSWER_SHAPING = Set.of("messages", "prompt", "stream",
      "stream_options", "temperature", "top_p", "top_k", "n", "user", "metadata", "store",
      "service_tier", "prompt_cache_key", "safety_identifier", "max_tokens",
      "max_completion_tokens");

  /**
   * Prefix under which another API's request keeps a top-level field it does not define whose
   * chat name {@link #NOT_ANSWER_SHAPING} leaves out, so that the field stays in the scope, as an
   * unknown field of a chat request does, instead of being dropped or read as chat reads it.
   */
  private static final String FOREIGN_PARAM = "foreign:";

  /**
   * Sets a top-level field of another API's request on the chat request it translates to.
   *
   * @param own the fields of {@link #NOT_ANSWER_SHAPING} that the other API defines and means
   *     as chat does
   */
  static void carry(ObjectNode chat, String name, JsonNode value, Set<String> own) {
    boolean foreign = NOT_ANSWER_SHAPING.contains(name) && !own.contains(name);
    chat.set(foreign ? FOREIGN_PARAM + name : name, value);
  }

  /**
   * Prefix of a parameter that holds a request header which shapes the answer ({@link
   * Protocol#answerShapingHeaders}), so that the scope tells two requests apart by it.
   */
  public static final String HEADER_PARAM = "header:";

  /** What a chat request without a query text is told. */
  static final String NO_USER_TEXT = "the last message is not a user message with text";

  /**
   * The canonical form of a chat-completions body, or of another API's request translated into
   * one.
   */
  static CanonicalRequest ofChat(ObjectNode chat, boolean stream, String bypass) {
    ArrayNode messages = (ArrayNode) chat.get("messages");
    String query = lastUserText(messages);
    JsonNode context = chatContext(messages);
    return new CanonicalRequest(Kind.CHAT, chat.get("model").asText(), temperature(chat),
        chat.hasNonNull("n") ? chat.get("n").asInt() : 1, stream, query,
        query == null ? NO_USER_TEXT : null, bypass, maxTokens(chat), params(chat), context,
        !context.path("last").path("content").isEmpty(), earlierTurns(messages), user(chat));
  }

  /** The canonical form of a completions body whose single text prompt, if any, is known. */
  static CanonicalRequest ofCompletion(ObjectNode body, String query) {
    boolean stream = body.path("stream").asBoolean(false);
    // A continuation depends on every character of the text it continues (a trailing space, the
    // indentation of code, the case of a word), so the prompt as sent is part of the scope: only
    // the very same prompt is served, never one that differs in white space or case.
    ObjectNode params = params(body);
    if (query != null) {
      params.put("prompt", query);
    }
    return new CanonicalRequest(Kind.COMPLETION, body.get("model").asText(), temperature(body),
        body.hasNonNull("n") ? body.get("n").asInt() : 1, stream, query,
        query == null ? "the prompt is not a single text" : null, null, maxTokens(body),
        params,
        Json.object(), false, false, user(body));
  }

  /** The token limit: {@code max_completion_tokens}, else {@code max_tokens}; null when neither. */
  private static Long maxTokens(ObjectNode o) {
    for (String f : new String[] {"max_completion_tokens", "max_tokens"}) {
      if (o.path(f).isIntegralNumber()) {
        return o.get(f).asLong();
      }
    }
    return null;
  }

  private static String user(ObjectNode o) {
    JsonNode u = o.hasNonNull("user") ? o.get("user") : o.path("metadata").path("user_id");
    return u.isTextual() ? u.asText() : null;
  }

  private static Double temperature(ObjectNode o) {
    return o.hasNonNull("temperature") ? o.get("temperature").asDouble() : null;
  }

  private static ObjectNode params(ObjectNode body) {
    ObjectNode params = Json.object();
    body.properties().forEach(e -> {
      if (!NOT_ANSWER_SHAPING.contains(e.getKey())) {
        params.set(e.getKey(), e.getValue());
      }
    });
    return params;
  }

  /**
   * The text of the last message if it is the user's, its text parts joined by newlines; null
   * when the last message is not the user's or carries no text.
   */
  private static String lastUserText(ArrayNode messages) {
    if (messages.isEmpty()) {
      return null;
    }
    JsonNode last = messages.get(messages.size() - 1);
    if (!last.path("role").asText().equals("user")) {
      return null;
    }
    JsonNode content = last.path("content");
    if (content.isTextual()) {
      return content.asText().isBlank() ? null : content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(part.get("text").asText());
      }
    }
    return sb.toString().isBlank() ? null : sb.toString();
  }

  /**
   * The earlier messages, and the last one with its text taken out: its role, name and any
   * images or files stay, so a question about one picture is never answered with another's.
   */
  private static JsonNode chatContext(ArrayNode messages) {
    ObjectNode ctx = Json.object();
    ArrayNode earlier = ctx.putArray("earlier");
    for (int i = 0; i < messages.size() - 1; i++) {
      earlier.add(messages.get(i));
    }
    ObjectNode last = messages.get(messages.size() - 1).deepCopy();
    JsonNode content = last.remove("content");
    if (content != null && content.isArray()) {
      ArrayNode nonText = last.putArray("content");
      int texts = 0;
      for (JsonNode part : content) {
        if (!part.path("type").asText().equals("text")) {
          nonText.add(part);
        } else {
          texts++;
        }
      }
      // The text is the query, joined; where it stood among the pictures or files is kept here,
      // so "Alice:" [a] "Bob:" [b] is not "Alice:" [b] "Bob:" [a]. Only when the layout can
      // differ, so that the scopes of text followed by images stay as they were.
      if (texts > 1 && !nonText.isEmpty()) {
        ArrayNode layout = last.putArray("layout");
        for (JsonNode part : content) {
          layout.add(part.path("type").asText().equals("text") ? "text" : "other");
        }
      }
    }
    ctx.set("last", last);
    return ctx;
  }

  private static boolean earlierTurns(ArrayNode messages) {
    for (int i = 0; i < messages.size() - 1; i++) {
      String role = messages.get(i).path("role").asText();
      if (!role.equals("system") && !role.equals("developer")) {
        return true;
      }
    }
    return false;
  }
}
