package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.sim.Conversation.Format;
import dev.bound.gateway.sim.Conversation.Tool;
import dev.bound.gateway.sim.Conversation.ToolChoice;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI chat completions and legacy completions requests. */
final class ChatRequest {
  private ChatRequest() {}

  /** A chat request: its messages, tools, tool choice and response format. */
  static Conversation chat(ObjectNode req) {
    JsonNode messages = req.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new BadRequest("'messages' must be a non-empty array");
    }
    Conversation.Builder b = new Conversation.Builder();
    for (JsonNode m : messages) {
      String role = m.path("role").asText();
      String text = Requests.text(m.path("content"));
      b.message(role, text);
      if (role.equals("tool")) {
        b.toolResult(text);
      }
    }
    return b.tools(tools(req.path("tools"))).toolChoice(toolChoice(req.path("tool_choice")))
        .format(format(req.path("response_format"))).maxTokens(maxTokens(req))
        .temperature(req.path("temperature").asDouble(1.0)).build(req.get("model").asText());
  }

  /** A legacy completions request: its prompt, taken as is. */
  static Conversation completion(ObjectNode req) {
    return new Conversation.Builder().plain(Requests.text(req.path("prompt")))
        .maxTokens(maxTokens(req))
        .temperature(req.path("temperature").asDouble(1.0)).build(req.get("model").asText());
  }

  private static int maxTokens(JsonNode req) {
    return req.path("max_tokens").asInt(req.path("max_completion_tokens").asInt(0));
  }

  private static List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    for (JsonNode t : tools) {
      JsonNode f = t.path("function");
      if (t.path("type").asText("function").equals("function") && f.path("name").isTextual()) {
        out.add(new Tool(f.get("name").asText(), f.path("description").asText(""),
            f.path("parameters")));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    return switch (choice.asText("")) {
      case "none" -> ToolChoice.NONE;
      case "required" -> ToolChoice.REQUIRED;
      default -> choice.path("function").path("name").isTextual()
          ? ToolChoice.named(choice.get("function").get("name").asText()) : ToolChoice.AUTO;
    };
  }

  private static Format format(JsonNode responseFormat) {
    return switch (responseFormat.path("type").asText("text")) {
      case "json_object" -> Format.JSON_OBJECT;
      case "json_schema" -> Format.jsonSchema(schema(responseFormat.path("json_schema")));
      default -> Format.TEXT;
    };
  }

  /** The schema inside a {@code json_schema} format, which must be an object. */
  static JsonNode schema(JsonNode jsonSchema) {
    JsonNode schema = jsonSchema.path("schema");
    if (!schema.isObject()) {
      throw new BadRequest("a json_schema response format needs a 'schema' object");
    }
    return schema;
  }
}
