package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.observe.Outcome;
import dev.bound.gateway.observe.SavingsLedger;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.gateway.protocol.ProtocolRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-generates variants ("dreams") for pools live traffic asks for often but that are not yet
 * full, upstream, while {@link DreamGate} allows it. A dream replays the pool's request through
 * the same {@link Upstream} with {@code upstream.api-key} (it is off without one: a client's key
 * is never kept for it), not streamed, and offers the answer to the pool exactly as a live miss
 * does, through {@link AnswerCache#storeLater}, so the journal keeps it across a crash.
 */
final class Dreamer implements Outcome.Observer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dreamer.class);
  /** Tokens reserved for a dream of a pool whose answers' sizes are not known. */
  static final long DEFAULT_RESERVE = 1024;

  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final AnswerCache cache;
  private final VariantPools pools;
  private final EnergyAccounting energy;
  private final Executor runner;
  final DreamGate gate;
  final DreamQueue queue;
  /** Where each dream's energy and carbon are charged: the savings ledger. */
  private final Consumer<SavingsLedger.Dream> account;
  private final IntensitySource intensity;
  private volatile String lastState = "";

  Dreamer(BoundConfig cfg, Clock clock, Upstream upstream, AnswerCache cache,
      EnergyAccounting energy, Executor runner, Consumer<SavingsLedger.Dream> account,
      DreamQueue queue) {
    this.cfg = cfg;
    this.account = account;
    this.queue = queue;
    this.clock = clock;
    this.upstream = upstream;
    this.cache = cache;
    this.pools = new VariantPools(cache, cfg.cache().variants());
    this.energy = energy;
    this.runner = runner;
    BoundConfig.Dream d = cfg.cache().variants().dream();
    this.intensity = new IntensitySource(d, energy.deployment().gridIntensity());
    this.gate = new DreamGate(d, intensity.profile(), clock, offReason(cfg));
  }

  /**
   * A dreamer with threads of its own, ticked by {@code timers} every
   * {@code cache.variants.dream.interval} when pre-generation is on.
   */
  static Dreamer start(BoundConfig cfg, Clock clock, Upstream upstream, AnswerCache cache,
      EnergyAccounting energy, ScheduledExecutorService timers,
      Consumer<SavingsLedger.Dream> account, Path queueFile) {
    ExecutorService runner = Executors.newCachedThreadPool(
        Thread.ofPlatform().daemon().name("bound-dreamer-", 0).factory());
    // Off, nothing is remembered, so nothing is read or written either.
    DreamQueue queue = offReason(cfg) == null ? DreamQueue.open(queueFile) : new DreamQueue(null);
    Dreamer d = new Dreamer(cfg, clock, upstream, cache, energy, runner, account, queue);
    if (queue.gateAtStart != null) {
      d.gate.restore(queue.gateAtStart);
    }
    queue.gate = d.gate::saved;
    if (cfg.cache().variants().dream().enabled() && !d.on()) {
      // Asked for, and off: say why once, rather than leave the operator to find it out.
      LOG.warn("Pre-generation is off although cache.variants.dream.enabled is true: {}",
          offReason(cfg));
    }
    if (d.on()) {
      long every = cfg.cache().variants().dream().interval().toMillis();
      timers.scheduleWithFixedDelay(d::tick, every, every, TimeUnit.MILLISECONDS);
      timers.scheduleWithFixedDelay(d.queue::save, 1, 1, TimeUnit.MINUTES);
    }
    return d;
  }

  /**
   * Waits for the dreams in flight, which store through the cache and charge the ledger, then
   * keeps the pools' demand for the next start.
   */
  @Override
  public void close() {
    if (runner instanceof ExecutorService s) {
      Background.stop(s, Duration.ofSeconds(10), "pre-generation");
    }
    if (on()) {
      queue.save();
    }
  }

  /** Pauses or resumes pre-generation until told otherwise, across restarts too. */
  void pause(boolean on) {
    gate.pause(on);
    queue.save();
  }

  /** The grid's intensity at {@code millis}, by the profile now; credits variant hits. */
  double intensityAt(long millis) {
    return gate.profile().at(Instant.ofEpochMilli(millis));
  }

  private static String offReason(BoundConfig cfg) {
    if (!cfg.cache().variants().enabled() || !cfg.cache().enabled()) {
      return "cache.variants.enabled is false";
    }
    if (!cfg.cache().variants().dream().enabled()) {
      return "cache.variants.dream.enabled is false";
    }
    if (cfg.upstream().apiKey().isEmpty()) {
      return "upstream.api-key is not set; a client's key is never kept to pre-generate with";
    }
    return null;
  }

  boolean on() {
    return gate.off() == null;
  }

  /**
   * Counts a live request for a variant pool and remembers how to ask for it again.
   *
   * @param headers the request's headers; only those that shape the answer are kept
   */
  void asked(AnswerCache.Probe probe, Protocol protocol, ProtocolRequest req,
      Map<String, List<String>> headers, double temperature, VariantPools.Pool pool) {
    if (!on()) {
      return;
    }
    DreamQueue.Wish w = queue.asked(DreamQueue.Wish.key(probe.scope, probe.prompt),
        () -> new DreamQueue.Wish(probe.scope, probe.prompt, req.canonical().model(), protocol,
            req.upstreamBody(true), shaping(headers), temperature), clock.millis());
    int n = pool.variants().size();
    synchronized (w) {
      if (n == w.variants && pool.target() == w.target) {
        return; // the pool's figures are known: keep variant hits cheap
      }
    }
    double variety = VariantPools.variety(pool.variants());
    long largest = pool.variants().stream().mapToLong(e -> tokens(e.response())).max()
        .orElse(0);
    synchronized (w) {
      w.variants = n;
      w.target = pool.target();
      w.variety = variety;
      w.largestTokens = Math.max(w.largestTokens, largest);
    }
  }

  /** Headers that shape the answer and hold no secret: API versions and betas. */
  static Map<String, List<String>> shaping(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach((name, values) -> {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("anthropic-version") || n.equals("anthropic-beta")
          || n.equals("openai-beta") || n.equals("content-type")) {
        out.put(name, List.copyOf(values));
      }
    });
    return out;
  }

  /** Live traffic, for the load check. */
  @Override
  public void observe(Outcome o) {
    gate.live();
  }

  /** Starts as many dreams as the gate allows, most-asked pools first. Never throws. */
  void tick() {
    try {
      intensity.changed().ifPresent(gate::profile);
      for (DreamQueue.Wish w : queue.queue(cfg.cache().variants().dream().minAsks())) {
        long reserve;
        synchronized (w) {
          if (w.inFlight || clock.millis() < w.retryAtMillis) {
            continue;
          }
          reserve = w.largestTokens > 0 ? w.largestTokens : DEFAULT_RESERVE;
        }
        DreamGate.State s = gate.tryStart(reserve);
        lastState = s.code();
        if (s == DreamGate.State.TOKEN_BUDGET) {
          continue; // a smaller pool's dream may still fit
        }
        if (s != DreamGate.State.READY) {
          return;
        }
        synchronized (w) {
          w.inFlight = true;
        }
        runner.execute(() -> run(w, reserve));
      }
    } catch (RuntimeException e) {
      LOG.warn("pre-generation tick failed", e);
    }
  }

  private void run(DreamQueue.Wish w, long reserve) {
    long used = 0;
    try {
      used = dream(w, reserve);
    } catch (RuntimeException e) {
      synchronized (w) {
        w.failures++;
        setback(w);
      }
      LOG.warn("pre-generation for a pool failed: {}", e.getMessage());
    } finally {
      synchronized (w) {
        w.inFlight = false;
      }
      gate.finished(reserve, used);
      // Budgets spent are on disk before the next dream, so a crash cannot give them back.
      queue.save();
    }
  }

  /**
   * Asks the upstream for one more variant of a pool, its answer capped so that prompt and
   * answer stay within {@code reserve} tokens; returns the tokens it used.
   */
  long dream(DreamQueue.Wish w, long reserve) {
    AnswerCache.Probe p = cache.probe(w.scope, w.prompt);
    VariantPools.Pool pool = pools.find(p, w.temperature, null);
    if (pool.full()) {
      record(w, pool, null, null);
      return 0;
    }
    // The same prompt costs the same prompt tokens; before any answer, half the body's bytes
    // bounds them from above (a token is rarely under two bytes).
    long prompt = pool.variants().stream().mapToLong(e -> promptTokens(e.response())).max()
        .orElse(w.body.length / 2);
    if (reserve - prompt < 1) {
      return 0;
    }
    ProtocolRequest req = w.protocol.parse(capTokens(notStreamed(w.body), reserve - prompt));
    Upstream.Answer<byte[]> r = upstream.send("POST", upstream.resolve(w.protocol.path(), null),
        w.headers, req.upstreamBody(true), w.protocol.keyInXApiKey());
    JsonNode parsed = r.statusCode() == 200 ? Json.parseOrNull(r.body()) : null;
    ObjectNode answer = parsed == null ? null : req.canonicalAnswer(parsed);
    if (answer == null) {
      throw new IllegalStateException("the upstream answered " + r.statusCode()
          + " without a complete answer");
    }
    long used = answer.path("usage").path("prompt_tokens").asLong()
        + answer.path("usage").path("completion_tokens").asLong();
    String text = Json.text(answer);
    String stored = null;
    if (Answers.storable(answer, req.canonical(), cfg.cache().toolCalls())
        && UpstreamForward.utf8Length(text) <= cfg.cache().maxAnswerBytes()) {
      stored = cache.storeLater(p, answer.path("model").asText(w.model), text);
    }
    Instant now = clock.instant();
    double wh = energy.account(w.model, answer.path("usage"), 0).wh();
    long askedAt;
    synchronized (w) {
      askedAt = w.lastAskedMillis;
    }
    account.accept(new SavingsLedger.Dream(now.toEpochMilli(), w.model, w.scope.tenant(), wh,
        wh / 1000 * gate.profile().at(now),
        wh / 1000 * gate.profile().at(Instant.ofEpochMilli(askedAt)), stored != null));
    record(w, pool, stored, text);
    synchronized (w) {
      w.largestTokens = Math.max(w.largestTokens, used);
      if (stored == null) {
        w.discarded++;
        setback(w);
      } else {
        w.setbacks = 0;
      }
    }
    return used;
  }

  /** The longest a pool waits after setbacks before its next dream. */
  static final Duration MAX_BACKOFF = Duration.ofHours(1);

  /**
   * A dream that failed or whose answer the pool could not keep: the pool waits twice as long as
   * after the setback before (from one dream interval up to {@link #MAX_BACKOFF}), so an upstream
   * that refuses the request, or answers it in a form that is never kept, does not spend the
   * hour's budget one interval after another. Called holding {@code w}'s lock.
   */
  private void setback(DreamQueue.Wish w) {
    w.setbacks++;
    long step = Math.max(1, cfg.cache().variants().dream().interval().toMillis());
    long wait = Math.min(MAX_BACKOFF.toMillis(), step << Math.min(w.setbacks - 1, 20));
    w.retryAtMillis = clock.millis() + wait;
  }

  /** Notes what a dream found, and the pool's size and variety with its answer. */
  private static void record(DreamQueue.Wish w, VariantPools.Pool pool, String stored,
      String answer) {
    List<dev.bound.index.Entry> now = new java.util.ArrayList<>(pool.variants());
    if (stored != null) {
      now.add(new dev.bound.index.Entry(stored, w.scope.key(), "dreamed", w.prompt, null, w.model,
          answer, 0, w.scope.tenant()));
    }
    double variety = VariantPools.variety(now);
    synchronized (w) {
      w.variants = now.size();
      w.target = pool.target();
      w.variety = variety;
      if (stored != null) {
        w.pregenerated++;
        w.stored.add(stored);
      }
    }
  }

  /**
   * The request with its answer limited to {@code most} tokens, by whichever name its API gives
   * the limit, so a dream never spends more than it reserved.
   */
  static byte[] capTokens(byte[] body, long most) {
    JsonNode n = Json.parseOrNull(body);
    if (!(n instanceof ObjectNode o)) {
      return body;
    }
    ObjectNode copy = o.deepCopy();
    String field = copy.has("max_completion_tokens") ? "max_completion_tokens"
        : copy.has("max_output_tokens") || copy.has("input") ? "max_output_tokens" : "max_tokens";
    // The first asker's own limit is not the pool's: a pool keeps only whole answers, and an
    // answer cut at that client's 5 tokens would be thrown away, dream after dream.
    copy.put(field, most);
    return Json.bytes(copy);
  }

  private static long promptTokens(String responseJson) {
    return usage(responseJson).path("prompt_tokens").asLong();
  }

  /** The request as a whole answer: a dream has no client to stream to. */
  static byte[] notStreamed(byte[] body) {
    JsonNode n = Json.parseOrNull(body);
    if (n instanceof ObjectNode o && o.path("stream").asBoolean(false)) {
      ObjectNode copy = o.deepCopy();
      copy.put("stream", false);
      copy.remove("stream_options");
      return Json.bytes(copy);
    }
    return body;
  }

  private static long tokens(String responseJson) {
    JsonNode u = usage(responseJson);
    return u.path("prompt_tokens").asLong() + u.path("completion_tokens").asLong();
  }

  /** A stored answer's usage; missing when the answer cannot be read. */
  private static JsonNode usage(String responseJson) {
    JsonNode n = Json.parseOrNull(responseJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : n.path("usage");
  }

  /** The gate's last word at a tick, for the queue endpoint. */
  String lastState() {
    return lastState;
  }
}
