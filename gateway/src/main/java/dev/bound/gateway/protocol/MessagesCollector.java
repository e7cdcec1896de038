package dev.bound.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a Messages event stream into the message it builds. Every event is passed on; the
 * message is complete when {@code message_stop} arrives after every block has stopped.
 */
final class MessagesCollector extends JsonEventCollector {
  private final MessagesRequest request;
  private ObjectNode message;
  private final Map<Integer, ObjectNode> blocks = new TreeMap<>();
  private final Map<Integer, StringBuilder> partialJson = new TreeMap<>();
  private boolean stopped;
  private long collected;

  MessagesCollector(MessagesRequest request) {
    this.request = request;
  }

  @Override
  void on(String type, JsonNode e) {
    switch (type) {
      case "message_start" -> message = e.path("message").deepCopy();
      case "content_block_start" -> blocks.put(e.path("index").asInt(),
          e.path("content_block").deepCopy());
      case "content_block_delta" -> delta(e.path("index").asInt(), e.path("delta"));
      case "content_block_stop" -> finishBlock(e.path("index").asInt());
      case "message_delta" -> messageDelta(e);
      case "message_stop" -> stopped = true;
      case "error" -> fail("the upstream sent an error event");
      default -> { }
    }
  }

  private void delta(int index, JsonNode d) {
    ObjectNode block = blocks.get(index);
    if (block == null) {
      fail("a delta for a block that never started");
      return;
    }
    String field = switch (d.path("type").asText()) {
      case "text_delta" -> "text";
      case "input_json_delta" -> "partial_json";
      case "thinking_delta" -> "thinking";
      case "signature_delta" -> "signature";
      default -> null;
    };
    if (!d.isObject() || (field != null && !d.path(field).isTextual())) {
      fail("a content block delta is malformed");
      return;
    }
    if (field != null) {
      collected += d.path(field).asText().length();
    }
    switch (d.path("type").asText()) {
      case "text_delta" -> block.put("text", block.path("text").asText()
          + d.path("text").asText());
      case "input_json_delta" -> partialJson.computeIfAbsent(index, i -> new StringBuilder())
          .append(d.path("partial_json").asText());
      case "thinking_delta", "signature_delta" -> block.put(field,
          block.path(field).asText() + d.path(field).asText());
      default -> { }
    }
  }

  private void finishBlock(int index) {
    StringBuilder json = partialJson.remove(index);
    ObjectNode block = blocks.get(index);
    if (json == null || block == null) {
      return;
    }
    try {
      block.set("input", json.isEmpty() ? Json.object() : Json.MAPPER.readTree(json.toString()));
    } catch (IOException e) {
      fail("a tool's input is not JSON");
    }
  }

  private void messageDelta(JsonNode e) {
    if (message == null) {
      fail("message_delta before message_start");
      return;
    }
    e.path("delta").properties().forEach(p -> message.set(p.getKey(), p.getValue()));
    if (!(message.get("usage") instanceof ObjectNode)) {
      message.putObject("usage");
    }
    ObjectNode usage = (ObjectNode) message.get("usage");
    e.path("usage").properties().forEach(p -> {
      if (!p.getValue().isNull()) {
        usage.set(p.getKey(), p.getValue());
      }
    });
  }

  @Override
  public long collected() {
    return collected;
  }

  @Override
  void afterFailure(String type) {
    stopped |= type.equals("message_stop");
  }

  @Override
  public boolean ended() {
    return stopped;
  }

  @Override
  public String incomplete() {
    if (failure() != null) {
      return failure();
    }
    if (!stopped || message == null) {
      return "the stream ended before message_stop";
    }
    if (!partialJson.isEmpty()) {
      return "a content block never stopped";
    }
    return answer() == null ? "the message is not one the cache can keep" : null;
  }

  @Override
  public ObjectNode answer() {
    ObjectNode whole = message.deepCopy();
    whole.putArray("content").addAll(blocks.values());
    return request.canonicalAnswer(whole);
  }
}
