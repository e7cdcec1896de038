package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.gateway.protocol.ProtocolRequest;
import dev.bound.gateway.protocol.SseReader;
import dev.bound.gateway.protocol.StreamCollector;
import io.javalin.http.Context;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A miss: asks the upstream, passes its answer on as it arrives, whole or streamed, and stores
 * it when it is complete and fit to keep.
 */
final class UpstreamForward {
  /** Cosine between two answers' embeddings above which they are taken to say the same. */
  static final double SAME_ANSWER = 0.9;

  private final BoundConfig cfg;
  private final Upstream upstream;
  private final AnswerCache cache;
  private final ScheduledExecutorService timers;
  private final BoundDocuments documents;
  private final ModelVersions versions;

  UpstreamForward(BoundConfig cfg, Upstream upstream, AnswerCache cache,
      ScheduledExecutorService timers, BoundDocuments documents, ModelVersions versions) {
    this.cfg = cfg;
    this.upstream = upstream;
    this.cache = cache;
    this.timers = timers;
    this.documents = documents;
    this.versions = versions;
  }

  void miss(Context ctx, Protocol protocol, ProtocolRequest req, AnswerCache.Probe probe,
      boolean store, Exchange x) {
    if (req.canonical().stream()) {
      stream(ctx, protocol, req, probe, store, x);
    } else {
      plain(ctx, protocol, req, probe, store, x);
    }
  }

  private void plain(Context ctx, Protocol protocol, ProtocolRequest req,
      AnswerCache.Probe probe, boolean store, Exchange x) {
    long u0 = System.nanoTime();
    HttpResponse<byte[]> r = upstream.send("POST", upstream.resolve(protocol.path(), null),
        Http.requestHeaders(ctx), req.upstreamBody(store), protocol.keyInXApiKey());
    x.upstreamNanos = System.nanoTime() - u0;
    Http.copyResponseHeaders(ctx, r);
    ctx.status(r.statusCode());
    ctx.result(r.body());
    x.upstreamStatus = r.statusCode();
    if (r.statusCode() != 200 || !Http.identityEncoded(r)) {
      return;
    }
    JsonNode body = Json.parseOrNull(r.body());
    ObjectNode answer = body == null ? null : req.canonicalAnswer(body);
    if (answer == null) {
      x.notStored = "the upstream's answer is not a complete " + protocol.name() + " answer";
      return;
    }
    learn(req, probe, answer, store, x);
  }

  /**
   * Passes the upstream's events through one by one as they arrive while its protocol's
   * collector rebuilds the whole answer; stores it only if the stream finished normally.
   */
  private void stream(Context ctx, Protocol protocol, ProtocolRequest req,
      AnswerCache.Probe probe, boolean store, Exchange x) {
    long u0 = System.nanoTime();
    HttpResponse<InputStream> r = upstream.open("POST", upstream.resolve(protocol.path(), null),
        Http.requestHeaders(ctx), req.upstreamBody(store), protocol.keyInXApiKey());
    x.upstreamStatus = r.statusCode();
    String type = r.headers().firstValue("content-type").orElse("");
    if (r.statusCode() != 200 || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      Http.relay(ctx, r);
      x.upstreamNanos = System.nanoTime() - u0;
      return;
    }
    ctx.status(200);
    Http.copyResponseHeaders(ctx, r);
    StreamCollector collector = req.collector(store);
    AtomicBoolean timedOut = new AtomicBoolean();
    boolean clientGone = pump(ctx, r.body(), collector, timedOut);
    x.upstreamNanos = System.nanoTime() - u0;
    if (timedOut.get()) {
      collector.fail("timed out");
      x.error = "upstream_timeout";
      tellClient(ctx, "The upstream did not finish within upstream.timeout ("
          + cfg.upstream().timeout().toMillis() + " ms); the answer is incomplete.");
    }
    if (clientGone) {
      collector.fail("the client went away");
      x.aborted = true;
    }
    String why = collector.incomplete();
    if (why != null) {
      x.notStored = why;
      return;
    }
    learn(req, probe, collector.answer(), store, x);
  }

  /**
   * Copies events from the upstream to the client until either side stops. The upstream.timeout
   * bounds the whole stream, not just its first byte: a stalled stream is cut, and what was
   * sent so far is not stored.
   *
   * @return whether the client went away
   */
  private boolean pump(Context ctx, InputStream raw, StreamCollector collector,
      AtomicBoolean timedOut) {
    ScheduledFuture<?> watchdog = timers.schedule(() -> {
      timedOut.set(true);
      closeQuietly(raw);
    }, cfg.upstream().timeout().toMillis(), TimeUnit.MILLISECONDS);
    boolean[] clientGone = {false};
    try (InputStream in = new BufferedInputStream(raw)) {
      OutputStream out = ctx.res().getOutputStream();
      SseReader.read(in, event -> {
        if (!collector.accept(event)) {
          return true;
        }
        try {
          out.write(event.raw());
          out.flush();
          return true;
        } catch (IOException e) {
          clientGone[0] = true;
          return false;
        }
      });
    } catch (IOException e) {
      collector.fail(timedOut.get() ? "timed out" : "the upstream broke off");
    } finally {
      watchdog.cancel(false);
    }
    return clientGone[0];
  }

  /** Keeps what a complete answer teaches: the model version, the exploration, the entry. */
  private void learn(ProtocolRequest req, AnswerCache.Probe probe, ObjectNode answer,
      boolean store, Exchange x) {
    String model = req.canonical().model();
    versions.seen(model, answer.path("model").asText(null)).ifPresent(documents::modelChanged);
    verifyExplored(probe, answer, model);
    if (!store) {
      return;
    }
    if (Answers.storable(answer, req.canonical(), cfg.cache().toolCalls())) {
      x.stored = cache.storeLater(probe, answer.path("model").asText(model), Json.text(answer));
      x.usage(answer);
    } else {
      x.notStored = Answers.asksForJson(req.canonical()) && !Answers.allJson(answer)
          ? "JSON was asked for and the answer does not parse as JSON"
          : "not a finished answer cache policy keeps (see cache.tool-calls)";
    }
  }

  /**
   * When a would-be hit was sent upstream to learn from, compares the fresh answer with the
   * stored one, off the response path: the same text, or a cosine of at least
   * {@value #SAME_ANSWER} between their embeddings, counts as "the hit would have been right".
   */
  private void verifyExplored(AnswerCache.Probe probe, JsonNode fresh, String model) {
    Matching.Judged j = probe.explore;
    if (j == null || fresh.path("choices").isEmpty()) {
      return;
    }
    cache.later(() -> {
      JsonNode stored = Json.parseOrNull(
          j.candidate().entry().response().getBytes(StandardCharsets.UTF_8));
      String a = Scope.normalize(text(fresh));
      String b = stored == null ? "" : Scope.normalize(text(stored));
      boolean same = a.equals(b) || (!a.isEmpty() && !b.isEmpty()
          && AnswerCache.dot(cache.embedder().embed(a), cache.embedder().embed(b))
          >= SAME_ANSWER);
      cache.matching().verified(j, model, same);
    });
  }

  private static String text(JsonNode answer) {
    JsonNode c = answer.path("choices").path(0);
    return c.path("message").path("content").asText(c.path("text").asText(""));
  }

  /** Ends a stream with an error event, as the OpenAI API does, if the client is still there. */
  private static void tellClient(Context ctx, String message) {
    try {
      OutputStream out = ctx.res().getOutputStream();
      out.write(("data: " + new String(Json.error(message, "upstream_error", null,
          "upstream_timeout"), StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // the client is gone as well
    }
  }


  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }
}
