package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;

/** OpenAI's Responses API, {@code POST /v1/responses}, whole or as its stream of typed events. */
final class ResponsesProtocol {
  private final Responder responder;
  private final Pacer pacer;
  private final LongSupplier nextCall;

  ResponsesProtocol(Responder responder, Pacer pacer, LongSupplier nextCall) {
    this.responder = responder;
    this.pacer = pacer;
    this.nextCall = nextCall;
  }

  void handle(Context ctx) throws IOException {
    ObjectNode req = Requests.body(ctx);
    Conversation c = ResponsesRequest.read(req);
    Reply reply = responder.reply(c);
    ResponseObject response = new ResponseObject(req, c, reply, nextCall.getAsLong(),
        System.currentTimeMillis() / 1000);
    if (req.path("stream").asBoolean(false)) {
      stream(new Events(Sse.open(ctx)), response, reply);
      return;
    }
    pacer.whole(reply.outputTokens());
    ctx.contentType("application/json").result(response.done().toString());
  }

  /** Numbers each event, as the API's {@code sequence_number} does. */
  private static final class Events {
    private final Sse sse;
    private int sequence;

    Events(Sse sse) {
      this.sse = sse;
    }

    /** A new event of the type, to fill in before {@link #send}. */
    ObjectNode of(String type) {
      return JSON.createObjectNode().put("type", type);
    }

    void send(ObjectNode event) throws IOException {
      event.put("sequence_number", sequence++);
      sse.event(event.get("type").asText(), event);
    }
  }

  private void stream(Events ev, ResponseObject response, Reply reply) throws IOException {
    ev.send(ev.of("response.created").set("response", response.inProgress()));
    ev.send(ev.of("response.in_progress").set("response", response.inProgress()));
    pacer.firstToken();
    ev.send(ev.of("response.output_item.added").put("output_index", 0)
        .set("item", response.item(false)));
    if (reply instanceof Reply.ToolCall tc) {
      arguments(ev, response.itemId(), tc);
    } else {
      text(ev, response.itemId(), (Reply.Text) reply);
    }
    ev.send(ev.of("response.output_item.done").put("output_index", 0)
        .set("item", response.item(true)));
    String last = response.incomplete() ? "response.incomplete" : "response.completed";
    ev.send(ev.of(last).set("response", response.done()));
  }

  private void arguments(Events ev, String itemId, Reply.ToolCall tc) throws IOException {
    List<String> pieces = tc.pieces();
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        pacer.nextToken();
      }
      ev.send(ev.of("response.function_call_arguments.delta").put("item_id", itemId)
          .put("output_index", 0).put("delta", pieces.get(i)));
    }
    ev.send(ev.of("response.function_call_arguments.done").put("item_id", itemId)
        .put("output_index", 0).put("name", tc.name()).put("arguments", tc.arguments()));
  }

  private void text(Events ev, String itemId, Reply.Text text) throws IOException {
    ev.send(at(ev.of("response.content_part.added"), itemId)
        .set("part", ResponseObject.part("")));
    List<String> pieces = text.pieces();
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) {
        pacer.nextToken();
      }
      ObjectNode delta = at(ev.of("response.output_text.delta"), itemId)
          .put("delta", pieces.get(i));
      delta.putArray("logprobs");
      ev.send(delta);
    }
    ObjectNode done = at(ev.of("response.output_text.done"), itemId).put("text", text.text());
    done.putArray("logprobs");
    ev.send(done);
    ev.send(at(ev.of("response.content_part.done"), itemId)
        .set("part", ResponseObject.part(text.text())));
  }

  /** The event placed at the answer's only item and content part. */
  private static ObjectNode at(ObjectNode event, String itemId) {
    return event.put("item_id", itemId).put("output_index", 0).put("content_index", 0);
  }
}
