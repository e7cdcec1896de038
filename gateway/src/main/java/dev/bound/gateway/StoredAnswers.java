package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.ProtocolRequest;
import dev.bound.index.Entry;
import dev.bound.index.docs.DocMatch;
import dev.bound.index.docs.Document;
import io.javalin.http.Context;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/** Answers a request from storage: a bound document first, then a stored answer. */
final class StoredAnswers {
  private static final String ID_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final BoundConfig.Cache cfg;
  private final Clock clock;
  private final AnswerCache cache;
  private final BoundDocuments documents;
  private final ModelVersions versions;
  private final EnergyAccounting energy;
  private final ApiPrices prices;
  private final SemanticPool semantic;
  private final DoubleSupplier lookupsFirst;
  private final RandomBytes randomBytes = new RandomBytes(new SecureRandom(), 4096);
  /**
   * Stored answers already parsed, by entry id, with the text they were parsed from and their
   * {@link AnswerTemplate}: parsing took 8 % of an exact hit's Java samples, and the answers
   * asked for again are few. The trees are only read; a request that must change one (a stream,
   * a protocol of its own form) gets its own copy. Bounded by the characters of the texts and
   * the templates' bytes (two million), a few tens of MiB as trees.
   */
  private final Cache<String, Parsed> parsed = Caffeine.newBuilder()
      .maximumWeight(PARSED_CHARS)
      .<String, Parsed>weigher((id, p) -> p.text().length()
          + (p.template() == null ? 0 : p.template().size()))
      .build();

  private static final long PARSED_CHARS = 2_000_000;

  /** A stored answer as read, never changed; its template is null where there is none. */
  record Parsed(String text, ObjectNode answer, AnswerTemplate template) {}

  /**
   * @param lookupsFirst the running share of misses whose lookup would have finished before the
   *     upstream's answer began ({@link UpstreamForward#lookupsFirst})
   */
  StoredAnswers(BoundConfig.Cache cfg, Clock clock, AnswerCache cache, BoundDocuments documents,
      ModelVersions versions, EnergyAccounting energy, ApiPrices prices, SemanticPool semantic,
      DoubleSupplier lookupsFirst) {
    this.lookupsFirst = lookupsFirst;
    this.cfg = cfg;
    this.clock = clock;
    this.cache = cache;
    this.documents = documents;
    this.versions = versions;
    this.energy = energy;
    this.prices = prices;
    this.semantic = semantic;
  }

  /**
   * Serves the request from a document or a stored answer if one fits; otherwise notes in the
   * exchange why the semantic tier served nothing, and returns false having written nothing.
   * The exact tier is read here; documents and the semantic tier, which embed, run on the
   * semantic pool, and when it has no room the request gets the exact tier alone.
   */
  boolean serve(Context ctx, ProtocolRequest req, AnswerCache.Probe probe, Double threshold,
      Exchange x, BooleanSupplier admit) {
    CanonicalRequest c = req.canonical();
    Optional<AnswerCache.Hit> exact = cache.exact(probe);
    Found f;
    if (exact.isPresent() && documents.none()) {
      f = new Found(null, null, false, exact, probe);
    } else {
      try {
        // Only a lookup with no exact hit is weighed and reports what it found: with an exact
        // hit in hand, only the documents are searched, and that says nothing of the tier.
        Callable<Found> lookup = () -> find(c, x.tenant, probe, threshold, exact);
        if (exact.isPresent()) {
          f = semantic.call(lookup);
        } else {
          // A lookup run beside the request gets a probe of its own: the request's goes on to
          // be forwarded and stored meanwhile.
          Callable<Found> aside = !besideWorthIt() ? null : () -> find(c, x.tenant,
              cache.probe(probe.scope, probe.prompt), threshold, exact);
          SemanticPool.Weighed<Found> w =
              semantic.callWeighed(x.tenant, lookup, aside, Found::something);
          if (w.beside() != null) {
            x.beside = new Beside(w.beside());
            x.because(Reason.LOOKED_UP_BESIDE, String.format(Locale.ROOT, "only %.0f %% of the "
                + "tenant's recent lookups found something, so this one runs beside the "
                + "upstream call", 100 * semantic.value(x.tenant)));
            if (semantic.crowded()) {
              probe.shed = true; // stored without waiting for a vector if the lookup is late
              cache.shed();
            }
            return false;
          }
          f = w.now();
          semantic.found(x.tenant, f.something());
        }
      } catch (SemanticPool.Overloaded e) {
        probe.shed = true;
        cache.shed();
        if (exact.isEmpty()) {
          x.because(Reason.OVERLOADED, e.getMessage());
          return false;
        }
        f = new Found(null, null, false, exact, probe);
      }
    }
    return serveFound(ctx, req, f, probe, x, admit);
  }

