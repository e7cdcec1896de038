package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.index.docs.DocMatch;
import dev.bound.index.docs.Document;
import io.javalin.http.Context;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The request path of the two cached endpoints: validate, decide, look up, and on a miss ask the
 * upstream and store its answer, streamed or not.
 */
final class CachedEndpoint {
  private static final String ID_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final CachePolicy policy;
  private final AnswerCache cache;
  private final DecisionLog decisions;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ScheduledExecutorService timers;
  private final EnergyAccounting energy;
  private final java.util.List<Outcome.Observer> observers;
  private final BoundDocuments documents;
  private final ModelVersions versions;
  private final SecureRandom random = new SecureRandom();

  CachedEndpoint(BoundConfig cfg, Clock clock, Upstream upstream, AnswerCache cache,
      DecisionLog decisions, ScheduledExecutorService timers, EnergyAccounting energy,
      java.util.List<Outcome.Observer> observers, BoundDocuments documents,
      ModelVersions versions) {
    this.cfg = cfg;
    this.documents = documents;
    this.versions = versions;
    this.energy = energy;
    this.observers = java.util.List.copyOf(observers);
    this.clock = clock;
    this.upstream = upstream;
    this.policy = new CachePolicy(cfg.cache());
    this.cache = cache;
    this.decisions = decisions;
    this.timers = timers;
  }

  void handle(Context ctx, Endpoint endpoint) {
    inFlight.incrementAndGet();
    try {
      handleCounted(ctx, endpoint);
    } finally {
      if (inFlight.decrementAndGet() == 0) {
        synchronized (inFlight) {
          inFlight.notifyAll();
        }
      }
    }
  }

