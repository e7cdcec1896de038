package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A request as the simulator sees it, whichever protocol it came in: who said what, what the
 * client offers (tools, an output format) and the limits on the reply. Built with {@link
 * Builder}, one message at a time.
 *
 * @param prompt every message as a {@code role:text} line; it seeds the made-up answer, so the
 *     same conversation gets the same words whichever protocol carries it
 * @param question the last message's text, quoted by the made-up answer and given to the
 *     scripted answers
 * @param userText the last user message's text, read for a tool's name
 * @param promptTokens the prompt's size by {@link Tokens}: 3 for the reply's priming, then 4 per
 *     message for its role and separators plus its text
 * @param toolResult the tool output the last message returns, or null when it returns none
 * @param maxTokens the most tokens the reply may have; 0 for no limit
 * @param stops texts that end the reply where they would first appear
 * @param temperature the sampling temperature asked for; 1.0, the APIs' default, when absent
 */
record Conversation(String model, String prompt, String question, String userText,
    int promptTokens, String toolResult, List<Tool> tools, ToolChoice toolChoice, Format format,
    int maxTokens, List<String> stops, double temperature) {

  Conversation {
    tools = List.copyOf(tools);
    stops = List.copyOf(stops);
  }

  /** A function the client offers; {@code parameters} is its JSON Schema. */
  record Tool(String name, String description, JsonNode parameters) {}

  /** Whether the client lets, makes or forbids the model to call a tool. */
  record ToolChoice(Mode mode, String name) {
    static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, "");
    static final ToolChoice NONE = new ToolChoice(Mode.NONE, "");
    static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, "");

    static ToolChoice named(String name) {
      return new ToolChoice(Mode.NAMED, name);
    }

    enum Mode { AUTO, NONE, REQUIRED, NAMED }
  }

  /** The shape the reply's text must have; {@code schema} is empty unless it is JSON_SCHEMA. */
  record Format(Kind kind, JsonNode schema) {
    static final Format TEXT = new Format(Kind.TEXT, MissingNode.getInstance());
    static final Format JSON_OBJECT = new Format(Kind.JSON_OBJECT, TEXT.schema());

    static Format jsonSchema(JsonNode schema) {
      return new Format(Kind.JSON_SCHEMA, schema);
    }

    enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }
  }

  /** Collects a conversation message by message; the rest defaults to a plain text exchange. */
  static final class Builder {
    private final StringBuilder prompt = new StringBuilder();
    private int promptTokens = 3;
    private String question = "";
    private String userText = "";
    private String toolResult;
    private List<Tool> tools = List.of();
    private ToolChoice toolChoice = ToolChoice.AUTO;
    private Format format = Format.TEXT;
    private int maxTokens;
    private final List<String> stops = new ArrayList<>();
    private double temperature = 1.0;

    Builder message(String role, String text) {
      prompt.append(role).append(':').append(text).append('\n');
      promptTokens += 4 + Tokens.count(text);
      question = text;
      toolResult = null;
      if (role.equals("user")) {
        userText = text;
      }
      return this;
    }

    /** A legacy completions prompt: taken as is, with no roles and no priming tokens. */
    Builder plain(String text) {
      prompt.append(text);
      promptTokens = Tokens.count(text);
      question = text;
      userText = text;
      return this;
    }

    /** Marks the message just added as returning a tool's output. */
    Builder toolResult(String output) {
      toolResult = output;
      return this;
    }

    Builder tools(List<Tool> offered) {
      tools = offered;
      return this;
    }

    Builder toolChoice(ToolChoice choice) {
      toolChoice = choice;
      return this;
    }

    Builder format(Format f) {
      format = f;
      return this;
    }

    Builder maxTokens(int max) {
      maxTokens = max;
      return this;
    }

    Builder temperature(double t) {
      temperature = t;
      return this;
    }

    Builder stop(String text) {
      stops.add(text);
      return this;
    }

    Conversation build(String model) {
      return new Conversation(model, prompt.toString(), question, userText, promptTokens,
          toolResult, tools, toolChoice, format, maxTokens, stops, temperature);
    }
  }
}