  /**
   * Whether a lookup may run beside its request rather than before it ({@link
   * SemanticPool#callWeighed}). On a crowded CPU, yes: it would otherwise wait for a thread and
   * for cores. Otherwise only while most lookups lately would have finished before the
   * upstream's answer began ({@link UpstreamForward#lookupsFirst}, at least {@link
   * #BESIDE_FIRST}): a lookup beside a quicker upstream could never serve what it finds, and
   * every hit it found would be lost to the upstream's answer.
   */
  private boolean besideWorthIt() {
    return semantic.crowded() || lookupsFirst.getAsDouble() >= BESIDE_FIRST;
  }

  /**
   * The share of lookups finishing before the upstream's answer that lets them run beside it.
   * Half, not nearly all: with the second opinion, misses' lookups took 5 to 45 ms on two cores
   * (13 to 16 ms at the median, 21 to 30 ms at the 90th percentile, in {@code ./bound compare}),
   * so beside a 20 ms upstream one or two in ten come second. At nine in ten one of them sent
   * the next lookups before their requests, each adding its whole length to a miss, for a tenant
   * whose lookups find next to nothing (in {@code ./bound compare}, a miss at one connection
   * +7.0 and +18.3 ms over the upstream at nine in ten, +2.9 and +4.7 ms at half, runs taking
   * turns). Beside an upstream quicker than any lookup, six misses in a row still send them back
   * before their requests.
   */
  static final double BESIDE_FIRST = 0.5;

  /**
   * Serves what the lookup beside the request found, once it has cut the upstream call short
   * ({@link Beside#whenFound}); returns false, having written nothing, when it cannot be served
   * after all (the client's key, the token limit, the model version), and the request must then
   * go upstream again.
   */
  boolean serveBeside(Context ctx, ProtocolRequest req, Beside b, AnswerCache.Probe probe,
      Exchange x, BooleanSupplier admit) {
    Found f = b.done();
    if (f == null || !f.something()) {
      return false;
    }
    probe.adopt(f.probe());
    x.code = null;
    x.reason = null;
    ctx.res().setHeader("X-Bound-Reason", null);
    x.upstreamCancelled = true;
    return serveFound(ctx, req, f, probe, x, admit);
  }

  /** Serves a document or a hit the lookup found, or notes why nothing was served. */
  private boolean serveFound(Context ctx, ProtocolRequest req, Found f, AnswerCache.Probe probe,
      Exchange x, BooleanSupplier admit) {
    if (f.doc() != null) {
      if (f.fits()) {
        if (!admit.getAsBoolean()) {
          return false;
        }
        serveDocument(ctx, req, f.doc(), f.answer(), probe, x);
        return true;
      }
      x.skipped = tooLong(f.doc().document().id(), f.answer(), req.canonical().maxTokens());
      x.because(Reason.TOKEN_LIMIT, null);
    }
    Optional<AnswerCache.Hit> hit = f.hit();
    if (hit.isPresent() && serveHit(ctx, req, hit.get(),
        hit.get().exact() ? "HIT-EXACT" : "HIT-SEMANTIC", probe, x, admit)) {
      return true;
    }
    if (x.upstreamStatus != 0) {
      return false;
    }
    noteMiss(probe, x);
    return false;
  }

  /**
   * What documents and the cache offer: a matching document, its answer and whether that fits
   * the request's token limit; and, unless a fitting document makes it moot, the cache's hit;
   * with the probe the lookup used.
   */
  private record Found(DocMatch doc, ObjectNode answer, boolean fits,
      Optional<AnswerCache.Hit> hit, AnswerCache.Probe probe) {
    /** Whether there is something to serve: a fitting document or a hit. */
    boolean something() {
      return fits || hit.isPresent();
    }
  }

