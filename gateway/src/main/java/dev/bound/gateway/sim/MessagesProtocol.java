package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/** Anthropic's Messages API, {@code POST /v1/messages}, whole or as its stream of events. */
final class MessagesProtocol {
  private final Responder responder;
  private final Pacer pacer;
  private final LongSupplier nextCall;

  MessagesProtocol(Responder responder, Pacer pacer, LongSupplier nextCall) {
    this.responder = responder;
    this.pacer = pacer;
    this.nextCall = nextCall;
  }

  void handle(Context ctx) throws IOException {
    ObjectNode req = Requests.body(ctx);
    Conversation c = MessagesRequest.read(req);
    Reply reply = responder.reply(c);
    long call = nextCall.getAsLong();
    String id = Requests.id("msg_", c.prompt(), call);
    String toolUseId = Requests.id("toolu_", c.prompt(), call);
    if (req.path("stream").asBoolean(false)) {
      stream(Sse.open(ctx), c, reply, id, toolUseId);
      return;
    }
    pacer.whole(reply.outputTokens());
    ArrayNode content = JSON.createArrayNode().add(block(reply, toolUseId, true));
    ObjectNode msg = message(id, c.model(), content, reply, usage(c, reply.outputTokens()));
    ctx.contentType("application/json").result(msg.toString());
  }

  private static ObjectNode message(String id, String model, ArrayNode content, Reply reply,
      ObjectNode usage) {
    ObjectNode m = JSON.createObjectNode().put("id", id).put("type", "message")
        .put("role", "assistant").put("model", model);
    m.set("content", content);
    stopFields(m, reply);
    m.set("usage", usage);
    return m;
  }

  /** Sets {@code stop_reason} and {@code stop_sequence}, or both null when {@code reply} is. */
  private static ObjectNode stopFields(ObjectNode target, Reply reply) {
    if (reply == null) {
      return target.putNull("stop_reason").putNull("stop_sequence");
    }
    target.put("stop_reason", switch (reply) {
      case Reply.ToolCall tc -> "tool_use";
      case Reply.Text t -> switch (t.finish()) {
        case LENGTH -> "max_tokens";
        case STOP_SEQUENCE -> "stop_sequence";
        case STOP -> "end_turn";
      };
    });
    return reply instanceof Reply.Text t && t.stopSequence() != null
        ? target.put("stop_sequence", t.stopSequence()) : target.putNull("stop_sequence");
  }

  private static ObjectNode usage(Conversation c, int outputTokens) {
    return JSON.createObjectNode().put("input_tokens", c.promptTokens())
        .put("output_tokens", outputTokens).put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0);
  }

  /** The answer's content block: whole when {@code done}, else as a stream starts it. */
  private static ObjectNode block(Reply reply, String toolUseId, boolean done) {
    if (reply instanceof Reply.ToolCall tc) {
      ObjectNode b = JSON.createObjectNode().put("type", "tool_use").put("id", toolUseId)
          .put("name", tc.name());
      b.set("input", done ? parse(tc.arguments()) : JSON.createObjectNode());
      return b;
    }
    return JSON.createObjectNode().put("type", "text")
        .put("text", done ? ((Reply.Text) reply).text() : "");
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("tool arguments the simulator made are not JSON", e);
    }
  }

  private void stream(Sse sse, Conversation c, Reply reply, String id, String toolUseId)
      throws IOException {
    ObjectNode start = JSON.createObjectNode().put("type", "message_start");
    start.set("message", message(id, c.model(), JSON.createArrayNode(), null, usage(c, 1)));
    sse.event("message_start", start);
    ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start")
        .put("index", 0);
    blockStart.set("content_block", block(reply, toolUseId, false));
    sse.event("content_block_start", blockStart);
    sse.event("ping", JSON.createObjectNode().put("type", "ping"));
    pacer.firstToken();
    List<String> pieces = reply.pieces();
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        pacer.nextToken();
      }
      ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta")
          .put("index", 0);
      if (reply instanceof Reply.ToolCall) {
        delta.putObject("delta").put("type", "input_json_delta").put("partial_json", pieces.get(i));
      } else {
        delta.putObject("delta").put("type", "text_delta").put("text", pieces.get(i));
      }
      sse.event("content_block_delta", delta);
    }
    sse.event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop")
        .put("index", 0));
    ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
    stopFields(end.putObject("delta"), reply);
    end.putObject("usage").put("output_tokens", reply.outputTokens());
    sse.event("message_delta", end);
    sse.event("message_stop", JSON.createObjectNode().put("type", "message_stop"));
  }
}
