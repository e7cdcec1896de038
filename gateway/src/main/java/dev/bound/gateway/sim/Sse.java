package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes server-sent events, flushing each so the client sees tokens as they are paced. */
final class Sse {
  private final OutputStream out;

  private Sse(OutputStream out) {
    this.out = out;
  }

  /** Starts an event stream as the response to {@code ctx}. */
  static Sse open(Context ctx) throws IOException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream");
    ctx.res().setHeader("Cache-Control", "no-cache");
    return new Sse(ctx.res().getOutputStream());
  }

  /** An unnamed event, as OpenAI's chat and completions streams send them. */
  void data(JsonNode event) throws IOException {
    write("data: " + event + "\n\n");
  }

  /** A named event, as the Responses and Anthropic streams send them. */
  void event(String type, JsonNode data) throws IOException {
    write("event: " + type + "\ndata: " + data + "\n\n");
  }

  /** OpenAI's end-of-stream marker. */
  void done() throws IOException {
    write("data: [DONE]\n\n");
  }

  private void write(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
