package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;

/** Translates Responses input items and options into their chat-completions equivalents. */
final class ResponsesItems {
  private ResponsesItems() {}

  /** Appends the chat messages one input item stands for. */
  static void toMessages(JsonNode item, String at, ArrayNode messages) {
    if (!item.isObject()) {
      throw ApiException.invalid("'" + at + "' must be an input item object.", at,
          "invalid_type");
    }
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> messages.add(message(item, at));
      case "function_call" -> {
        // Read as text below: another type would become "" and two calls one request.
        for (String f : new String[] {"call_id", "name", "arguments"}) {
          Checks.type(item, f, at + "." + f, JsonNode::isTextual, "a string");
        }
        ObjectNode call = Json.object().put("id", item.path("call_id").asText())
            .put("type", "function");
        call.putObject("function").put("name", item.path("name").asText())
            .put("arguments", item.path("arguments").asText(""));
        ObjectNode last = messages.isEmpty() ? null : (ObjectNode) messages.get(messages.size() - 1);
        if (last != null && last.has("tool_calls") && last.path("content").isNull()) {
          ((ArrayNode) last.get("tool_calls")).add(call);
        } else {
          ObjectNode m = messages.addObject().put("role", "assistant");
          m.putNull("content");
          m.putArray("tool_calls").add(call);
        }
      }
      case "function_call_output" -> {
        Checks.type(item, "call_id", at + ".call_id", JsonNode::isTextual, "a string");
        messages.addObject().put("role", "tool")
            .put("tool_call_id", item.path("call_id").asText())
            .set("content", item.path("output").isTextual() ? item.get("output")
                : Json.MAPPER.getNodeFactory().textNode(Json.canonical(item.path("output"))));
      }
      // Anything else (reasoning, tool results of built-in tools, item references) is kept
      // whole in the context: it must be equal for an answer to be shared.
      default -> messages.addObject().put("role", "assistant").putNull("content")
          .set("item", item);
    }
  }

  private static ObjectNode message(JsonNode item, String at) {
    String role = item.path("role").asText("");
    if (!ChatProtocol.ROLES.contains(role)) {
      throw ApiException.invalid("'" + at + ".role' must be user, assistant, system or "
          + "developer.", at + ".role", "invalid_value");
    }
    JsonNode content = item.get("content");
    if (content == null || content.isNull()) {
      throw Checks.missing(at + ".content");
    }
    Checks.textOrParts(content, at + ".content", "content parts");
    ObjectNode m = Json.object().put("role", role);
    if (content.isTextual()) {
      return m.put("content", content.asText());
    }
    StringBuilder text = new StringBuilder();
    ArrayNode parts = Json.MAPPER.createArrayNode();
    boolean onlyText = true;
    for (JsonNode part : content) {
      String type = part.get("type").asText();
      if (type.equals("input_text") || type.equals("output_text") || type.equals("text")) {
        parts.addObject().put("type", "text").put("text", part.get("text").asText());
        text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asText());
      } else if (type.equals("input_image") && part.path("image_url").isTextual()) {
        // Only a URL given as text is chat's image_url; any other form is kept whole below.
        onlyText = false;
        ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url")
            .put("url", part.get("image_url").asText());
        if (part.hasNonNull("detail")) {
          image.put("detail", part.get("detail").asText());
        }
      } else {
        onlyText = false;
        parts.add(part);
      }
    }
    return onlyText ? m.put("content", text.toString()) : (ObjectNode) m.set("content", parts);
  }

  /** Tools, tool choice, output format, token limit and reasoning effort, by their chat names. */
  static void translateOptions(ObjectNode o, ObjectNode chat) {
    if (o.hasNonNull("tools")) {
      ArrayNode tools = chat.putArray("tools");
      for (JsonNode t : o.get("tools")) {
        if (t.path("type").asText().equals("function")) {
          ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
          for (String f : new String[] {"name", "description", "parameters", "strict"}) {
            if (t.hasNonNull(f)) {
              fn.set(f, t.get(f));
            }
          }
        } else {
          tools.add(t);
        }
      }
    }
    JsonNode choice = o.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      if (choice.isObject() && choice.path("type").asText().equals("function")) {
        ObjectNode c = chat.putObject("tool_choice").put("type", "function");
        c.putObject("function").set("name", MessagesBlocks.named(choice));
      } else {
        chat.set("tool_choice", choice);
      }
    }
    JsonNode format = o.path("text").path("format");
    String type = format.path("type").asText("text");
    if (type.equals("json_schema")) {
      ObjectNode schema = chat.putObject("response_format").put("type", "json_schema")
          .putObject("json_schema");
      for (String f : new String[] {"name", "description", "schema", "strict"}) {
        if (format.hasNonNull(f)) {
          schema.set(f, format.get(f));
        }
      }
    } else if (!type.equals("text")) {
      chat.set("response_format", format);
    }
    if (o.path("text").hasNonNull("verbosity")) {
      chat.set("verbosity", o.get("text").get("verbosity"));
    }
    if (o.hasNonNull("max_output_tokens")) {
      chat.set("max_tokens", o.get("max_output_tokens"));
    }
    if (o.path("reasoning").hasNonNull("effort")) {
      chat.set("reasoning_effort", o.get("reasoning").get("effort"));
    }
    if (o.path("reasoning").hasNonNull("summary")) {
      // A summary of the reasoning is part of the answer the client asked for.
      chat.set("reasoning_summary", o.get("reasoning").get("summary"));
    }
    for (String f : new String[] {"include", "truncation"}) {
      if (o.hasNonNull(f)) {
        chat.set(f, o.get(f));
      }
    }
  }
}
