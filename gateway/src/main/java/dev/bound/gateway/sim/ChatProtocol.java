package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/** OpenAI's chat completions and legacy completions, whole or streamed. */
final class ChatProtocol {
  private final Responder responder;
  private final Pacer pacer;
  private final LongSupplier nextCall;

  ChatProtocol(Responder responder, Pacer pacer, LongSupplier nextCall) {
    this.responder = responder;
    this.pacer = pacer;
    this.nextCall = nextCall;
  }

  /** Answers {@code POST /v1/chat/completions} when {@code chat}, else {@code /v1/completions}. */
  void handle(Context ctx, boolean chat) throws IOException {
    ObjectNode req = Requests.body(ctx);
    Conversation c = chat ? ChatRequest.chat(req) : ChatRequest.completion(req);
    Reply reply = responder.reply(c);
    long call = nextCall.getAsLong();
    String id = (chat ? "chatcmpl-sim" : "cmpl-sim")
        + Long.toHexString(SimulatedUpstream.seed(c.prompt() + call));
    Head head = new Head(chat, id, System.currentTimeMillis() / 1000, c.model());
    String callId = Requests.id("call_", c.prompt(), call);
    ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", c.promptTokens())
        .put("completion_tokens", reply.outputTokens())
        .put("total_tokens", c.promptTokens() + reply.outputTokens());
    if (req.path("stream").asBoolean(false)) {
      boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
      stream(Sse.open(ctx), head, reply, callId, includeUsage ? usage : null);
      return;
    }
    pacer.whole(reply.outputTokens());
    ObjectNode resp = head.object(chat ? "chat.completion" : "text_completion");
    ObjectNode choice = resp.putArray("choices").addObject().put("index", 0);
    if (reply instanceof Reply.ToolCall tc) {
      ObjectNode message = choice.putObject("message").put("role", "assistant").putNull("content");
      message.putArray("tool_calls").add(toolCall(tc, callId));
    } else if (chat) {
      choice.putObject("message").put("role", "assistant").put("content", text(reply));
    } else {
      choice.put("text", text(reply));
    }
    choice.putNull("logprobs").put("finish_reason", finish(reply));
    resp.set("usage", usage);
    ctx.contentType("application/json").result(resp.toString());
  }

  /** What every response and chunk of one answer starts with. */
  private record Head(boolean chat, String id, long created, String model) {
    ObjectNode object(String type) {
      return JSON.createObjectNode().put("id", id).put("object", type).put("created", created)
          .put("model", model);
    }

    ObjectNode chunk(ObjectNode delta, String finish) {
      ObjectNode c = object(chat ? "chat.completion.chunk" : "text_completion");
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      if (chat) {
        choice.set("delta", delta);
      } else {
        choice.put("text", delta.path("content").asText(""));
      }
      if (finish == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finish);
      }
      return c;
    }
  }

  private void stream(Sse sse, Head head, Reply reply, String callId, ObjectNode usage)
      throws IOException {
    pacer.firstToken();
    List<String> pieces = reply.pieces();
    if (reply instanceof Reply.ToolCall tc) {
      ObjectNode first = JSON.createObjectNode().put("role", "assistant").putNull("content");
      first.putArray("tool_calls").addObject().put("index", 0)
          .put("id", callId).put("type", "function")
          .putObject("function").put("name", tc.name()).put("arguments", "");
      sse.data(head.chunk(first, null));
    } else if (head.chat()) {
      sse.data(head.chunk(JSON.createObjectNode().put("role", "assistant").put("content", ""),
          null));
    }
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        pacer.nextToken();
      }
      sse.data(head.chunk(delta(reply, pieces.get(i)), null));
    }
    sse.data(head.chunk(JSON.createObjectNode(), finish(reply)));
    if (usage != null) {
      ObjectNode last = head.object(head.chat() ? "chat.completion.chunk" : "text_completion");
      last.putArray("choices");
      last.set("usage", usage);
      sse.data(last);
    }
    sse.done();
  }

  private static ObjectNode delta(Reply reply, String piece) {
    ObjectNode delta = JSON.createObjectNode();
    if (reply instanceof Reply.ToolCall) {
      delta.putArray("tool_calls").addObject().put("index", 0).putObject("function")
          .put("arguments", piece);
    } else {
      delta.put("content", piece);
    }
    return delta;
  }

  private static ObjectNode toolCall(Reply.ToolCall tc, String callId) {
    ObjectNode out = JSON.createObjectNode().put("id", callId)
        .put("type", "function");
    out.putObject("function").put("name", tc.name()).put("arguments", tc.arguments());
    return out;
  }

  private static String text(Reply reply) {
    return ((Reply.Text) reply).text();
  }

  private static String finish(Reply reply) {
    return switch (reply) {
      case Reply.ToolCall tc -> "tool_calls";
      case Reply.Text t -> t.finish() == Reply.Finish.LENGTH ? "length" : "stop";
    };
  }
}
