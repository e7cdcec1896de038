package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A stand-in for an LLM endpoint, so Bound can be tried with no network and no key. It accepts any
 * model name, makes up a deterministic answer from the prompt, paces it like a model would, and
 * counts tokens honestly by its own rule: every run of letters or digits, and every other
 * non-space character, is one token.
 *
 * <p>It speaks, each whole or streamed as the real API streams:
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} and {@code POST /v1/completions} (OpenAI);
 *   <li>{@code POST /v1/responses} (OpenAI's Responses API);
 *   <li>{@code POST /v1/messages} (Anthropic's Messages API, with its error shape);
 *   <li>{@code POST /v1/embeddings} (never streamed): a unit vector per input, drawn from a hash
 *       of it, 384 dimensions unless {@code dimensions} says otherwise, as floats or base64;
 *   <li>{@code GET /v1/models}.
 * </ul>
 *
 * <p>On every protocol the answer is decided the same way. When tools are offered and the client
 * forces one, or the last user message names one (underscores read as spaces) or says "use a
 * tool", "use the tool" or "call", the answer calls that tool, or the first, with arguments made
 * to fit its parameters' schema. A conversation ending in a tool's result gets "The tool
 * returned: ..." instead. A JSON schema response format gets JSON that fits the schema; a JSON
 * object format gets {@code {"answer": ...}}. Everything else gets made-up prose.
 */
public final class SimulatedUpstream implements AutoCloseable {
  /** The largest request body the simulator accepts. */
  static final long MAX_BODY = 64L << 20;

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong embeddedItems = new AtomicLong();
  private final Javalin app;

  private final Responder responder;

  private SimulatedUpstream(String host, int port, Duration ttft, int tokensPerSecond,
      Function<String, String> answers) {
    Pacer pacer = new Pacer(ttft, tokensPerSecond);
    this.responder = new Responder(answers);
    LongSupplier nextCall = calls::incrementAndGet;
    ChatProtocol chat = new ChatProtocol(responder, pacer, nextCall);
    ResponsesProtocol responses = new ResponsesProtocol(responder, pacer, nextCall);
    MessagesProtocol messages = new MessagesProtocol(responder, pacer, nextCall);
    Embeddings embeddings = new Embeddings(pacer, nextCall, embeddedItems::addAndGet);
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.http.compressionStrategy = CompressionStrategy.NONE;
      // Above the largest body Bound accepts by default (server.max-body, 4 MiB), so that what
      // Bound lets through is never refused here with Javalin's 1 MB default.
      c.http.maxRequestSize = MAX_BODY;
      c.jetty.host = host;
      c.jetty.port = port;
      c.routes.post("/v1/chat/completions", ctx -> chat.handle(ctx, true));
      c.routes.post("/v1/completions", ctx -> chat.handle(ctx, false));
      c.routes.post("/v1/responses", responses::handle);
      c.routes.post("/v1/messages", messages::handle);
      c.routes.post("/v1/embeddings", embeddings::handle);
      c.routes.get("/v1/models", SimulatedUpstream::models);
      c.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      // Like the real APIs, an unknown path or method is answered in the error shape.
      c.routes.error(404, ctx -> error(ctx, 404, "Unknown request URL: " + ctx.method() + " "
          + ctx.path() + "."));
      c.routes.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on "
          + ctx.path() + "."));
      c.routes.error(413, ctx -> error(ctx, 413, "The request body is larger than "
          + MAX_BODY + " bytes."));
    });
    app.start();
  }

  /** Every refusal, in OpenAI's error shape, or Anthropic's on Anthropic's path. */
  private static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json");
    ObjectNode err = JSON.createObjectNode();
    if (ctx.path().startsWith("/v1/messages")) {
      err.put("type", "error").putObject("error")
          .put("type", status == 404 ? "not_found_error" : "invalid_request_error")
          .put("message", message);
    } else {
      err.putObject("error").put("message", message).put("type", "invalid_request_error")
          .putNull("param").putNull("code");
    }
    ctx.result(err.toString());
  }

  /**
   * Starts on a free loopback port.
   *
   * @param ttft time before the first token
   * @param tokensPerSecond decoding speed; 0 answers at once after {@code ttft}
   */
  public static SimulatedUpstream start(Duration ttft, int tokensPerSecond) {
    return start(ttft, tokensPerSecond, q -> null);
  }

  /**
   * Starts on a free loopback port, answering from {@code answers}: it gets the last message's
   * text (or the prompt) and returns the answer's text, or null for the made-up answer. A tool
   * call, when one is due, comes before it.
   */
  public static SimulatedUpstream start(Duration ttft, int tokensPerSecond,
      Function<String, String> answers) {
    return new SimulatedUpstream("127.0.0.1", 0, ttft, tokensPerSecond, answers);
  }

  /**
   * Makes answers at a temperature above 0 differ from call to call, as a sampling model's do;
   * off by default, so that tests get the same answer for the same prompt.
   */
  public SimulatedUpstream sampling(boolean on) {
    responder.sampling(on);
    return this;
  }

  /** The base URL to configure as Bound's upstream, ending in {@code /v1}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + app.port() + "/v1");
  }

  /** Requests answered so far on any endpoint but {@code /v1/models}, streamed or not. */
  public long calls() {
    return calls.get();
  }

  /** Inputs embedded so far: each string or token array of every embeddings request counts one. */
  public long embeddedItems() {
    return embeddedItems.get();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static void models(Context ctx) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    list.putArray("data").addObject().put("id", "bound-simulated").put("object", "model")
        .put("created", 0).put("owned_by", "bound-demo");
    ctx.contentType("application/json").result(list.toString());
  }

  /** A 64-bit seed from the SHA-256 of a text: the same text, the same made-up answer. */
  public static long seed(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