  /**
   * A lookup running beside its request's upstream call ({@link SemanticPool#callWeighed}):
   * what it finds in time is served instead of the upstream's answer, and what it learnt of the
   * prompt is kept with the answer otherwise.
   */
  static final class Beside {
    private final CompletableFuture<Found> lookup;

    private Beside(CompletableFuture<Found> lookup) {
      this.lookup = lookup;
    }

    /** Runs {@code r}, on the lookup's thread, once the lookup has found something to serve. */
    void whenFound(Runnable r) {
      lookup.thenAccept(f -> {
        if (f.something()) {
          r.run();
        }
      });
    }

    /**
     * Gives the request's probe the prompt's vector, the lookup's timings and its judgement, if
     * the lookup has run; returns whether it had.
     */
    boolean lendTo(AnswerCache.Probe probe) {
      Found f = done();
      if (f == null) {
        return false;
      }
      probe.adopt(f.probe());
      return true;
    }

    /**
     * The vector the lookup is making for its prompt, for an answer stored while it still runs:
     * null once {@code wait} has passed without it, or if the lookup fails (the indexer then
     * embeds the prompt itself, {@link Indexer#submit(dev.bound.index.Entry, Runnable, boolean,
     * CompletableFuture)}).
     */
    CompletableFuture<float[]> vectorSoon(Duration wait) {
      return lookup.thenApply(f -> f.probe().vectorIfEmbedded())
          .completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code r} with the lookup's own probe once the lookup has run, unless it failed. */
    void whenDone(java.util.function.Consumer<AnswerCache.Probe> r) {
      lookup.thenAccept(f -> r.accept(f.probe()));
    }

    /** What the lookup found, or null while it runs or if it failed. */
    private Found done() {
      return lookup.isDone() && !lookup.isCompletedExceptionally() ? lookup.join() : null;
    }
  }

  /** The work that runs on the semantic pool: documents, then the semantic tier. */
  private Found find(CanonicalRequest c, String tenant, AnswerCache.Probe probe,
      Double threshold, Optional<AnswerCache.Hit> exact) {
    if (exact.isEmpty() && !semantic.crowded()) {
      cache.matching().ahead(probe.prompt); // a core is free for the second model meanwhile
    }
    DocMatch doc = documents.match(c, tenant, probe, threshold).orElse(null);
    ObjectNode answer = doc == null ? null : BoundDocuments.answer(doc.document(), c);
    boolean fits = answer != null && Answers.fitsLimit(answer, c.maxTokens());
    if (fits) {
      return new Found(doc, answer, true, Optional.empty(), probe);
    }
    return new Found(doc, answer, false,
        exact.isPresent() ? exact : cache.semantic(probe, threshold), probe);
  }

  /** Notes in the exchange how the semantic tier judged, and why it served nothing. */
  private void noteMiss(AnswerCache.Probe probe, Exchange x) {
    noteJudgement(probe, x);
    x.because(missReason(probe), probe.judged == null ? null : probe.judged.refusal());
  }

  /**
   * Notes how the lookup that ran beside a miss judged, if it has run by the time the miss is
   * done: the miss keeps its reason, {@code looked_up_beside}, with the lookup's own added.
   */
  void noteBeside(AnswerCache.Probe probe, Exchange x) {
    if (x.beside == null || x.code != Reason.LOOKED_UP_BESIDE || !x.beside.lendTo(probe)) {
      return;
    }
    noteJudgement(probe, x);
    x.reason = x.reason + "; the lookup: " + missReason(probe).code()
        + (probe.judged == null || probe.judged.refusal() == null ? ""
            : " (" + probe.judged.refusal() + ")");
  }

  private void noteJudgement(AnswerCache.Probe probe, Exchange x) {
    x.semanticSkipped = probe.refusal;
    if (probe.explore != null) {
      x.explore = probe.explore.candidate().entry().id();
    }
    if (probe.judged != null) {
      x.score = probe.judged.score();
      x.matcher = cache.matching().matcher.name();
      x.nearest = (double) probe.judged.candidate().similarity();
      x.matched(probe.judged.candidate().entry().prompt());
    }
  }

