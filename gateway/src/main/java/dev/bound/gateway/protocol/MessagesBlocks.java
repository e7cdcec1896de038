package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;

/** Translates Messages content blocks and tools into their chat-completions equivalents. */
final class MessagesBlocks {
  private MessagesBlocks() {}

  /** The text blocks of a content list, joined by newlines. */
  static String text(JsonNode blocks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode b : blocks) {
      if (b.path("type").asText().equals("text")) {
        sb.append(sb.isEmpty() ? "" : "\n").append(b.path("text").asText());
      }
    }
    return sb.toString();
  }

  /**
   * A tool result's content for the scope: its text when it is text only, otherwise every block
   * as canonical JSON, so that another image, document or search result (or a text that is not
   * text) is another request.
   */
  private static String toolResultContent(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    for (JsonNode block : content) {
      if (!block.path("type").asText().equals("text") || !block.path("text").isTextual()) {
        return Json.canonical(content);
      }
    }
    return text(content);
  }

  /**
   * Appends the chat messages one Messages message stands for: tool results become tool
   * messages ahead of the rest; an assistant's tool use becomes its tool calls.
   */
  static void toMessages(JsonNode m, String at, boolean last, ArrayNode out) {
    String role = m.path("role").asText("");
    if (!m.isObject() || !(role.equals("user") || role.equals("assistant"))) {
      throw ApiException.invalid("'" + at + ".role' must be \"user\" or \"assistant\".",
          at + ".role", "invalid_value");
    }
    JsonNode content = m.get("content");
    if (content == null || content.isNull()) {
      throw Checks.missing(at + ".content");
    }
    Checks.textOrParts(content, at + ".content", "content blocks");
    // As Anthropic's API has it: only a final assistant message (the start of the answer) may
    // be empty.
    if (content.isArray() && content.isEmpty() && !(last && role.equals("assistant"))) {
      throw ApiException.invalid("'" + at + ".content' must not be empty; only the final "
          + "assistant message may be.", at + ".content", "empty_array");
    }
    if (content.isTextual()) {
      out.addObject().put("role", role).put("content", content.asText());
      return;
    }
    ArrayNode parts = Json.MAPPER.createArrayNode();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    boolean onlyText = true;
    for (int i = 0; i < content.size(); i++) {
      JsonNode b = content.get(i);
      String block = at + ".content[" + i + "]";
      switch (b.get("type").asText()) {
        case "text" -> parts.addObject().put("type", "text").put("text", b.get("text").asText());
        case "tool_result" -> {
          Checks.type(b, "tool_use_id", block + ".tool_use_id", JsonNode::isTextual, "a string");
          ObjectNode result = out.addObject().put("role", "tool")
              .put("tool_call_id", b.path("tool_use_id").asText())
              .put("content", toolResultContent(b.path("content")));
          // A failed call answers otherwise than one that worked, with the same text.
          if (b.path("is_error").asBoolean(false)) {
            result.put("is_error", true);
          }
        }
        case "tool_use" -> {
          Checks.type(b, "id", block + ".id", JsonNode::isTextual, "a string");
          Checks.type(b, "name", block + ".name", JsonNode::isTextual, "a string");
          ObjectNode call = calls.addObject().put("id", b.path("id").asText())
              .put("type", "function");
          call.putObject("function").put("name", b.path("name").asText())
              .put("arguments", Json.canonical(b.path("input")));
        }
        case "image" -> {
          onlyText = false;
          String url = imageUrl(b.path("source"));
          if (url != null) {
            parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
          } else {
            parts.add(withoutCacheControl(b));
          }
        }
        default -> {
          onlyText = false;
          parts.add(withoutCacheControl(b));
        }
      }
    }
    if (parts.isEmpty() && calls.isEmpty()) {
      return;
    }
    ObjectNode msg = out.addObject().put("role", role);
    if (onlyText) {
      if (parts.isEmpty()) {
        msg.putNull("content");
      } else {
        msg.put("content", text(parts));
      }
    } else {
      msg.set("content", parts);
    }
    if (!calls.isEmpty()) {
      msg.set("tool_calls", calls);
    }
  }

  /**
   * An image source as the URL chat carries: the URL itself, or a data URL; null for a source
   * chat has no URL for (an uploaded file's id, a field that is not text), whose block is then
   * kept whole, so that two files are two requests.
   */
  private static String imageUrl(JsonNode src) {
    return switch (src.path("type").asText()) {
      case "base64" -> src.path("media_type").isTextual() && src.path("data").isTextual()
          ? "data:" + src.path("media_type").asText() + ";base64," + src.path("data").asText()
          : null;
      case "url" -> src.path("url").isTextual() ? src.path("url").asText() : null;
      default -> null;
    };
  }

  private static ObjectNode withoutCacheControl(JsonNode block) {
    ObjectNode kept = block.deepCopy();
    kept.remove("cache_control");
    return kept;
  }

  /**
   * The name a tool choice forces, as given: a name that is not text stays what it is rather
   * than becoming "", which would make every such choice one request.
   */
  static JsonNode named(JsonNode choice) {
    JsonNode name = choice.path("name");
    return name.isMissingNode() ? Json.MAPPER.getNodeFactory().textNode("") : name;
  }

  /** Tools and tool choice, by their chat names. */
  static void translateTools(ObjectNode o, ObjectNode chat) {
    if (o.hasNonNull("tools")) {
      ArrayNode tools = chat.putArray("tools");
      JsonNode list = o.get("tools");
      for (int i = 0; i < list.size(); i++) {
        JsonNode t = list.get(i);
        if (!t.isObject()) {
          throw ApiException.invalid("'tools[" + i + "]' must be an object.", "tools[" + i + "]",
              "invalid_type");
        }
        if (t.has("input_schema")) {
          ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
          fn.set("name", t.get("name"));
          if (t.hasNonNull("description")) {
            fn.set("description", t.get("description"));
          }
          fn.set("parameters", t.get("input_schema"));
          // What else shapes the call (strict, input_examples, ...) stays, under its own name.
          t.properties().forEach(f -> {
            switch (f.getKey()) {
              case "name", "description", "input_schema", "cache_control" -> { }
              case "type" -> {
                if (!f.getValue().asText().equals("custom")) {
                  fn.set("type", f.getValue());
                }
              }
              default -> fn.set(f.getKey(), f.getValue());
            }
          });
        } else {
          ObjectNode kept = t.deepCopy();
          kept.remove("cache_control");
          tools.add(kept);
        }
      }
    }
    JsonNode choice = o.path("tool_choice");
    switch (choice.path("type").asText("")) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> chat.putObject("tool_choice").put("type", "function")
          .putObject("function").set("name", named(choice));
      default -> { }
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      chat.put("parallel_tool_calls", false);
    }
  }
}
