package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.sim.Conversation.Format;
import dev.bound.gateway.sim.Conversation.Tool;
import dev.bound.gateway.sim.Conversation.ToolChoice;
import java.util.ArrayList;
import java.util.List;

/** Reads OpenAI Responses API requests ({@code POST /v1/responses}). */
final class ResponsesRequest {
  private ResponsesRequest() {}

  static Conversation read(ObjectNode req) {
    Conversation.Builder b = new Conversation.Builder();
    if (req.path("instructions").isTextual()) {
      b.message("system", req.get("instructions").asText());
    }
    JsonNode input = req.path("input");
    if (input.isTextual()) {
      b.message("user", input.asText());
    } else if (input.isArray() && !input.isEmpty()) {
      input.forEach(item -> item(b, item));
    } else {
      throw new BadRequest("'input' must be a string or a non-empty array of items");
    }
    return b.tools(tools(req.path("tools"))).toolChoice(toolChoice(req.path("tool_choice")))
        .format(format(req.path("text").path("format")))
        .maxTokens(Requests.nonNegative(req, "max_output_tokens"))
        .temperature(req.path("temperature").asDouble(1.0)).build(req.get("model").asText());
  }

  /** One input item: a message, a tool call the model made, or that call's output. */
  private static void item(Conversation.Builder b, JsonNode item) {
    switch (item.path("type").asText("message")) {
      case "message" -> {
        if (!item.path("role").isTextual()) {
          throw new BadRequest("each input message needs a string 'role'");
        }
        b.message(item.get("role").asText(), Requests.text(item.path("content")));
      }
      case "function_call" -> b.message("assistant",
          item.path("name").asText() + " " + item.path("arguments").asText());
      case "function_call_output" -> {
        JsonNode output = item.path("output");
        String text = output.isTextual() ? output.asText() : Requests.text(output);
        b.message("tool", text).toolResult(text);
      }
      default -> { } // reasoning and other items carry nothing the simulator reads
    }
  }

  private static List<Tool> tools(JsonNode tools) {
    List<Tool> out = new ArrayList<>();
    for (JsonNode t : tools) {
      if (t.path("type").asText().equals("function") && t.path("name").isTextual()) {
        out.add(new Tool(t.get("name").asText(), t.path("description").asText(""),
            t.path("parameters")));
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    String mode = choice.isTextual() ? choice.asText()
        : choice.path("type").asText().equals("allowed_tools") ? choice.path("mode").asText() : "";
    return switch (mode) {
      case "none" -> ToolChoice.NONE;
      case "required" -> ToolChoice.REQUIRED;
      default -> choice.path("type").asText().equals("function") && choice.path("name").isTextual()
          ? ToolChoice.named(choice.get("name").asText()) : ToolChoice.AUTO;
    };
  }

  private static Format format(JsonNode format) {
    return switch (format.path("type").asText("text")) {
      case "json_object" -> Format.JSON_OBJECT;
      case "json_schema" -> Format.jsonSchema(ChatRequest.schema(format));
      default -> Format.TEXT;
    };
  }
}
