package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;

/**
 * OpenAI Responses, {@code POST /v1/responses}. A request is translated into the chat request
 * that means the same: {@code instructions} become a system message, input items become
 * messages, tools and {@code text.format} take their chat names.
 */
public final class ResponsesProtocol implements Protocol {
  public static final ResponsesProtocol INSTANCE = new ResponsesProtocol();

  private ResponsesProtocol() {}

  @Override
  public String name() {
    return "responses";
  }

  @Override
  public String path() {
    return "/responses";
  }

  @Override
  public ProtocolRequest parse(byte[] body) {
    ObjectNode o = Checks.objectWithModel(body);
    JsonNode input = o.get("input");
    if (input == null || input.isNull()) {
      throw Checks.missing("input");
    }
    if (!input.isTextual() && !input.isArray()) {
      throw ApiException.invalid("'input' must be a string or an array of input items.", "input",
          "invalid_type");
    }
    if (input.isArray() && input.isEmpty()) {
      throw ApiException.invalid("'input' must contain at least one item.", "input",
          "empty_array");
    }
    Checks.type(o, "instructions", JsonNode::isTextual, "a string");
    Checks.type(o, "tools", JsonNode::isArray, "an array");
    Checks.type(o, "text", JsonNode::isObject, "an object");
    Checks.type(o, "previous_response_id", JsonNode::isTextual, "a string");
    Checks.type(o, "background", JsonNode::isBoolean, "a boolean");
    Checks.integer(o, "max_output_tokens", 1, Integer.MAX_VALUE);
    ObjectNode chat = chatView(o);
    return new ResponsesRequest(o, body, CanonicalRequest.ofChat(chat,
        o.path("stream").asBoolean(false), bypass(o)));
  }

  /** Why the answer depends on state kept by the upstream, which the cache cannot see. */
  private static String bypass(ObjectNode o) {
    if (o.hasNonNull("previous_response_id")) {
      return "previous_response_id refers to a conversation kept by the upstream";
    }
    if (o.hasNonNull("conversation")) {
      return "conversation refers to a conversation kept by the upstream";
    }
    if (o.hasNonNull("prompt")) {
      return "prompt refers to a prompt template kept by the upstream";
    }
    if (o.path("background").asBoolean(false)) {
      return "background responses are fetched later from the upstream";
    }
    return null;
  }

  /**
   * The Responses fields that chat leaves out of the scope under the same name and meaning; a
   * chat-only one sent here ({@code n}, {@code messages}, {@code max_tokens}) the OpenAI API
   * refuses, and it is kept in the scope instead of read as chat would.
   */
  private static final java.util.Set<String> OWN = java.util.Set.of("temperature", "top_p",
      "user", "metadata", "store", "service_tier", "prompt_cache_key", "safety_identifier",
      "stream", "stream_options", "prompt");

  /** The chat-completions body that asks the same as a Responses body. */
  static ObjectNode chatView(ObjectNode o) {
    ObjectNode chat = Json.object();
    ArrayNode messages = Json.MAPPER.createArrayNode();
    if (o.hasNonNull("instructions")) {
      messages.addObject().put("role", "system").put("content", o.get("instructions").asText());
    }
    JsonNode input = o.get("input");
    if (input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.asText());
    } else {
      for (int i = 0; i < input.size(); i++) {
        ResponsesItems.toMessages(input.get(i), "input[" + i + "]", messages);
      }
    }
    o.properties().forEach(e -> {
      switch (e.getKey()) {
        case "input", "instructions", "text", "tools", "tool_choice", "max_output_tokens",
            "reasoning", "previous_response_id", "conversation", "background", "include",
            "truncation" -> { }
        default -> CanonicalRequest.carry(chat, e.getKey(), e.getValue(), OWN);
      }
    });
    chat.set("messages", messages);
    ResponsesItems.translateOptions(o, chat);
    return chat;
  }
}