  /** Why the semantic tier served nothing. */
  private static Reason missReason(AnswerCache.Probe probe) {
    if (probe.refusal != null) {
      return Matching.UNSEEN.equals(probe.refusal) ? Reason.CONTROL_CHARACTERS
          : Reason.LANGUAGE_GUARD;
    }
    if (probe.explore != null) {
      return Reason.VERIFY_SAMPLE;
    }
    if (probe.judged == null) {
      return Reason.NO_CANDIDATE;
    }
    return Matching.ERROR_BOUND.equals(probe.judged.refusal()) ? Reason.ERROR_BOUND
        : Reason.VERIFIER_REFUSED;
  }

  /**
   * Answers from a stored entry; returns false, having written nothing, when the entry may not
   * be served (it calls tools and cache.tool-calls has since been turned off, or it was made by
   * an older model version).
   */
  boolean serveHit(Context ctx, ProtocolRequest req, AnswerCache.Hit hit, String tier,
      AnswerCache.Probe probe, Exchange x, BooleanSupplier admit) {
    Parsed p = parsed(hit.entry());
    if (p == null) {
      // Written by an older Bound, or damaged: a miss, and gone so the next ask stores afresh.
      cache.remove(hit.entry());
      x.skipped = hit.entry().id() + " could not be read and was removed";
      return false;
    }
    ObjectNode stored = p.answer(); // shared: only read here
    if (!cfg.toolCalls() && Answers.anyCallsTools(stored)) {
      x.because(Reason.TOOL_CALLS_OFF, null);
      return false;
    }
    if (!Answers.fitsLimit(stored, req.canonical().maxTokens())) {
      x.skipped = tooLong(hit.entry().id(), stored, req.canonical().maxTokens());
      x.because(Reason.TOKEN_LIMIT, null);
      return false;
    }
    if (!cfg.serveOldModelVersions()) {
      Optional<String> now = versions.current(req.canonical().model());
      if (now.isPresent() && !now.get().equals(hit.entry().model())) {
        x.skipped = hit.entry().id() + " was made by " + hit.entry().model() + ", not "
            + now.get();
        x.because(Reason.MODEL_VERSION, null);
        return false;
      }
    }
    if (!admit.getAsBoolean()) {
      return false;
    }
    String id = freshId(req);
    long created = clock.instant().getEpochSecond();
    ObjectNode answer = stored;
    byte[] body = null;
    if (p.template() != null && req.rendersAsStored() && !req.canonical().stream()) {
      body = p.template().fill(id, created);
    } else {
      answer = stored.deepCopy();
      Answers.stamp(answer, id, created);
    }
    if (!hit.exact()) {
      ctx.header("X-Bound-Score", four(hit.score()));
      x.score = hit.score();
      x.matcher = cache.matching().matcher.name();
      cache.matching().served(id, hit.entry().id(), hit.score(), x.tenant,
          req.canonical().model());
    }
    long ageSeconds = Math.max(0, (clock.millis() - hit.entry().createdMillis()) / 1000);
    ctx.header("X-Bound-Entry", hit.entry().id());
    ctx.header("Age", Long.toString(ageSeconds));
    x.entry = hit.entry().id();
    x.matched(hit.entry().prompt());
    write(ctx, req, answer, body, tier, hit.similarity(), probe, x);
    return true;
  }