  /**
   * Waits, at most {@code timeout}, until no request is between its start and the end of its
   * bookkeeping (decision line, ledger, metrics). A plain hit's body reaches the client before
   * that bookkeeping runs, so a caller that has read a response may otherwise be ahead of it.
   *
   * @return whether it went idle in time
   */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(inFlight, left);
      }
    }
    return true;
  }

  private void handleCounted(Context ctx, Endpoint endpoint) {
    long t0 = System.nanoTime();
    byte[] body = Http.readBody(ctx, cfg.server().maxBodyBytes());
    ApiRequest req = ApiRequest.parse(endpoint, body);
    String tenant = Scope.tenant(ctx.header("X-Bound-Namespace"), ctx.header("Authorization"));
    Double threshold = threshold(ctx.header("X-Bound-Threshold"));
    CachePolicy.Decision d = policy.decide(req, ctx.header("Cache-Control"),
        ctx.header("X-Bound-Cache"));
    ObjectNode log = Json.object();
    log.put("ts", clock.instant().toString());
    log.put("path", ctx.path());
    log.put("model", req.model);
    log.put("tenant", tenant);
    log.put("stream", req.stream);
    AnswerCache.Probe probe = null;
    // Set by serveHit, which must know the saving before it writes the headers.
    EnergyAccounting.Account[] hitAccount = new EnergyAccounting.Account[1];
    try {
      if (!d.lookup() && !d.store()) {
        ctx.header("X-Bound-Cache", "BYPASS");
        log.put("tier", "BYPASS");
        log.put("reason", d.reason());
        long u0 = System.nanoTime();
        HttpResponse<InputStream> r = upstream.open("POST", upstream.resolve(endpoint.path, null),
            Http.requestHeaders(ctx), body);
        log.put("upstream_status", r.statusCode());
        if (!Http.relay(ctx, r)) {
          log.put("aborted", true);
        }
        log.put("upstream_ns", System.nanoTime() - u0);
        return;
      }
      probe = cache.probe(Scope.of(req, tenant), req.queryText);
      if (d.lookup()) {
        Optional<DocMatch> doc = documents.match(req, tenant, probe, threshold);
        if (doc.isPresent()) {
          serveDocument(ctx, req, doc.get(), probe, log, hitAccount);
          return;
        }
        Optional<AnswerCache.Hit> hit = cache.lookup(probe, threshold);
        if (hit.isPresent() && serveHit(ctx, req, hit.get(), probe, log, hitAccount)) {
          return;
        }
        if (probe.refusal != null) {
          log.put("semantic_skipped", probe.refusal);
        }
        if (probe.explore != null) {
          log.put("explore", probe.explore.candidate().entry().id());
        }
        if (probe.judged != null && probe.judged.refusal() != null) {
          log.put("reason", probe.judged.refusal());
          log.put("score", Math.round(probe.judged.score() * 10000) / 10000.0);
        }
      }
      String tier = d.lookup() ? "MISS" : "BYPASS";
      log.put("tier", tier);
      if (d.reason() != null) {
        log.put("reason", d.reason());
      }
      ctx.header("X-Bound-Cache", tier);
      if (req.stream) {
        streamMiss(ctx, req, body, probe, d.store(), log);
      } else {
        plainMiss(ctx, req, body, probe, d.store(), log);
      }
    } catch (ApiException e) {
      log.put("error", e.code);
      throw e;
    } finally {
      long boundNanos = 0;
      if (probe != null) {
        boundNanos = probe.embedNanos + probe.searchNanos;
        log.put("embed_ms", Math.round(probe.embedNanos / 1e4) / 100.0);
        log.put("search_ms", Math.round(probe.searchNanos / 1e4) / 100.0);
      }
      String tier = log.path("tier").asText("BYPASS");
      EnergyAccounting.Account account = hitAccount[0] != null ? hitAccount[0]
          : energy.account(req.model, null, boundNanos);
      account.into(log, energy.deployment().currency());
      long latency = System.nanoTime() - t0;
      log.put("latency_ms", Math.round(latency / 1e4) / 100.0);
      long upstreamNanos = log.path("upstream_ns").asLong(0);
      log.remove("upstream_ns");
      if (upstreamNanos > 0) {
        log.put("upstream_ms", Math.round(upstreamNanos / 1e4) / 100.0);
      }
      decisions.write(log);
      Outcome o = new Outcome(clock.millis(), endpoint.scopeName, req.model, tenant, tier,
          log.path("similarity").asDouble(Double.NaN), req.stream,
          log.path("prompt_tokens").asLong(), log.path("completion_tokens").asLong(), account,
          latency, probe == null ? 0 : probe.embedNanos, probe == null ? 0 : probe.searchNanos,
          upstreamNanos, log.path("upstream_status").asInt(0),
          log.hasNonNull("error") ? log.get("error").asText()
              : log.path("aborted").asBoolean() ? "aborted" : null,
          log.hasNonNull("entry") ? log.get("entry").asText() : null);
      for (Outcome.Observer obs : observers) {
        obs.observe(o);
      }
    }
  }

  private void plainMiss(Context ctx, ApiRequest req, byte[] body, AnswerCache.Probe probe,
      boolean store, ObjectNode log) {
    long u0 = System.nanoTime();
    HttpResponse<byte[]> r = upstream.send("POST", upstream.resolve(req.endpoint.path, null),
        Http.requestHeaders(ctx), body);
    log.put("upstream_ns", System.nanoTime() - u0);
    Http.copyResponseHeaders(ctx, r);
    ctx.status(r.statusCode());
    ctx.result(r.body());
    log.put("upstream_status", r.statusCode());
    if (store && r.statusCode() == 200 && identity(r)) {
      JsonNode answer = parse(r.body());
      if (answer != null) {
        noteVersion(req.model, answer);
        verifyExplored(probe, answer, req.model);
      }
      if (answer != null && Answers.storable(answer, req.endpoint, cfg.cache().toolCalls())) {
        log.put("stored", cache.storeLater(probe, answer.path("model").asText(req.model),
            Json.text(answer)));
        usage(log, answer);
      }
    }
  }

  /**
   * Passes the upstream's events through one by one as they arrive while assembling the whole
   * answer; stores it only if the stream finished normally. The usage chunk Bound asked for on
   * the client's behalf is kept from the client.
   */
  private void streamMiss(Context ctx, ApiRequest req, byte[] body, AnswerCache.Probe probe,
      boolean store, ObjectNode log) {
    byte[] sent = body;
    boolean hideUsage = false;
    if (store && !req.includeUsage) {
      ObjectNode copy = req.json.deepCopy();
      copy.putObject("stream_options").put("include_usage", true);
      sent = Json.bytes(copy);
      hideUsage = true;
    }
    long u0 = System.nanoTime();
    HttpResponse<InputStream> r = upstream.open("POST", upstream.resolve(req.endpoint.path, null),
        Http.requestHeaders(ctx), sent);
    log.put("upstream_status", r.statusCode());
    String type = r.headers().firstValue("content-type").orElse("");
    if (r.statusCode() != 200 || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      Http.relay(ctx, r);
      return;
    }
    ctx.status(200);
    Http.copyResponseHeaders(ctx, r);
    StreamAssembler assembler = new StreamAssembler(req.endpoint);
    AtomicBoolean timedOut = new AtomicBoolean();
    InputStream raw = r.body();
    InputStream in = new BufferedInputStream(raw);
    // The upstream.timeout bounds the whole stream, not just its first byte: a stalled stream is
    // cut, and what was sent so far is not stored.
    ScheduledFuture<?> watchdog = timers.schedule(() -> {
      timedOut.set(true);
      closeQuietly(raw);
    }, cfg.upstream().timeout().toMillis(), TimeUnit.MILLISECONDS);
    boolean clientGone = false;
    try (in) {
      OutputStream out = ctx.res().getOutputStream();
      ByteArrayOutputStream event = new ByteArrayOutputStream();
      StringBuilder data = new StringBuilder();
      byte[] line;
      while ((line = readLine(in)) != null) {
        String text = new String(line, StandardCharsets.UTF_8).stripTrailing();
        if (!text.isEmpty()) {
          event.write(line);
          event.write('\n');
          if (text.startsWith("data:")) {
            if (!data.isEmpty()) {
              data.append('\n');
            }
            data.append(text.substring(5).strip());
          }
          continue;
        }
        if (event.size() == 0) {
          continue;
        }
        boolean forward = true;
        String payload = data.toString();
        if (payload.equals("[DONE]")) {
          assembler.done();
        } else if (!payload.isEmpty()) {
          JsonNode chunk = parse(payload.getBytes(StandardCharsets.UTF_8));
          if (chunk == null) {
            assembler.fail("a chunk is not JSON");
          } else {
            assembler.accept(chunk);
            forward = !(hideUsage && chunk.path("choices").isEmpty() && chunk.has("usage"));
          }
        }
        if (forward) {
          event.write('\n');
          try {
            event.writeTo(out);
            out.flush();
          } catch (IOException e) {
            clientGone = true;
            break;
          }
        }
        event.reset();
        data.setLength(0);
      }
    } catch (IOException e) {
      assembler.fail(timedOut.get() ? "timed out" : "the upstream broke off");
    } finally {
      watchdog.cancel(false);
      log.put("upstream_ns", System.nanoTime() - u0);
    }
    if (timedOut.get()) {
      assembler.fail("timed out");
      log.put("error", "upstream_timeout");
      tellClient(ctx, "The upstream did not finish within upstream.timeout ("
          + cfg.upstream().timeout().toMillis() + " ms); the answer is incomplete.");
    }
    if (clientGone) {
      assembler.fail("the client went away");
      log.put("aborted", true);
    }
    String why = assembler.incomplete();
    if (why != null) {
      log.put("not_stored", why);
      return;
    }
    ObjectNode answer = assembler.answer();
    noteVersion(req.model, answer);
    verifyExplored(probe, answer, req.model);
    if (store && Answers.storable(answer, req.endpoint, cfg.cache().toolCalls())) {
      log.put("stored", cache.storeLater(probe, answer.path("model").asText(req.model),
          Json.text(answer)));
      usage(log, answer);
    }
  }

  /**
   * Answers from a stored entry; returns false, having written nothing, when the entry may not
   * be served (it calls tools and cache.tool-calls has since been turned off).
   */
  private boolean serveHit(Context ctx, ApiRequest req, AnswerCache.Hit hit,
      AnswerCache.Probe probe, ObjectNode log, EnergyAccounting.Account[] account) {
    ObjectNode answer = (ObjectNode) parse(hit.entry().response()
        .getBytes(StandardCharsets.UTF_8));
    if (answer == null) {
      throw new IllegalStateException("stored entry " + hit.entry().id() + " is not JSON");
    }
    if (!cfg.cache().toolCalls() && Answers.anyCallsTools(answer)) {
      return false;
    }
    if (!cfg.cache().serveOldModelVersions()) {
      Optional<String> now = versions.current(req.model);
      if (now.isPresent() && !now.get().equals(hit.entry().model())) {
        log.put("skipped", hit.entry().id() + " was made by " + hit.entry().model() + ", not "
            + now.get());
        return false;
      }
    }
    answer.put("id", (req.endpoint == Endpoint.CHAT ? "chatcmpl-" : "cmpl-") + randomId(24));
    answer.put("created", clock.instant().getEpochSecond());
    String tier = hit.exact() ? "HIT-EXACT" : "HIT-SEMANTIC";
    if (!hit.exact()) {
      ctx.header("X-Bound-Score", String.format(Locale.ROOT, "%.4f", hit.score()));
      log.put("score", Math.round(hit.score() * 10000) / 10000.0);
      log.put("matcher", cache.matching().matcher.name());
      cache.matching().served(answer.get("id").asText(), hit.entry().id(), hit.score(),
          log.get("tenant").asText(), req.model);
    }
    long ageSeconds = Math.max(0, (clock.millis() - hit.entry().createdMillis()) / 1000);
    ctx.header("X-Bound-Entry", hit.entry().id());
    ctx.header("Age", Long.toString(ageSeconds));
    log.put("entry", hit.entry().id());
    writeStored(ctx, req, answer, tier, hit.similarity(), probe, log, account);
    return true;
  }

  private void serveDocument(Context ctx, ApiRequest req, DocMatch m, AnswerCache.Probe probe,
      ObjectNode log, EnergyAccounting.Account[] account) {
    Document doc = m.document();
    ObjectNode answer = BoundDocuments.answer(doc, req);
    answer.put("id", (req.endpoint == Endpoint.CHAT ? "chatcmpl-" : "cmpl-") + randomId(24));
    answer.put("created", clock.instant().getEpochSecond());
    String ref = doc.id() + "@" + doc.version();
    ctx.header("X-Bound-Document", ref);
    ctx.header("X-Bound-Signature", "kid=" + doc.kid() + "; sig=" + doc.signature());
    log.put("entry", ref);
    log.put("question", m.question());
    writeStored(ctx, req, answer, "HIT-BOUND", m.similarity(), probe, log, account);
  }

  /** Writes an answer served from storage (an entry or a document), plain or as a stream. */
  private void writeStored(Context ctx, ApiRequest req, ObjectNode answer, String tier,
      double similarity, AnswerCache.Probe probe, ObjectNode log,
      EnergyAccounting.Account[] account) {
    ctx.status(200);
    ctx.header("X-Bound-Cache", tier);
    ctx.header("X-Bound-Similarity", String.format(Locale.ROOT, "%.4f", similarity));
    EnergyAccounting.Account a = energy.account(answer.path("model").asText(req.model),
        answer.path("usage"), probe.embedNanos + probe.searchNanos);
    account[0] = a;
    ctx.header("X-Bound-Energy-Saved", wh(a.wh()));
    ctx.header("X-Bound-Energy-Saved-Low", wh(a.whLow()));
    ctx.header("X-Bound-Energy-Saved-High", wh(a.whHigh()));
    log.put("tier", tier);
    log.put("similarity", Math.round(similarity * 10000) / 10000.0);
    usage(log, answer);
    if (!req.stream) {
      // Written straight to the servlet stream: Javalin's result path wraps it in a compression
      // check that cost a tenth of an exact hit's CPU time, for a body Bound never compresses.
      byte[] bytes = Json.bytes(answer);
      ctx.contentType("application/json");
      ctx.res().setContentLength(bytes.length);
      try {
        ctx.res().getOutputStream().write(bytes);
      } catch (IOException e) {
        log.put("aborted", true);
      }
      return;
    }
    ctx.res().setContentType("text/event-stream");
    ctx.res().setHeader("Cache-Control", "no-cache");
    try {
      Replay.write(ctx.res().getOutputStream(), req.endpoint, answer, req.includeUsage,
          cfg.cache().replayTokensPerSecond());
    } catch (IOException e) {
      log.put("aborted", true);
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
      JsonNode stored = parse(j.candidate().entry().response().getBytes(StandardCharsets.UTF_8));
      String a = Scope.normalize(text(fresh));
      String b = stored == null ? "" : Scope.normalize(text(stored));
      boolean same = a.equals(b) || (!a.isEmpty() && !b.isEmpty()
          && AnswerCache.dot(cache.embedder().embed(a), cache.embedder().embed(b))
          >= SAME_ANSWER);
      cache.matching().verified(j, model, same);
    });
  }

  /** Cosine between two answers' embeddings above which they are taken to say the same. */
  static final double SAME_ANSWER = 0.9;

  private static String text(JsonNode answer) {
    JsonNode c = answer.path("choices").path(0);
    return c.path("message").path("content").asText(c.path("text").asText(""));
  }

  /** Records the model version an answer came from; a new one puts documents up for review. */
  private void noteVersion(String requested, JsonNode answer) {
    versions.seen(requested, answer.path("model").asText(null))
        .ifPresent(documents::modelChanged);
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

  /** Reads one line without its line feed; null at the end of the stream. */
  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toByteArray();
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toByteArray();
  }

  private static boolean identity(HttpResponse<?> r) {
    return r.headers().firstValue("content-encoding").orElse("identity")
        .equalsIgnoreCase("identity");
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  /** The request's own threshold, or null for the configured ones. */
  private static Double threshold(String header) {
    if (header == null) {
      return null;
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

  private static String wh(double v) {
    return EnergyAccounting.plain(v);
  }

  private static void usage(ObjectNode log, JsonNode answer) {
    JsonNode u = answer.path("usage");
    if (u.isObject()) {
      log.put("prompt_tokens", u.path("prompt_tokens").asLong());
      log.put("completion_tokens", u.path("completion_tokens").asLong());
    }
  }

  private String randomId(int length) {
    // One read of the system's random source per id, not one per character.
    byte[] b = new byte[length];
    random.nextBytes(b);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ID_CHARS.charAt((b[i] & 0xff) % ID_CHARS.length()));
    }
    return sb.toString();
  }
}
