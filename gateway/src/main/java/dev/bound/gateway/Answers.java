package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.Kind;
import java.io.IOException;

/** What makes an upstream answer fit to store and to serve again. */
final class Answers {
  private Answers() {}

  /**
   * Whether a canonical answer is complete and policy lets it be kept: an object of the
   * request's kind with at least one choice, every choice finished ({@code stop}: an answer cut
   * at a token limit is not one to give again), or with tool calls only when {@code toolCalls}
   * allows them; and when the
   * request asked for JSON, every text that finished normally parses as JSON.
   */
  static boolean storable(JsonNode answer, CanonicalRequest req, boolean toolCalls) {
    return shaped(answer, req.kind(), toolCalls) && (!asksForJson(req) || allJson(answer));
  }

  /** Whether the request asked for a JSON object or a JSON schema's instance. */
  static boolean asksForJson(CanonicalRequest req) {
    String type = req.params().path("response_format").path("type").asText("");
    return type.equals("json_schema") || type.equals("json_object");
  }

  /** Whether every text that finished normally parses as JSON. */
  static boolean allJson(JsonNode answer) {
    for (JsonNode choice : answer.path("choices")) {
      JsonNode content = choice.path("message").path("content");
      if (content.isTextual() && choice.path("finish_reason").asText().equals("stop")) {
        try {
          // Jackson reads a blank text as a missing node rather than failing: no JSON either.
          if (Json.MAPPER.readTree(content.asText()).isMissingNode()) {
            return false;
          }
        } catch (IOException e) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean shaped(JsonNode answer, Kind kind, boolean toolCalls) {
    JsonNode choices = answer.path("choices");
    if (!answer.isObject() || !choices.isArray() || choices.isEmpty() || answer.has("error")) {
      return false;
    }
    boolean[] seen = new boolean[choices.size()];
    for (JsonNode choice : choices) {
      // Each index once, from 0: a replay puts every choice where its index says.
      JsonNode index = choice.path("index");
      if (!index.isIntegralNumber() || index.asLong() < 0 || index.asLong() >= seen.length
          || seen[index.asInt()]) {
        return false;
      }
      seen[index.asInt()] = true;
      String finish = choice.path("finish_reason").asText("");
      boolean calls = callsTools(choice) || finish.equals("tool_calls")
          || finish.equals("function_call");
      boolean finished = calls ? toolCalls : finish.equals("stop");
      boolean shaped = kind == Kind.CHAT ? messageShaped(choice.path("message"), calls)
          : choice.path("text").isTextual();
      if (!finished || !shaped) {
        return false;
      }
    }
    return true;
  }

  /**
   * An assistant's message as the API defines it: text, or no text beside tool calls that each
   * name a function with its arguments as text; never a refusal, which answers nothing the next
   * asker wants kept.
   */
  private static boolean messageShaped(JsonNode m, boolean calls) {
    if (!m.isObject() || !m.path("role").asText("assistant").equals("assistant")
        || (m.hasNonNull("refusal") && !m.get("refusal").asText().isEmpty())) {
      return false;
    }
    JsonNode content = m.get("content");
    boolean text = content != null && content.isTextual();
    if (!text && !(calls && (content == null || content.isNull()))) {
      return false;
    }
    JsonNode toolCalls = m.get("tool_calls");
    if (toolCalls != null && !toolCalls.isNull()) {
      if (!toolCalls.isArray()) {
        return false;
      }
      for (JsonNode call : toolCalls) {
        if (!call.path("function").path("name").isTextual()
            || !call.path("function").path("arguments").isTextual()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether a stored answer may answer a request with this token limit: it has no more
   * completion tokens than the limit allows, and it was not itself cut short (entries stored
   * before cut answers were refused) unless the request sets no limit either.
   */
  static boolean fitsLimit(JsonNode answer, Long maxTokens) {
    if (maxTokens == null) {
      return true;
    }
    for (JsonNode choice : answer.path("choices")) {
      if (choice.path("finish_reason").asText().equals("length")) {
        return false;
      }
    }
    JsonNode used = answer.path("usage").path("completion_tokens");
    return used.isIntegralNumber() && used.asLong() <= maxTokens;
  }

  /** The text of a canonical answer's first choice: its message content, or its completion. */
  static String text(JsonNode answer) {
    JsonNode c = answer.path("choices").path(0);
    return c.path("message").path("content").asText(c.path("text").asText(""));
  }

  /** Whether any choice of a stored answer calls a tool or function. */
  /**
   * Gives an answer about to be served its fresh id and creation time, as every protocol's
   * answer carries them; {@link AnswerTemplate} cuts out exactly these two values.
   */
  static void stamp(ObjectNode answer, String id, long created) {
    answer.put("id", id);
    answer.put("created", created);
  }

  static boolean anyCallsTools(JsonNode answer) {
    for (JsonNode choice : answer.path("choices")) {
      if (callsTools(choice)) {
        return true;
      }
    }
    return false;
  }

  private static boolean callsTools(JsonNode choice) {
    JsonNode message = choice.path("message");
    return message.path("tool_calls").size() > 0 || message.hasNonNull("function_call");
  }
}
