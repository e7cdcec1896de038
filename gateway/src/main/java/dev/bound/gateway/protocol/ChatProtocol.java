package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import java.util.Set;

/** OpenAI chat completions, {@code POST /v1/chat/completions}. */
public final class ChatProtocol implements Protocol {
  public static final ChatProtocol INSTANCE = new ChatProtocol();

  static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool",
      "function");

  private ChatProtocol() {}

  @Override
  public String name() {
    return "chat.completions";
  }

  @Override
  public String path() {
    return "/chat/completions";
  }

  @Override
  public ProtocolRequest parse(byte[] body) {
    ObjectNode o = OpenAiRequest.common(body);
    JsonNode messages = o.get("messages");
    if (messages == null || messages.isNull()) {
      throw Checks.missing("messages");
    }
    if (!messages.isArray()) {
      throw ApiException.invalid("'messages' must be an array of message objects.", "messages",
          "invalid_type");
    }
    if (messages.isEmpty()) {
      throw ApiException.invalid("'messages' must contain at least one message.", "messages",
          "empty_array");
    }
    for (int i = 0; i < messages.size(); i++) {
      checkMessage(messages.get(i), "messages[" + i + "]");
    }
    Checks.type(o, "tools", JsonNode::isArray, "an array");
    Checks.type(o, "response_format", JsonNode::isObject, "an object");
    return new OpenAiRequest(Kind.CHAT, o, body,
        CanonicalRequest.ofChat(o, o.path("stream").asBoolean(false), null));
  }

  private static void checkMessage(JsonNode m, String at) {
    if (!m.isObject()) {
      throw ApiException.invalid("'" + at + "' must be an object with 'role' and 'content'.", at,
          "invalid_type");
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual()) {
      throw ApiException.invalid("'" + at + ".role' is required and must be a string.",
          at + ".role", "invalid_type");
    }
    if (!ROLES.contains(role.asText())) {
      throw ApiException.invalid("'" + at + ".role' is '" + role.asText() + "'; allowed roles are "
          + "system, developer, user, assistant, tool and function.", at + ".role",
          "invalid_value");
    }
    JsonNode content = m.get("content");
    if (content == null || content.isNull()) {
      if (!role.asText().equals("assistant")) {
        throw ApiException.invalid("'" + at + ".content' is required for role '" + role.asText()
            + "'.", at + ".content", "missing_required_parameter");
      }
      return;
    }
    Checks.textOrParts(content, at + ".content", "content parts");
  }
}
