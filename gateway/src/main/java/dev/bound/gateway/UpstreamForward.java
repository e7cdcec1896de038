package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.gateway.protocol.ProtocolRequest;
import dev.bound.gateway.protocol.SseReader;
import dev.bound.gateway.protocol.StreamCollector;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

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
  private final RunningShare lookupsFirst = new RunningShare(1, 1.0 / 8);

  UpstreamForward(BoundConfig cfg, Upstream upstream, AnswerCache cache,
      ScheduledExecutorService timers, BoundDocuments documents, ModelVersions versions) {
    this.cfg = cfg;
    this.upstream = upstream;
    this.cache = cache;
    this.timers = timers;
    this.documents = documents;
    this.versions = versions;
  }

  /**
   * Forwards a miss and passes the answer on. While a lookup runs beside the call ({@link
   * Exchange#beside}), finding something to serve before the upstream's answer has begun to
   * reach the client cuts the call short: nothing is written, and this returns false for the
   * caller to serve what was found.
   *
   * @return whether the request was answered (or its client left); false when superseded
   */
  boolean miss(Context ctx, Protocol protocol, ProtocolRequest req, AnswerCache.Probe probe,
      boolean store, Exchange x) {
    if (req.canonical().stream()) {
      return stream(ctx, protocol, req, probe, store, x);
    }
    return plain(ctx, protocol, req, probe, store, x);
  }

  /**
   * The running share of misses (about the last eight) whose lookup would have finished before
   * the upstream's answer began to reach the client (a whole answer: all of it in; a stream: its
   * first event): for a lookup beside the call, whether it had finished by then; for one run
   * before the call, whether it took less time than the call then did. Starts at one, as beside
   * a language model's answer a lookup is quick; six misses in a row whose lookup came second
   * take it below {@link StoredAnswers#BESIDE_FIRST}. A lookup beside a quicker upstream could
   * never serve what it finds.
   */
  double lookupsFirst() {
    return lookupsFirst.get();
  }

  /** Notes, once the upstream's answer begins to go to the client, whether a lookup was first. */
  private void began(long nanos, AnswerCache.Probe probe, Exchange x) {
    boolean first;
    if (x.beside != null) {
      first = x.beside.lendTo(probe);
    } else if (probe != null && probe.embedNanos + probe.searchNanos > 0) {
      first = probe.embedNanos + probe.searchNanos < nanos;
    } else {
      return; // not looked up: exact tier only, or shed
    }
    lookupsFirst.add(first);
  }

  /** Lets the lookup beside the call, if any, cut it short once it finds something to serve. */
  private static void race(UpstreamWatch watch, Exchange x) {
    if (x.beside != null) {
      x.beside.whenFound(watch::supersede);
    }
  }

  /**
   * Asks for a whole answer. The exchange, headers and body, is bounded by upstream.timeout
   * (a 504, and nothing stored, when it runs out) and ends as soon as the client leaves.
   */
  private boolean plain(Context ctx, Protocol protocol, ProtocolRequest req,
      AnswerCache.Probe probe, boolean store, Exchange x) {
    long u0 = System.nanoTime();
    URI uri = upstream.resolve(protocol.path(), null);
    String late = upstream.timeoutMessage(uri);
    long limit = cfg.cache().maxAnswerBytes();
    ClientLink client = ClientLink.of(ctx);
    byte[] answered;
    try (UpstreamWatch watch = new UpstreamWatch(timers, cfg.upstream().timeout(), client)) {
      race(watch, x);
      Upstream.Answer<InputStream> r = watch.await(upstream.start("POST", uri,
          Http.requestHeaders(ctx), req.upstreamBody(store), protocol.keyInXApiKey()),
          e -> upstream.failure(e, uri), late);
      byte[] body = r == null ? null : watch.readUpTo(r.body(), limit, announcedLength(r), late);
      x.upstreamNanos = System.nanoTime() - u0;
      // Nothing has gone to the client yet: a whole answer is sent once it is all in.
      if (watch.end() == UpstreamWatch.End.SUPERSEDED || body != null && !watch.commit()) {
        return superseded(r, u0, x);
      }
      if (body == null) {
        x.aborted = true;
        x.notStored = "the client went away";
        return true;
      }
      began(x.upstreamNanos, probe, x);
      x.upstreamStatus = r.statusCode();
      JsonNode parsed = null;
      boolean storable = Http.storableAnswer(r);
      if (body.length <= limit && storable) {
        parsed = Json.parseOrNull(body);
        if (parsed == null) {
          // Labelled JSON (or not labelled) and yet not JSON: no client can read it as an answer.
          x.notStored = "the upstream's answer is not valid JSON";
          throw ApiException.upstreamError("The upstream answered 200 with a body that is not "
              + "valid JSON.", "upstream_invalid_answer");
        }
      }
      Http.copyResponseHeaders(ctx, r);
      ctx.status(r.statusCode());
      if (body.length > limit) {
        if (client.swallowed()) {
          ctx.header("Connection", "close");
        }
        x.notStored = tooLarge(limit);
        Http.relayRest(ctx, body, r.body());
        return true;
      }
      if (r.statusCode() == 200 && !storable) {
        x.notStored = "the upstream's answer is not plain JSON (its Content-Type or "
            + "Content-Encoding)";
      } else if (storable) { // parsed above: it fits the limit
        ObjectNode answer = req.canonicalAnswer(parsed);
        if (answer == null) {
          x.notStored = "the upstream's answer is not a complete " + protocol.name() + " answer";
        } else {
          // Before the client has it, so that a repeat it sends at once is an exact hit.
          learn(req, probe, answer, store, x);
        }
      }
      answered = r.statusCode() >= 400 ? errorBody(ctx, req, r.statusCode(), body) : body;
    }
    // Sent whole, with its length, once the watch has stopped looking at the connection: the
    // client has its answer before the bookkeeping runs, and may send its next request at once,
    // whose first byte the watch must not take.
    if (client.swallowed()) {
      ctx.header("Connection", "close");
    }
    if (!Http.send(ctx, answered)) {
      x.aborted = true;
    }
    return true;
  }

  /** The body's length as its headers announce it, or -1 when they do not (chunked, say). */
  private static long announcedLength(Upstream.Answer<?> r) {
    try {
      return r.headers().firstValueAsLong("content-length").orElse(-1);
    } catch (NumberFormatException e) {
      return -1; // read as if unannounced; a size is only a hint here
    }
  }

  private static String tooLarge(long limit) {
    return "the answer is larger than cache.max-answer-bytes (" + limit + " bytes)";
  }

  /**
   * Passes the upstream's events through one by one as they arrive while its protocol's
   * collector rebuilds the whole answer; stores it only if the stream finished normally. A
   * stream the upstream cuts off, or that runs past upstream.timeout, ends with an error event
   * in the protocol's own form.
   */
  private boolean stream(Context ctx, Protocol protocol, ProtocolRequest req,
      AnswerCache.Probe probe, boolean store, Exchange x) {
    long u0 = System.nanoTime();
    URI uri = upstream.resolve(protocol.path(), null);
    String late = upstream.timeoutMessage(uri);
    // A client that stops reading is dropped at half server.idle-timeout, before Jetty's own
    // timeout would fail the write and with it the whole call.
    try (UpstreamWatch watch = new UpstreamWatch(timers, cfg.upstream().timeout(),
        ClientLink.of(ctx), cfg.server().idleTimeout().dividedBy(2))) {
      race(watch, x);
      Upstream.Answer<InputStream> r = watch.await(upstream.start("POST", uri,
          Http.requestHeaders(ctx), req.upstreamBody(store), protocol.keyInXApiKey()),
          e -> upstream.failure(e, uri), late);
      if (watch.end() == UpstreamWatch.End.SUPERSEDED) {
        return superseded(r, u0, x);
      }
      if (r == null) {
        x.aborted = true;
        x.notStored = "the client went away";
        return true;
      }
      String type = r.headers().firstValue("content-type").orElse("");
      if (r.statusCode() != 200
          || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
        if (!watch.commit()) {
          return superseded(r, u0, x);
        }
        began(System.nanoTime() - u0, probe, x);
        x.upstreamStatus = r.statusCode();
        watch.onEnd(() -> UpstreamWatch.closeQuietly(r.body()));
        x.aborted = !(r.statusCode() >= 400 ? relayError(ctx, req, r, watch, late)
            : Http.relay(ctx, r));
        x.upstreamNanos = System.nanoTime() - u0;
        return true;
      }
      // The stream goes to the client from its first event on: until then (an upstream may
      // send its headers long before its first token) a lookup beside may still cut it short.
      BooleanSupplier begin = () -> {
        if (!watch.commit()) {
          return false;
        }
        began(System.nanoTime() - u0, probe, x);
        x.upstreamStatus = 200;
        ctx.status(200);
        Http.copyResponseHeaders(ctx, r);
        return true;
      };
      StreamCollector collector = req.collector(store);
      boolean[] settled = {false};
      // Once, and before the client sees the stream's last event when it ends normally: a
      // client that saw the end of its stream may rely on the answer being stored (journaled).
      Runnable settle = () -> {
        if (!settled[0]) {
          settled[0] = true;
          keepIfComplete(req, probe, collector, store, x);
        }
      };
      Pumped p = pump(ctx, req, r.body(), collector, watch, begin, () -> {
        if (watch.end() == UpstreamWatch.End.NONE) {
          settle.run();
        }
      });
      if (!p.begun()) {
        if (watch.end() == UpstreamWatch.End.SUPERSEDED || !watch.commit()) {
          return superseded(r, u0, x);
        }
        if (watch.end() == UpstreamWatch.End.NONE) {
          throw emptyStream(p, x, u0);
        }
        begin.getAsBoolean();
      }
      x.upstreamNanos = System.nanoTime() - u0;
      finishStream(ctx, req, collector, p, watch.end(), x);
      settle.run();
    }
    return true;
  }

  /** Stores a collected stream's answer if it is complete; otherwise notes why not. */
  private void keepIfComplete(ProtocolRequest req, AnswerCache.Probe probe,
      StreamCollector collector, boolean store, Exchange x) {
    String why = collector.incomplete();
    if (why != null) {
      x.notStored = why;
      return;
    }
    learn(req, probe, collector.answer(), store, x);
  }

  /**
   * Passes on the upstream's error answer to a streamed request in the form the protocol's
   * clients read errors (Anthropic's for Messages); read whole first, as it is small, unless it
   * is over cache.max-answer-bytes, which is passed on as it came. Returns false when either
   * side broke off.
   */
  private boolean relayError(Context ctx, ProtocolRequest req, Upstream.Answer<InputStream> r,
      UpstreamWatch watch, String late) {
    long limit = cfg.cache().maxAnswerBytes();
    byte[] body = watch.readUpTo(r.body(), limit, announcedLength(r), late);
    if (body == null) {
      return false;
    }
    ctx.status(r.statusCode());
    Http.copyResponseHeaders(ctx, r);
    if (body.length > limit) {
      return Http.relayRest(ctx, body, r.body());
    }
    return Http.send(ctx, errorBody(ctx, req, r.statusCode(), body));
  }

  /** The upstream's error in the asking API's own shape, labelled JSON when it was reshaped. */
  private static byte[] errorBody(Context ctx, ProtocolRequest req, int status, byte[] body) {
    byte[] shaped = req.errorAnswer(status, body);
    if (shaped != body) {
      ctx.contentType("application/json");
    }
    return shaped;
  }

  /** What a client is told of an upstream event over {@link SseReader#MAX_EVENT_BYTES}. */
  private static final String EVENT_TOO_LARGE = "The upstream sent an event larger than "
      + (SseReader.MAX_EVENT_BYTES >> 20) + " MiB, more than Bound reads";

  /**
   * What the client is told of a stream that ended before its first event: nothing has gone
   * to it yet, so a whole error in its protocol's shape rather than a stream of one error event
   * (or, before, a 200 with nothing in it).
   */
  private static ApiException emptyStream(Pumped p, Exchange x, long u0) {
    x.upstreamNanos = System.nanoTime() - u0;
    if (p.eventTooLarge()) {
      x.notStored = SseReader.tooLarge(SseReader.MAX_EVENT_BYTES);
      return ApiException.upstreamError(EVENT_TOO_LARGE + ".", "upstream_event_too_large");
    }
    x.notStored = "the upstream's stream ended before its first event";
    return ApiException.upstreamError("The upstream's event stream ended before its first "
        + "event; there is no answer.", "upstream_empty_stream");
  }

  /** Ends a call the lookup beside it cut short, having passed nothing on; returns false. */
  private static boolean superseded(Upstream.Answer<InputStream> r, long u0, Exchange x) {
    x.upstreamNanos = System.nanoTime() - u0;
    if (r != null) {
      UpstreamWatch.closeQuietly(r.body());
    }
    return false;
  }

  /** What a pumped stream came to, and whether any of it went to the client. */
  private record Pumped(boolean clientGone, boolean begun,
      boolean eventTooLarge, boolean clientTooSlow, boolean clientDropped) {}

  /** Marks an ended stream's answer unfit where it is, and tells the client why if it is cut. */
  private void finishStream(Context ctx, ProtocolRequest req, StreamCollector collector,
      Pumped p, UpstreamWatch.End end, Exchange x) {
    if (p.clientDropped()) {
      // The client stopped reading and was dropped; what the upstream still sent was read
      // on, without it, for as long as the answer could still be stored. An abort, not an
      // upstream error, in the metrics.
      x.aborted = true;
      collector.fail(end == UpstreamWatch.End.TIMED_OUT ? "timed out"
          : "client_too_slow: the client stopped reading, and its answer was not finished");
      return;
    }
    if (p.clientTooSlow()) {
      // Writes to a client that stops reading block, and hold the upstream back with them,
      // until server.idle-timeout ends them: Bound buffers no more than the sockets do.
      // An abort, not an upstream error, in the metrics.
      collector.fail("client_too_slow: the client stopped reading for server.idle-timeout");
      x.aborted = true;
      return;
    }
    if (p.clientGone() || end == UpstreamWatch.End.CLIENT_GONE) {
      collector.fail("the client went away");
      x.aborted = true;
      return;
    }
    if (p.eventTooLarge()) {
      x.error = "upstream_event_too_large";
      tellClient(ctx, req.errorEvent(EVENT_TOO_LARGE + "; the answer is cut off here.",
          "upstream_event_too_large", collector.nextSequence()));
    } else if (end == UpstreamWatch.End.TIMED_OUT) {
      collector.fail("timed out");
      x.error = "upstream_timeout";
      tellClient(ctx, req.errorEvent("The upstream did not finish within upstream.timeout ("
          + cfg.upstream().timeout().toMillis() + " ms); the answer is incomplete.",
          "upstream_timeout", collector.nextSequence()));
    } else if (!collector.ended() && !collector.upstreamError()) {
      collector.fail("the upstream broke off");
      x.error = "upstream_broke_off";
      tellClient(ctx, req.errorEvent("The upstream ended the stream before its answer was "
          + "complete.", "upstream_broke_off", collector.nextSequence()));
    }
  }

  /**
   * Copies events from the upstream to the client until either side stops, the watch ends the
   * call, or the protocol's last event has passed: what an upstream sends after that (a chunk
   * after {@code [DONE]}) is neither passed on nor collected. What was sent of an unfinished
   * stream is not stored. {@code begin} runs before the first event is written, and writes
   * nothing when it returns false; {@code beforeLast} runs before the last event is written.
   */
  private Pumped pump(Context ctx, ProtocolRequest req, InputStream raw,
      StreamCollector collector,
      UpstreamWatch watch, BooleanSupplier begin, Runnable beforeLast) {
    watch.onEnd(() -> UpstreamWatch.closeQuietly(raw));
    boolean[] clientGone = {false};
    boolean[] begun = {false};
    boolean[] tooLarge = {false};
    boolean[] tooSlow = {false};
    boolean[] dropped = {false};
    try (InputStream in = raw) {
      OutputStream out = ctx.res().getOutputStream();
      SseReader.read(in, event -> {
        if (!begun[0] && !(begun[0] = begin.getAsBoolean())) {
          return false; // cut short for an answer from storage
        }
        boolean pass = collector.accept(event);
        // What the answer holds so far, not the stream's bytes, which repeat an id, a model
        // and a time in every chunk: the limit is on the answer as stored. Past it, the
        // collector stops collecting, so an endless stream does not grow memory either.
        if (collector.collected() > cfg.cache().maxAnswerBytes()) {
          collector.fail(tooLarge(cfg.cache().maxAnswerBytes()));
        }
        boolean last = collector.ended();
        if (last) {
          beforeLast.run();
        }
        if (!pass || dropped[0]) {
          // Without its client, the answer is read on only while it may still be stored.
          return !last && !(dropped[0] && collector.failed());
        }
        watch.writing();
        try {
          out.write(req.passedOn(event, collector.nextSequence()));
          out.flush();
          return !last;
        } catch (IOException e) {
          if (watch.clientDropped()) {
            dropped[0] = true;
            return !last && !collector.failed();
          }
          clientGone[0] = true;
          // ran out of time rather than found the client gone
          tooSlow[0] = Causes.find(e, TimeoutException.class) != null;
          return false;
        } finally {
          watch.written();
        }
      });
      if (collector.ended() && !clientGone[0]) {
        drain(in);
      }
    } catch (SseReader.EventTooLargeException e) {
      collector.fail(e.getMessage());
      tooLarge[0] = true;
    } catch (IOException e) {
      collector.fail("the upstream broke off");
    }
    return new Pumped(clientGone[0], begun[0], tooLarge[0], tooSlow[0], dropped[0]);
  }

  /**
   * How long, and how much, is read past a stream's last event, so that a connection whose body
   * ends there goes back to the pool; one that sends more, or holds its stream open, is closed.
   */
  static final long DRAIN_MS = 100;
  static final int DRAIN_BYTES = 64 * 1024;

  /** Reads what is left of a body within {@link #DRAIN_MS} and {@link #DRAIN_BYTES}. */
  private void drain(InputStream in) {
    // Closing the body from the timer cancels its call, which ends a read blocked on it.
    ScheduledFuture<?> cut = timers.schedule(() -> UpstreamWatch.closeQuietly(in), DRAIN_MS,
        TimeUnit.MILLISECONDS);
    try {
      byte[] buf = new byte[8192];
      long read = 0;
      int n;
      while (read <= DRAIN_BYTES && (n = in.read(buf)) >= 0) {
        read += n;
      }
    } catch (IOException e) {
      // cut off: the connection is closed rather than reused
    } finally {
      cut.cancel(false);
    }
  }

  /** Keeps what a complete answer teaches: the model version, the exploration, the entry. */
  private void learn(ProtocolRequest req, AnswerCache.Probe probe, ObjectNode answer,
      boolean store, Exchange x) {
    String model = req.canonical().model();
    versions.seen(model, answer.path("model").asText(null)).ifPresent(documents::modelChanged);
    if (x.beside != null && !x.beside.lendTo(probe)) {
      // The lookup beside is still running. The client does not wait for it: the answer is
      // stored with the vector the lookup is making once it comes, on the indexer's thread
      // (within the semantic budget; a request shed on a crowded CPU does not wait for it), and
      // a would-be hit it explores is checked against this answer once it has run.
      if (!probe.shed) {
        probe.vectorSoon = x.beside.vectorSoon(cfg.cache().admission().budget());
      }
      x.beside.whenDone(found -> verifyExplored(found, answer, model));
    } else {
      verifyExplored(probe, answer, model);
    }
    if (!store) {
      return;
    }
    String text = Json.text(answer);
    boolean storable = Answers.storable(answer, req.canonical(), cfg.cache().toolCalls());
    if (storable && utf8Length(text) > cfg.cache().maxAnswerBytes()) {
      x.notStored = tooLarge(cfg.cache().maxAnswerBytes());
    } else if (storable) {
      // Asked before the answer is handed over, so that the line tells what the index was
      // known to be when it took this answer, not whether the indexer's thread has already met
      // a full disk with it by the time the line is written.
      boolean failing = cache.store().writeFailure().isPresent();
      String id = cache.storeLater(probe, answer.path("model").asText(model), text);
      if (failing) {
        // Journaled and served from memory, but the index takes nothing: it is not stored yet.
        x.notStored = "the answer index cannot be written now (see /readyz); the answer waits in "
            + "the journal as " + id + " and is stored under that id once the index opens again";
      } else {
        x.stored = id;
      }
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
      String a = Scope.normalize(Answers.text(fresh));
      String b = stored == null ? "" : Scope.normalize(Answers.text(stored));
      boolean same = a.equals(b) || (!a.isEmpty() && !b.isEmpty()
          && AnswerCache.dot(cache.embedder().embed(a), cache.embedder().embed(b))
          >= SAME_ANSWER);
      cache.matching().verified(j, model, same);
    });
  }

  /** Ends a stream with an error event, as the APIs themselves do, if the client is still there. */
  private static void tellClient(Context ctx, byte[] event) {
    try {
      OutputStream out = ctx.res().getOutputStream();
      out.write(event);
      out.flush();
    } catch (IOException e) {
      // the client is gone as well
    }
  }

  /** The length of a text in UTF-8, counted without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }
}
