package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.sim.Conversation.Format;
import dev.bound.gateway.sim.Conversation.Tool;
import dev.bound.gateway.sim.Conversation.ToolChoice;
import java.util.ArrayList;
import java.util.List;

/** Reads Anthropic Messages API requests ({@code POST /v1/messages}). */
final class MessagesRequest {
  private MessagesRequest() {}

  static Conversation read(ObjectNode req) {
    JsonNode max = req.path("max_tokens");
    if (max.isMissingNode() || max.isNull()) {
      throw new BadRequest("max_tokens: Field required");
    }
    if (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 1) {
      throw new BadRequest("max_tokens: Input should be a positive integer");
    }
    JsonNode messages = req.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new BadRequest("messages: Field required to be a non-empty list");
    }
    Conversation.Builder b = new Conversation.Builder();
    JsonNode system = req.path("system");
    if (system.isTextual() || system.isArray()) {
      b.message("system", Requests.text(system));
    }
    messages.forEach(m -> message(b, m));
    req.path("stop_sequences").forEach(s -> b.stop(s.asText()));
    JsonNode format = req.path("output_config").path("format");
    if (format.path("type").asText().equals("json_schema")) {
      b.format(Format.jsonSchema(ChatRequest.schema(format)));
    }
    return b.tools(tools(req.path("tools"))).toolChoice(toolChoice(req.path("tool_choice")))
        .maxTokens(max.asInt())
        .temperature(req.path("temperature").asDouble(1.0)).build(req.get("model").asText());
  }

  /** One message; a user message that carries a tool's result marks the conversation so. */
  private static void message(Conversation.Builder b, JsonNode m) {
    String role = m.path("role").asText();
    JsonNode content = m.path("content");
    if (content.isTextual()) {
      b.message(role, content.asText());
      return;
    }
    StringBuilder text = new StringBuilder();
    String result = null;
    for (JsonNode block : content) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> text.append(block.path("name").asText()).append(' ')
            .append(block.path("input"));
        case "tool_result" -> {
          JsonNode c = block.path("content");
          result = c.isTextual() ? c.asText() : Requests.text(c);
          text.append(result);
        }
        default -> { } // images and documents carry no text the simulator reads
      }
    }
    b.message(role, text.toString());
    if (result != null) {
      b.toolResult(result);
    }
  }

  private static List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    for (JsonNode t : tools) {
      String type = t.path("type").asText("custom");
      if (type.equals("custom") && t.path("name").isTextual()) {
        out.add(new Tool(t.get("name").asText(), t.path("description").asText(""),
            t.path("input_schema")));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    return switch (choice.path("type").asText("auto")) {
      case "none" -> ToolChoice.NONE;
      case "any" -> ToolChoice.REQUIRED;
      case "tool" -> ToolChoice.named(choice.path("name").asText());
      default -> ToolChoice.AUTO;
    };
  }
}
