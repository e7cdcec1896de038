package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.index.AnswerStore;
import dev.bound.index.StoreOptions;
import dev.bound.models.Embedder;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Embedders;
import dev.bound.models.Pooling;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Bound: the HTTP server, the cache and the link to the upstream. {@link #start} loads
 * the embedding model and opens the index before it accepts requests.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** Response headers that describe one hop and so are not copied from the upstream. */
  private static final Set<String> HOP_HEADERS = Set.of("connection", "keep-alive",
      "transfer-encoding", "content-length", "upgrade", "proxy-authenticate", "trailer", "te");
  private static final String ID_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final CachePolicy policy;
  private final AnswerCache cache;
  private final DecisionLog decisions;
  private final SecureRandom random = new SecureRandom();
  private final Embedder embedder;
  private final Javalin app;

  private Gateway(BoundConfig cfg, Clock clock, Embedder embedder, AnswerStore store,
      PrintStream logOut) {
    this.cfg = cfg;
    this.clock = clock;
    this.embedder = embedder;
    this.upstream = new Upstream(cfg.upstream());
    this.policy = new CachePolicy(cfg.cache());
    this.cache = new AnswerCache(embedder, store, clock);
    this.decisions = new DecisionLog(logOut, cfg.logDecisions());
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.http.compressionStrategy = CompressionStrategy.NONE;
      c.http.maxRequestSize = cfg.server().maxBodyBytes();
      c.jetty.host = cfg.server().host();
      c.jetty.port = cfg.server().port();
      c.routes.post("/v1/chat/completions", this::chat);
      c.routes.get("/healthz", ctx -> ctx.contentType("application/json")
          .result("{\"status\":\"ok\"}"));
      for (String path : List.of("/v1/*")) {
        c.routes.get(path, this::passThrough);
        c.routes.post(path, this::passThrough);
        c.routes.put(path, this::passThrough);
        c.routes.patch(path, this::passThrough);
        c.routes.delete(path, this::passThrough);
      }
      c.routes.exception(ApiException.class, (e, ctx) ->
          writeError(ctx, e.status, e.getMessage(), e.type, e.param, e.code));
      c.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, e.getStatus(),
          e.getStatus() == 404 ? "No route for " + ctx.method() + " " + ctx.path() + "."
              : e.getMessage(), "invalid_request_error", null, switch (e.getStatus()) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "request_too_large";
                default -> "http_" + e.getStatus();
              }));
      c.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        ApiException a = ApiException.internal();
        writeError(ctx, a.status, a.getMessage(), a.type, a.param, a.code);
      });
      c.routes.error(404, ctx -> {
        if (ctx.result() == null) {
          writeError(ctx, 404, "No route for " + ctx.method() + " " + ctx.path() + ".",
              "invalid_request_error", null, "not_found");
        }
      });
      c.routes.error(405, ctx -> {
        if (ctx.result() == null) {
          writeError(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + ".",
              "invalid_request_error", null, "method_not_allowed");
        }
      });
    });
  }

  /** Starts Bound with the system clock, writing decision lines to standard output. */
  public static Gateway start(BoundConfig cfg) {
    return start(cfg, Clock.systemUTC(), System.out);
  }

  /** Starts Bound; fails with an {@link IllegalStateException} saying what is wrong. */
  public static Gateway start(BoundConfig cfg, Clock clock, PrintStream logOut) {
    if (cfg.upstream().url() == null) {
      throw new IllegalStateException("upstream.url is required: pass --upstream URL or set "
          + "BOUND_UPSTREAM_URL (for example http://localhost:11434/v1)");
    }
    Path data = cfg.dataDir().toAbsolutePath().normalize();
    // DJL unpacks its native tokenizer library into a cache folder; keep it with Bound's state
    // rather than in the user's home directory.
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", data.resolve("djl").toString());
    }
    Embedder embedder = Embedders.open(modelSpec(cfg.embedding()), data.resolve("models"));
    AnswerStore store;
    try {
      store = AnswerStore.open(data.resolve("index"),
          new StoreOptions(embedder.name(), embedder.dimension(), cfg.cache().hotTierBytes()));
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
    Gateway g = new Gateway(cfg, clock, embedder, store, logOut);
    try {
      g.app.start();
    } catch (RuntimeException e) {
      g.cache.close();
      embedder.close();
      throw new IllegalStateException("cannot listen on " + cfg.server().host() + ":"
          + cfg.server().port() + ": " + rootMessage(e), e);
    }
    return g;
  }

  static EmbeddingModelSpec modelSpec(BoundConfig.Embedding e) {
    if (e.dir().isEmpty()) {
      if (!e.pooling().isEmpty()) {
        throw new IllegalStateException("embedding.pooling applies only with embedding.dir; the "
            + "built-in models set their own");
      }
      try {
        return EmbeddingModelSpec.builtin(e.model());
      } catch (IllegalArgumentException ex) {
        throw new IllegalStateException("embedding.model: " + ex.getMessage());
      }
    }
    Pooling pooling = e.pooling().equals("cls") ? Pooling.CLS : Pooling.MEAN;
    return new EmbeddingModelSpec(e.model(), Path.of(e.dir()), pooling, 512);
  }

  /** The port Bound listens on (useful when the configured port is 0). */
  public int port() {
    return app.port();
  }

  /** The base URL to give an OpenAI client, ending in {@code /v1}. */
  public URI url() {
    String host = cfg.server().host().equals("0.0.0.0") ? "127.0.0.1" : cfg.server().host();
    return URI.create("http://" + host + ":" + port() + "/v1");
  }

  /** Waits until every answer stored so far is searchable; for tests and orderly shutdown. */
  public void awaitIndexed() {
    cache.awaitIndexed();
  }

  /** Number of stored answers. */
  public long entries() {
    return cache.size();
  }

  @Override
  public void close() {
    app.stop();
    cache.close();
    embedder.close();
  }

  // ---- handlers ----

  private void chat(Context ctx) {
    long t0 = System.nanoTime();
    byte[] body = readBody(ctx);
    ChatRequest req = ChatRequest.parse(body);
    String tenant = Scope.tenant(ctx.header("X-Bound-Namespace"), ctx.header("Authorization"));
    double threshold = threshold(ctx.header("X-Bound-Threshold"));
    CachePolicy.Decision d = policy.decide(req, ctx.header("Cache-Control"),
        ctx.header("X-Bound-Cache"));
    ObjectNode log = Json.object();
    log.put("ts", clock.instant().toString());
    log.put("path", ctx.path());
    log.put("model", req.model);
    log.put("tenant", tenant);
    if (!d.lookup() && !d.store()) {
      ctx.header("X-Bound-Cache", "BYPASS");
      log.put("tier", "BYPASS");
      log.put("reason", d.reason());
      try {
        relay(ctx, upstream.open("POST", upstream.resolve("/chat/completions", null),
            requestHeaders(ctx), body), log);
      } finally {
        finish(log, t0);
      }
      return;
    }
    AnswerCache.Probe probe = cache.probe(Scope.of("chat.completions", req, tenant),
        req.lastUserText());
    try {
      if (d.lookup()) {
        Optional<AnswerCache.Hit> hit = cache.lookup(probe, threshold);
        if (hit.isPresent()) {
          respondHit(ctx, hit.get(), log);
          return;
        }
      }
      String tier = d.lookup() ? "MISS" : "BYPASS";
      log.put("tier", tier);
      if (d.reason() != null) {
        log.put("reason", d.reason());
      }
      HttpResponse<byte[]> r = upstream.send("POST", upstream.resolve("/chat/completions", null),
          requestHeaders(ctx), body);
      ctx.header("X-Bound-Cache", tier);
      copyResponseHeaders(ctx, r);
      ctx.status(r.statusCode());
      ctx.result(r.body());
      log.put("upstream_status", r.statusCode());
      if (d.store()) {
        JsonNode answer = storable(r);
        if (answer != null) {
          String model = answer.path("model").asText(req.model);
          log.put("stored", cache.storeLater(probe, model,
              new String(r.body(), StandardCharsets.UTF_8)));
          usage(log, answer);
        }
      }
    } finally {
      log.put("embed_ms", probe.embedNanos / 1e6);
      log.put("search_ms", probe.searchNanos / 1e6);
      finish(log, t0);
    }
  }

  private void respondHit(Context ctx, AnswerCache.Hit hit, ObjectNode log) {
    ObjectNode answer;
    try {
      answer = (ObjectNode) Json.MAPPER.readTree(hit.entry().response());
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("stored entry " + hit.entry().id() + " is not JSON", e);
    }
    answer.put("id", "chatcmpl-" + randomId(24));
    answer.put("created", clock.instant().getEpochSecond());
    String tier = hit.exact() ? "HIT-EXACT" : "HIT-SEMANTIC";
    long ageSeconds = Math.max(0, (clock.millis() - hit.entry().createdMillis()) / 1000);
    ctx.status(200);
    ctx.header("X-Bound-Cache", tier);
    ctx.header("X-Bound-Similarity", String.format(Locale.ROOT, "%.4f", hit.similarity()));
    ctx.header("X-Bound-Entry", hit.entry().id());
    ctx.header("Age", Long.toString(ageSeconds));
    ctx.contentType("application/json");
    ctx.result(Json.bytes(answer));
    log.put("tier", tier);
    log.put("similarity", Math.round(hit.similarity() * 10000) / 10000.0);
    log.put("entry", hit.entry().id());
    usage(log, answer);
  }

  private void passThrough(Context ctx) {
    String path = ctx.path().substring("/v1".length());
    byte[] body = readBody(ctx);
    relay(ctx, upstream.open(ctx.method().name(), upstream.resolve(path, ctx.queryString()),
        requestHeaders(ctx), body), null);
  }

  /** Copies an upstream answer to the client as it arrives, flushing each read (for SSE). */
  private void relay(Context ctx, HttpResponse<InputStream> r, ObjectNode log) {
    ctx.status(r.statusCode());
    copyResponseHeaders(ctx, r);
    if (log != null) {
      log.put("upstream_status", r.statusCode());
    }
    try (InputStream in = r.body()) {
      OutputStream out = ctx.res().getOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The client left or the upstream broke off; closing the body cancels the upstream call.
      LOG.debug("relay of {} ended early: {}", ctx.path(), e.toString());
    }
  }

  // ---- helpers ----

  private byte[] readBody(Context ctx) {
    long limit = cfg.server().maxBodyBytes();
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(limit);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw tooLarge(limit);
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.invalid("The request body could not be read: " + e.getMessage(), null,
          "invalid_body");
    }
  }

  private static ApiException tooLarge(long limit) {
    return ApiException.invalid("The request body is larger than server.max-body (" + limit
        + " bytes).", null, "request_too_large");
  }

  private double threshold(String header) {
    if (header == null) {
      return cfg.cache().threshold();
    }
    try {
      double t = Double.parseDouble(header.strip());
      if (t >= 0 && t <= 1) {
        return t;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ApiException.invalid("X-Bound-Threshold must be a number from 0 to 1.",
        "X-Bound-Threshold", "invalid_header");
  }

  private static Map<String, List<String>> requestHeaders(Context ctx) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : Collections.list(ctx.req().getHeaderNames())) {
      out.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
    }
    return out;
  }

  private static void copyResponseHeaders(Context ctx, HttpResponse<?> r) {
    r.headers().map().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        for (String v : values) {
          ctx.res().addHeader(name, v);
        }
      }
    });
  }

  /** The parsed answer if it is a complete, successful completion that policy lets us keep. */
  private JsonNode storable(HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      return null;
    }
    String encoding = r.headers().firstValue("content-encoding").orElse("identity");
    if (!encoding.equalsIgnoreCase("identity")) {
      return null;
    }
    JsonNode answer;
    try {
      answer = Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      return null;
    }
    JsonNode choices = answer.path("choices");
    if (!answer.isObject() || !choices.isArray() || choices.isEmpty()) {
      return null;
    }
    for (JsonNode choice : choices) {
      String finish = choice.path("finish_reason").asText("");
      boolean toolCall = choice.path("message").path("tool_calls").size() > 0
          || choice.path("message").has("function_call")
          || finish.equals("tool_calls") || finish.equals("function_call");
      if (toolCall ? !cfg.cache().toolCalls()
          : !(finish.equals("stop") || finish.equals("length"))) {
        return null;
      }
      if (!choice.path("message").isObject()) {
        return null;
      }
    }
    return answer;
  }

  private static void usage(ObjectNode log, JsonNode answer) {
    JsonNode u = answer.path("usage");
    if (u.isObject()) {
      log.put("prompt_tokens", u.path("prompt_tokens").asLong());
      log.put("completion_tokens", u.path("completion_tokens").asLong());
    }
  }

  private void finish(ObjectNode log, long t0) {
    log.put("latency_ms", Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
    decisions.write(log);
  }

  private String randomId(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return sb.toString();
  }

  private static void writeError(Context ctx, int status, String message, String type,
      String param, String code) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Json.error(message, type, param, code));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
