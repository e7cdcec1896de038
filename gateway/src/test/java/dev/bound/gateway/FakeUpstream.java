package dev.bound.gateway;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** An upstream whose answers a test scripts, counting the requests that reach it. */
public final class FakeUpstream implements AutoCloseable {
  /** Writes the answer to one request. */
  public interface Script {
    void answer(Context ctx) throws Exception;
  }

  public final AtomicInteger calls = new AtomicInteger();
  private final Javalin app;

  public FakeUpstream(Script script) {
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.routes.post("/v1/*", ctx -> {
        calls.incrementAndGet();
        script.answer(ctx);
      });
      c.routes.get("/v1/*", ctx -> {
        calls.incrementAndGet();
        script.answer(ctx);
      });
    }).start("127.0.0.1", 0);
  }

  /**
   * Answers every chat as model {@code version} with the text "The <version> answer to
   * <question>", after showing the request to {@code seen}.
   */
  static FakeUpstream versioned(java.util.function.Supplier<String> version, Script seen) {
    return new FakeUpstream(ctx -> {
      seen.answer(ctx);
      answerAs(ctx, version.get());
    });
  }

  /** Writes the whole chat answer "The <version> answer to <question>". */
  static void answerAs(Context ctx, String version) throws Exception {
    String q = Json.MAPPER.readTree(ctx.body()).at("/messages/0/content").asText();
    var answer = Json.object().put("id", "c").put("object", "chat.completion")
        .put("created", 1).put("model", version);
    answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
        .putObject("message").put("role", "assistant")
        .put("content", "The " + version + " answer to " + q);
    answer.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 7)
        .put("total_tokens", 12);
    ctx.contentType("application/json").result(Json.bytes(answer));
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + app.port() + "/v1");
  }

  /** Starts an event stream and returns its body. */
  static OutputStream sse(Context ctx) throws Exception {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream");
    OutputStream out = ctx.res().getOutputStream();
    out.flush();
    return out;
  }

  static void event(OutputStream out, String data) throws Exception {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String chunk(String content, String finish) {
    return "{\"id\":\"chatcmpl-f\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"fake\",\"choices\":[{\"index\":0,\"delta\":"
        + (content == null ? "{}" : "{\"content\":\"" + content + "\"}")
        + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  @Override
  public void close() {
    app.stop();
  }
}
