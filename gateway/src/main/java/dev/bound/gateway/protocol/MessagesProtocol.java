package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;

/**
 * Anthropic Messages, {@code POST /v1/messages}. A request is translated into the chat request
 * that means the same: {@code system} becomes a system message, text blocks text, tool use and
 * tool results chat tool calls and tool messages, {@code stop_sequences} {@code stop},
 * {@code output_config} a response format and reasoning effort. Prompt caching, speed, region and
 * diagnostics settings do not change the answer and are left out of the scope.
 *
 * <p>The current Messages API has no {@code temperature}; a request without one is taken to be
 * at {@code cache.assumed-temperature}, as for every API.
 */
public final class MessagesProtocol implements Protocol {
  public static final MessagesProtocol INSTANCE = new MessagesProtocol();

  private MessagesProtocol() {}

  @Override
  public String name() {
    return "messages";
  }

  @Override
  public String path() {
    return "/messages";
  }

  @Override
  public boolean keyInXApiKey() {
    return true;
  }

  @Override
  public java.util.List<String> answerShapingHeaders() {
    return java.util.List.of("anthropic-beta");
  }

  @Override
  public ProtocolRequest parse(byte[] body) {
    ObjectNode o = Checks.objectWithModel(body);
    if (!o.hasNonNull("max_tokens")) {
      throw Checks.missing("max_tokens");
    }
    Checks.integer(o, "max_tokens", 1, Integer.MAX_VALUE);
    Checks.number(o, "temperature", 0, 1);
    Checks.integer(o, "top_k", 0, Integer.MAX_VALUE);
    Checks.type(o, "system", s -> s.isTextual() || s.isArray(), "a string or an array of "
        + "text blocks");
    if (o.path("system").isArray()) {
      // Its text blocks are read as text: another type would become "" and two prompts one.
      Checks.textOrParts(o.get("system"), "system", "text blocks");
    }
    Checks.type(o, "tools", JsonNode::isArray, "an array");
    Checks.type(o, "stop_sequences", JsonNode::isArray, "an array of strings");
    JsonNode messages = o.get("messages");
    if (messages == null || messages.isNull()) {
      throw Checks.missing("messages");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw ApiException.invalid("'messages' must be a non-empty array of messages.",
          "messages", messages.isArray() ? "empty_array" : "invalid_type");
    }
    ObjectNode chat = chatView(o);
    if (chat.get("messages").isEmpty()) {
      throw ApiException.invalid("'messages' has nothing to answer: every message is empty and "
          + "there is no system prompt.", "messages", "empty_array");
    }
    return new MessagesRequest(o, body, CanonicalRequest.ofChat(chat,
        o.path("stream").asBoolean(false), null));
  }

  /**
   * The Messages fields that chat leaves out of the scope under the same name and meaning; a
   * chat-only one sent here ({@code n}, {@code user}, {@code max_completion_tokens}) Anthropic's
   * API refuses, and it is kept in the scope instead of read as chat would.
   */
  private static final java.util.Set<String> OWN = java.util.Set.of("temperature", "top_p",
      "top_k", "metadata", "stream", "service_tier", "max_tokens");

  /** Where the chat view keeps a Messages request's {@code thinking} setting. */
  private static final String THINKING = "messages:thinking";

  /** The chat-completions body that asks the same as a Messages body. */
  static ObjectNode chatView(ObjectNode o) {
    ObjectNode chat = Json.object();
    ArrayNode messages = Json.MAPPER.createArrayNode();
    JsonNode system = o.get("system");
    if (system != null && !system.isNull()) {
      messages.addObject().put("role", "system").put("content", system.isTextual()
          ? system.asText() : MessagesBlocks.text(system));
    }
    JsonNode list = o.get("messages");
    for (int i = 0; i < list.size(); i++) {
      MessagesBlocks.toMessages(list.get(i), "messages[" + i + "]", i == list.size() - 1,
          messages);
    }
    o.properties().forEach(e -> {
      switch (e.getKey()) {
        case "system", "messages", "stop_sequences", "tools", "tool_choice", "output_config",
            "cache_control", "diagnostics", "inference_geo", "speed" -> { }
        // Under a name of its own: an answer that thinks keeps its signed blocks for Messages
        // clients, and must not reach a chat or Responses request that sends a "thinking" too.
        case "thinking" -> chat.set(THINKING, e.getValue());
        default -> CanonicalRequest.carry(chat, e.getKey(), e.getValue(), OWN);
      }
    });
    chat.set("messages", messages);
    if (o.hasNonNull("stop_sequences")) {
      chat.set("stop", o.get("stop_sequences"));
    }
    MessagesBlocks.translateTools(o, chat);
    JsonNode output = o.path("output_config");
    if (output.path("format").path("type").asText().equals("json_schema")) {
      chat.putObject("response_format").put("type", "json_schema").putObject("json_schema")
          .set("schema", output.get("format").get("schema"));
    }
    if (output.hasNonNull("effort")) {
      chat.set("reasoning_effort", output.get("effort"));
    }
    return chat;
  }
}
