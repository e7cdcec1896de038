package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for an LLM endpoint, so Bound can be tried with no network and no key. It speaks the
 * OpenAI chat and completions API, accepts any model name, makes up a deterministic answer from
 * the prompt, paces it like a model would, and counts tokens honestly by its own rule: every run
 * of letters or digits, and every other non-space character, is one token.
 */
public final class SimulatedUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("\\s*(?:[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}])");
  private static final String[] WORDS = ("the a cache model answer energy token prompt request "
      + "gateway index vector server client reuse saves computes returns stores reads finds "
      + "quickly carefully again once every each other same new old small large simple useful "
      + "question context memory power carbon latency throughput batch layer weight attention "
      + "user admin document signed version scope tenant system message stream response "
      + "because while when where after before so and but or with from into over for of to "
      + "is are was can will should may often rarely usually").split(" ");

  private final Duration ttft;
  private final int tokensPerSecond;
  private final Function<String, String> answers;
  private final AtomicLong calls = new AtomicLong();
  private final Javalin app;

  private SimulatedUpstream(String host, int port, Duration ttft, int tokensPerSecond,
      Function<String, String> answers) {
    this.ttft = ttft;
    this.tokensPerSecond = tokensPerSecond;
    this.answers = answers;
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.http.compressionStrategy = CompressionStrategy.NONE;
      c.jetty.host = host;
      c.jetty.port = port;
      c.routes.post("/v1/chat/completions", ctx -> complete(ctx, true));
      c.routes.post("/v1/completions", ctx -> complete(ctx, false));
      c.routes.get("/v1/models", this::models);
      c.routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
      // Like OpenAI's, an unknown path or method is answered in the error shape.
      c.routes.error(404, ctx -> error(ctx, 404, "Unknown request URL: " + ctx.method() + " "
          + ctx.path() + "."));
      c.routes.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on "
          + ctx.path() + "."));
    });
    app.start();
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json");
    ObjectNode err = JSON.createObjectNode();
    err.putObject("error").put("message", message).put("type", "invalid_request_error")
        .putNull("param").putNull("code");
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
   * Starts on a free loopback port, answering from {@code answers}: it gets the last user message
   * (or the prompt) and returns the answer's text, or null for the made-up answer.
   */
  public static SimulatedUpstream start(Duration ttft, int tokensPerSecond,
      Function<String, String> answers) {
    return new SimulatedUpstream("127.0.0.1", 0, ttft, tokensPerSecond, answers);
  }

  /** The base URL to configure as Bound's upstream, ending in {@code /v1}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + app.port() + "/v1");
  }

  /** Completion requests answered so far, streamed or not. */
  public long calls() {
    return calls.get();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  private void models(Context ctx) {
    ObjectNode list = JSON.createObjectNode().put("object", "list");
    list.putArray("data").addObject().put("id", "bound-simulated").put("object", "model")
        .put("created", 0).put("owned_by", "bound-demo");
    ctx.contentType("application/json").result(list.toString());
  }

  private void complete(Context ctx, boolean chat) throws Exception {
    JsonNode req;
    try {
      req = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new BadRequest("body is not valid JSON");
    }
    if (req == null || !req.isObject() || !req.path("model").isTextual()) {
      throw new BadRequest("body must be a JSON object with a string 'model'");
    }
    String model = req.get("model").asText();
    String prompt;
    int promptTokens;
    if (chat) {
      JsonNode messages = req.path("messages");
      if (!messages.isArray() || messages.isEmpty()) {
        throw new BadRequest("'messages' must be a non-empty array");
      }
      StringBuilder all = new StringBuilder();
      promptTokens = 3; // the reply's priming, as chat formats add
      for (JsonNode m : messages) {
        String text = text(m.path("content"));
        all.append(m.path("role").asText()).append(':').append(text).append('\n');
        promptTokens += 4 + count(text); // role and separators, then the content
      }
      prompt = all.toString();
    } else {
      prompt = text(req.path("prompt"));
      promptTokens = count(prompt);
    }
    calls.incrementAndGet();
    String lastLine = chat ? text(req.get("messages").get(req.get("messages").size() - 1)
        .path("content")) : prompt;
    String scripted = answers.apply(lastLine);
    List<String> tokens = tokens(scripted != null ? scripted : answer(model, prompt, lastLine));
    int max = req.path("max_tokens").asInt(req.path("max_completion_tokens").asInt(0));
    String finish = "stop";
    if (max > 0 && tokens.size() > max) {
      tokens = tokens.subList(0, max);
      finish = "length";
    }
    String id = (chat ? "chatcmpl-sim" : "cmpl-sim") + Long.toHexString(seed(prompt + calls));
    long created = System.currentTimeMillis() / 1000;
    ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", promptTokens)
        .put("completion_tokens", tokens.size())
        .put("total_tokens", promptTokens + tokens.size());
    if (req.path("stream").asBoolean(false)) {
      boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
      stream(ctx, chat, id, created, model, tokens, finish, includeUsage ? usage : null);
      return;
    }
    pause(ttft.toNanos() + perToken() * tokens.size());
    ObjectNode resp = JSON.createObjectNode().put("id", id)
        .put("object", chat ? "chat.completion" : "text_completion")
        .put("created", created).put("model", model);
    ObjectNode choice = resp.putArray("choices").addObject().put("index", 0);
    String text = String.join("", tokens);
    if (chat) {
      choice.putObject("message").put("role", "assistant").put("content", text);
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs").put("finish_reason", finish);
    resp.set("usage", usage);
    ctx.contentType("application/json").result(resp.toString());
  }

  private void stream(Context ctx, boolean chat, String id, long created, String model,
      List<String> tokens, String finish, ObjectNode usage) throws IOException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream");
    ctx.res().setHeader("Cache-Control", "no-cache");
    OutputStream out = ctx.res().getOutputStream();
    pause(ttft.toNanos());
    if (chat) {
      send(out, chunk(chat, id, created, model, JSON.createObjectNode().put("role", "assistant")
          .put("content", ""), null));
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (i > 0) {
        pause(perToken());
      }
      ObjectNode delta = JSON.createObjectNode().put("content", tokens.get(i));
      send(out, chunk(chat, id, created, model, delta, null));
    }
    send(out, chunk(chat, id, created, model, JSON.createObjectNode(), finish));
    if (usage != null) {
      ObjectNode last = JSON.createObjectNode().put("id", id)
          .put("object", chat ? "chat.completion.chunk" : "text_completion")
          .put("created", created).put("model", model);
      last.putArray("choices");
      last.set("usage", usage);
      send(out, last);
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode chunk(boolean chat, String id, long created, String model,
      ObjectNode delta, String finish) {
    ObjectNode c = JSON.createObjectNode().put("id", id)
        .put("object", chat ? "chat.completion.chunk" : "text_completion")
        .put("created", created).put("model", model);
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

  private static void send(OutputStream out, ObjectNode event) throws IOException {
    out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private long perToken() {
    return tokensPerSecond == 0 ? 0 : 1_000_000_000L / tokensPerSecond;
  }

  private static void pause(long nanos) {
    if (nanos > 0) {
      try {
        Thread.sleep(Duration.ofNanos(nanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The answer for a prompt: the same prompt and model always give the same words. */
  static String answer(String model, String prompt, String question) {
    SplittableRandom rnd = new SplittableRandom(seed(model + '\u0000' + prompt));
    String topic = question.strip().replaceAll("\\s+", " ");
    if (topic.length() > 60) {
      topic = topic.substring(0, 60).strip() + "...";
    }
    StringBuilder sb = new StringBuilder("This is a simulated answer to \"").append(topic)
        .append("\".");
    int sentences = 2 + rnd.nextInt(4);
    for (int s = 0; s < sentences; s++) {
      int words = 6 + rnd.nextInt(9);
      for (int w = 0; w < words; w++) {
        String word = WORDS[rnd.nextInt(WORDS.length)];
        if (w == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
        sb.append(' ').append(word);
      }
      sb.append('.');
    }
    return sb.toString();
  }

  /** Splits text into tokens that concatenate back to it exactly. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static int count(String text) {
    int n = 0;
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.isTextual()) {
        sb.append(part.asText());
      } else if (part.path("text").isTextual()) {
        sb.append(part.get("text").asText());
      }
    }
    return sb.toString();
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