  /** Four decimals for a header; an exact hit's 1 without {@code String.format}. */
  static String four(double v) {
    return v == 1.0 ? "1.0000" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String tooLong(String id, ObjectNode answer, Long limit) {
    return id + " has " + answer.path("usage").path("completion_tokens").asText("an unknown "
        + "number of") + " completion tokens, more than the request's limit of " + limit
        + " (or was itself cut short)";
  }

  private void serveDocument(Context ctx, ProtocolRequest req, DocMatch m, ObjectNode answer,
      AnswerCache.Probe probe, Exchange x) {
    Document doc = m.document();
    Answers.stamp(answer, freshId(req), clock.instant().getEpochSecond());
    String ref = doc.id() + "@" + doc.version();
    ctx.header("X-Bound-Document", ref);
    ctx.header("X-Bound-Signature", "kid=" + doc.kid() + "; sig=" + doc.signature());
    x.entry = ref;
    x.question = m.question();
    x.matched(m.question());
    write(ctx, req, answer, null, "HIT-BOUND", m.similarity(), probe, x);
  }

  /**
   * Writes an answer served from storage in the request's protocol, whole or as a stream:
   * {@code body} when it is given (the answer's bytes already in the protocol's form, with its
   * fresh id), otherwise {@code answer} rendered.
   */
  private void write(Context ctx, ProtocolRequest req, ObjectNode answer, byte[] body,
      String tier, double similarity, AnswerCache.Probe probe, Exchange x) {
    ctx.status(200);
    ctx.header("X-Bound-Cache", tier);
    ctx.header("X-Bound-Similarity", four(similarity));
    // Recorded as the client is told, whatever fails below.
    x.tier = tier;
    x.similarity = similarity;
    x.nearest = similarity;
    TokenUsage used = TokenUsage.of(answer.path("usage"));
    // A hit that cut its upstream call short is credited with the answer's generation only: the
    // provider may already have read the prompt, and may bill it.
    EnergyAccounting.Account a = energy.account(answer.path("model").asText(x.model),
        x.upstreamCancelled ? used.promptAlreadyRead() : used,
        probe.embedNanos + probe.searchNanos);
    x.account = a;
    ctx.header("X-Bound-Energy-Saved", EnergyAccounting.plain(a.wh()));
    ctx.header("X-Bound-Energy-Saved-Low", EnergyAccounting.plain(a.whLow()));
    ctx.header("X-Bound-Energy-Saved-High", EnergyAccounting.plain(a.whHigh()));
    x.apiCost = prices.cost(answer.path("model").asText(x.model),
        x.upstreamCancelled ? used.completionOnly() : used);
    ctx.header("X-Bound-Api-Saved", x.apiCost.priced()
        ? EnergyAccounting.plain(x.apiCost.amount()) + " " + x.apiCost.currency() : "unknown");
    x.usage(answer);
    try {
      if (!req.canonical().stream()) {
        // Written straight to the servlet stream: Javalin's result path wraps it in a
        // compression check that cost a tenth of an exact hit's CPU time, for a body Bound
        // never compresses.
        byte[] bytes = body != null ? body : Json.bytes(req.render(answer));
        ctx.contentType("application/json");
        ctx.res().setContentLength(bytes.length);
        ctx.res().getOutputStream().write(bytes);
      } else {
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        req.replay(ctx.res().getOutputStream(), answer, cfg.replayTokensPerSecond());
      }
    } catch (IOException e) {
      x.aborted = true;
    }
  }

  /** A fresh id for an answer served in the request's protocol. */
  private String freshId(ProtocolRequest req) {
    return req.idPrefix() + randomId(24);
  }

  /**
   * The entry's answer read, or null when it is not a JSON object Bound can read. An entry's id
   * names one answer, but the text is compared too, so a cached tree never stands in for
   * another text under the same id.
   */
  Parsed parsed(Entry e) {
    Parsed p = parsed.getIfPresent(e.id());
    if (p == null || !p.text().equals(e.response())) {
      ObjectNode answer = parseStored(e.response());
      if (answer == null) {
        return null;
      }
      p = new Parsed(e.response(), answer, AnswerTemplate.of(answer));
      parsed.put(e.id(), p);
    }
    return p;
  }

  /** A stored answer, or null when it is not a JSON object Bound can read. */
  static ObjectNode parseStored(String json) {
    try {
      return Json.MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private String randomId(int length) {
    byte[] b = new byte[length];
    randomBytes.next(b);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ID_CHARS.charAt((b[i] & 0xff) % ID_CHARS.length()));
    }
    return sb.toString();
  }

  /**
   * The system's random source read a few kilobytes at a time. One read per id took the
   * source's process-wide lock each time, and under 32 concurrent exact hits those reads were 4 %
   * of their Java samples; now an id waits only for a copy.
   */
  static final class RandomBytes {
    private final SecureRandom random;
    private final byte[] pool;
    private int used;

    RandomBytes(SecureRandom random, int size) {
      this.random = random;
      this.pool = new byte[size];
      this.used = size;
    }

    synchronized void next(byte[] into) {
      if (into.length > pool.length) {
        random.nextBytes(into);
        return;
      }
      if (used + into.length > pool.length) {
        random.nextBytes(pool);
        used = 0;
      }
      System.arraycopy(pool, used, into, 0, into.length);
      used += into.length; // each byte is handed out once
    }
  }

}
