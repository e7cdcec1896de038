package dev.bound.gateway.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.CachePipeline;
import dev.bound.gateway.EnergyAccounting;
import dev.bound.gateway.Http;
import dev.bound.gateway.Json;
import dev.bound.gateway.KeyCheck;
import dev.bound.gateway.Scope;
import dev.bound.gateway.Upstream;
import dev.bound.gateway.observe.DecisionLog;
import dev.bound.gateway.observe.Outcome;
import dev.bound.index.OutageLog;
import dev.bound.index.embeddings.EmbeddingStore;
import io.javalin.http.Context;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/embeddings} with an exact cache per input item: the items stored before are
 * answered from storage, only the others go upstream, and the answer is put back together in the
 * client's order. An embedding is deterministic, so no similarity is involved.
 */
public final class EmbeddingsEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingsEndpoint.class);
  /**
   * Says once that the embeddings store cannot be used (embeddings are then asked of the
   * upstream), and once that it works again.
   */
  private final OutageLog storeFailing = new OutageLog(LOG, "The embeddings store");

  /** What the embeddings store could not do, for {@link #storeFailing}. */
  private static String failed(String what, RuntimeException e) {
    return "it cannot be " + what + " (" + e.getMessage() + "); embeddings are asked of the "
        + "upstream meanwhile, it is opened again every two seconds once the disk takes writes, "
        + "and a data directory removed under Bound needs a restart once fixed";
  }

  /** The endpoint's name in outcomes, metrics and the ledger. */
  public static final String NAME = "embeddings";
  /** The {@code X-Bound-Cache} values it answers with. */
  public static final List<String> TIERS = List.of("HIT-EXACT", "HIT-PARTIAL", "MISS", "BYPASS");

  /** What happened to one request, filled in as it goes. */
  private static final class Trace {
    final ObjectNode log = Json.object();
    String tier = "BYPASS";
    String model;
    int fromStorage;
    long avoidedTokens;
    long upstreamTokens;
    long lookupNanos;
    long upstreamNanos;
    int upstreamStatus;
    String error;
  }

  private final KeyCheck keyCheck;
  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final EnergyAccounting energy;
  private final DecisionLog decisions;
  private final List<Outcome.Observer> observers;
  private final EmbeddingStore store;

  /**
   * Opens the store in {@code dir}, its files written through {@code files}, and commits it every
   * two seconds on {@code timers}, or opens it again while a full disk keeps it from writing.
   */
  public EmbeddingsEndpoint(BoundConfig cfg, Path dir, Clock clock, Upstream upstream,
      EnergyAccounting energy, DecisionLog decisions, List<Outcome.Observer> observers,
      ScheduledExecutorService timers, KeyCheck keyCheck, UnaryOperator<Directory> files) {
    this.keyCheck = keyCheck;
    this.cfg = cfg;
    this.clock = clock;
    this.upstream = upstream;
    this.energy = energy;
    this.decisions = decisions;
    this.observers = List.copyOf(observers);
    this.store = EmbeddingStore.open(dir, cfg.cache().embeddings().hotTierBytes(), files);
    // Items are readable as soon as they are stored; the commit bounds what a crash can lose.
    timers.scheduleWithFixedDelay(this::commit, 2, 2, TimeUnit.SECONDS);
  }

  public void handle(Context ctx) {
    long t0 = System.nanoTime();
    byte[] body = Http.readBody(ctx, cfg.server().maxBodyBytes());
    EmbeddingsRequest req = EmbeddingsRequest.parse(body);
    String tenant = Scope.tenant(ctx.header("X-Bound-Namespace"), CachePipeline.clientKey(ctx));
    EmbeddingsDecision d = EmbeddingsDecision.of(cfg.cache().enabled(),
        ctx.header("Cache-Control"), ctx.header("X-Bound-Cache"));
    Trace t = new Trace();
    if (d.reason() != null) {
      t.log.put("reason", d.reason());
    }
    try {
      if (!d.lookup() && !d.store()) {
        passThrough(ctx, body, t);
        return;
      }
      List<String> keys = req.keys(tenant);
      Map<String, StoredEmbedding> found = d.lookup() ? lookup(keys, t) : Map.of();
      t.tier = d.lookup() ? "MISS" : "BYPASS";
      // A partial hit asks the upstream with the client's key anyway; a whole hit must not skip it.
      KeyCheck.Verdict key = found.keySet().containsAll(keys) ? admit(ctx, t)
          : KeyCheck.Verdict.ACCEPTED;
      if (key == KeyCheck.Verdict.REJECTED) {
        return;
      }
      if (key == KeyCheck.Verdict.UNKNOWN) {
        found = Map.of(); // the upstream judges the key on a whole miss
      }
      if (found.keySet().containsAll(keys)) {
        answer(ctx, req, keys, found, Map.of(), null, t);
      } else {
        forward(ctx, req, body, keys, found, d.store(), t);
      }
    } catch (ApiException e) {
      t.error = e.code;
      throw e;
    } finally {
      if (t.upstreamStatus / 100 == 2) {
        keyCheck.accepted(ctx);
      }
      finish(ctx, req, tenant, t, System.nanoTime() - t0);
    }
  }

  /**
   * Whether stored items may go to this client (see {@link KeyCheck}); when the upstream refuses
   * its key, the client gets that refusal.
   */
  private KeyCheck.Verdict admit(Context ctx, Trace t) {
    KeyCheck.Result k = keyCheck.check(ctx);
    if (k.verdict() == KeyCheck.Verdict.REJECTED) {
      t.tier = "BYPASS";
      t.upstreamStatus = k.rejection().statusCode();
      t.log.put("reason", "the upstream refused the client's key");
      ctx.header("X-Bound-Cache", "BYPASS");
      Http.copyResponseHeaders(ctx, k.rejection());
      ctx.status(k.rejection().statusCode()).result(k.rejection().body());
    }
    return k.verdict();
  }

  /** Relays the request and the upstream's answer as they are, streamed. */
  private void passThrough(Context ctx, byte[] body, Trace t) {
    ctx.header("X-Bound-Cache", "BYPASS");
    long u0 = System.nanoTime();
    Upstream.Answer<InputStream> r = upstream.open("POST", upstream.resolve("/embeddings", null),
        Http.requestHeaders(ctx), body);
    t.upstreamStatus = r.statusCode();
    if (!Http.relay(ctx, r)) {
      t.error = "aborted";
    }
    t.upstreamNanos = System.nanoTime() - u0;
  }

  /**
   * The stored items among {@code keys}; none when the store cannot be read, so the upstream
   * answers them. A full disk closed the store's index until a restart, and every request was a
   * 500 although the upstream could have answered it.
   */
  private Map<String, StoredEmbedding> lookup(List<String> keys, Trace t) {
    long l0 = System.nanoTime();
    Map<String, StoredEmbedding> found = new HashMap<>();
    try {
      store.getAll(keys).forEach((k, v) -> {
        StoredEmbedding e = StoredEmbedding.parse(v);
        if (e != null) {
          found.put(k, e);
        }
      });
      if (store.writeFailure().isEmpty()) {
        storeFailing.up(); // read while a full disk keeps it from writing is no recovery
      }
    } catch (RuntimeException e) {
      storeFailing.down(failed("read", e));
      t.log.put("reason", "storage_error");
    }
    t.lookupNanos = System.nanoTime() - l0;
    return found;
  }

  /**
   * Asks the upstream for the items not found, each distinct item once, and answers with them
   * and the found ones. An answer Bound cannot take apart (an error, not JSON, another number of
   * items) goes to the client unchanged, and nothing is stored.
   */
  private void forward(Context ctx, EmbeddingsRequest req, byte[] body, List<String> keys,
      Map<String, StoredEmbedding> found, boolean storeFresh, Trace t) {
    Map<String, Integer> missing = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!found.containsKey(keys.get(i))) {
        missing.putIfAbsent(keys.get(i), i);
      }
    }
    List<Integer> positions = List.copyOf(missing.values());
    boolean whole = positions.size() == keys.size();
    long u0 = System.nanoTime();
    Upstream.Answer<byte[]> r = upstream.send("POST", upstream.resolve("/embeddings", null),
        Http.requestHeaders(ctx), whole ? body : req.bodyWith(positions));
    t.upstreamNanos = System.nanoTime() - u0;
    t.upstreamStatus = r.statusCode();
    t.log.put("forwarded", positions.size());
    JsonNode answer = Http.storableAnswer(r) ? Json.parseOrNull(r.body()) : null;
    List<ObjectNode> data =
        answer == null ? null : StoredEmbedding.inOrder(answer, positions.size());
    if (data == null) {
      t.log.put("not_stored", r.statusCode() == 200 ? "the upstream's answer does not list one "
          + "embedding per item sent" : "upstream status " + r.statusCode());
      ctx.attribute(Http.RELAYED, Boolean.TRUE);
      Http.copyResponseHeaders(ctx, r);
      ctx.header("X-Bound-Cache", t.tier);
      ctx.status(r.statusCode()).result(r.body());
      return;
    }
    Map<String, StoredEmbedding> fresh = keep(req, answer, data, missing, storeFresh, t);
    Http.copyResponseHeaders(ctx, r);
    if (whole) {
      t.log.put("items", keys.size());
      ctx.header("X-Bound-Cache", t.tier);
      ctx.header("X-Bound-Embeddings-Cached", "0/" + keys.size());
      ctx.status(200).result(r.body()); // the upstream's own bytes: nothing was added to them
      return;
    }
    answer(ctx, req, keys, found, fresh, (ObjectNode) answer, t);
  }

  /**
   * The fresh items by key, each with its share of the upstream's prompt tokens; stored unless
   * the client said {@code no-store}.
   */
  private Map<String, StoredEmbedding> keep(EmbeddingsRequest req, JsonNode answer,
      List<ObjectNode> data, Map<String, Integer> missing, boolean storeFresh, Trace t) {
    t.model = answer.path("model").asText(req.model);
    t.upstreamTokens = answer.path("usage").path("prompt_tokens").asLong(0);
    long[] shares = req.tokenShares(List.copyOf(missing.values()), t.upstreamTokens);
    Map<String, StoredEmbedding> fresh = new HashMap<>();
    Map<String, byte[]> toStore = new LinkedHashMap<>();
    int i = 0;
    for (String key : missing.keySet()) {
      StoredEmbedding e = new StoredEmbedding(data.get(i), t.model, shares[i]);
      fresh.put(key, e);
      toStore.put(key, e.bytes());
      i++;
    }
    if (storeFresh) {
      try {
        store.putAll(toStore);
        t.log.put("stored", toStore.size());
      } catch (RuntimeException e) {
        storeFailing.down(failed("written", e)); // the client still gets what the upstream answered
        t.log.put("not_stored", "the embeddings store cannot be written");
      }
    }
    return fresh;
  }

  /**
   * Writes the answer, item {@code i} taken from {@code fresh} or {@code found} by its key; the
   * rest of it (model, usage, other fields) from the upstream's {@code answer}, or made up when
   * every item was stored.
   */
  private void answer(Context ctx, EmbeddingsRequest req, List<String> keys,
      Map<String, StoredEmbedding> found, Map<String, StoredEmbedding> fresh,
      ObjectNode answer, Trace t) {
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (int i = 0; i < keys.size(); i++) {
      StoredEmbedding e = fresh.get(keys.get(i));
      if (e == null) {
        e = found.get(keys.get(i));
        t.fromStorage++;
        t.avoidedTokens += e.tokens();
      }
      data.add(e.at(i));
    }
    ObjectNode out = answer;
    if (out == null) {
      t.model = found.get(keys.get(0)).model();
      out = Json.object().put("object", "list");
      out.set("data", data);
      out.put("model", t.model);
      out.putObject("usage").put("prompt_tokens", 0).put("total_tokens", 0);
    } else {
      out.set("data", data);
    }
    if (t.fromStorage > 0) {
      t.tier = t.fromStorage == keys.size() ? "HIT-EXACT" : "HIT-PARTIAL";
    }
    t.log.put("items", keys.size());
    ctx.header("X-Bound-Cache", t.tier);
    ctx.header("X-Bound-Embeddings-Cached", t.fromStorage + "/" + keys.size());
    ctx.status(200).contentType("application/json").result(Json.bytes(out));
  }

  /** Costs the request, writes its decision line and tells the observers. */
  private void finish(Context ctx, EmbeddingsRequest req, String tenant, Trace t,
      long latency) {
    boolean hit = t.tier.startsWith("HIT");
    String model = t.model != null ? t.model : req.model;
    ObjectNode usage = hit ? Json.object().put("prompt_tokens", t.avoidedTokens) : null;
    EnergyAccounting.Account account = energy.account(model, usage, t.lookupNanos);
    if (hit) {
      ctx.header("X-Bound-Energy-Saved", EnergyAccounting.plain(account.wh()));
      ctx.header("X-Bound-Energy-Saved-Low", EnergyAccounting.plain(account.whLow()));
      ctx.header("X-Bound-Energy-Saved-High", EnergyAccounting.plain(account.whHigh()));
    }
    long tokens = hit ? t.avoidedTokens : t.upstreamTokens;
    if (decisions.enabled()) {
      String currency = energy.deployment().currency();
      decisions.write(Json.written(g -> {
        g.writeStartObject();
        g.writeStringField("ts", clock.instant().toString());
        g.writeStringField("path", ctx.path());
        g.writeStringField("model", req.model);
        g.writeStringField("tenant", tenant);
        g.writeStringField("tier", t.tier);
        g.writeNumberField("cached", t.fromStorage);
        for (var f : t.log.properties()) {
          g.writeFieldName(f.getKey());
          g.writeTree(f.getValue());
        }
        g.writeNumberField("prompt_tokens", tokens);
        if (t.upstreamStatus != 0) {
          g.writeNumberField("upstream_status", t.upstreamStatus);
          g.writeNumberField("upstream_ms", Math.round(t.upstreamNanos / 1e4) / 100.0);
        }
        if (t.error != null) {
          g.writeStringField("error", t.error);
        }
        g.writeNumberField("search_ms", Math.round(t.lookupNanos / 1e4) / 100.0);
        account.write(g, currency);
        g.writeNumberField("latency_ms", Math.round(latency / 1e4) / 100.0);
        g.writeEndObject();
      }));
    }
    Outcome o = new Outcome(clock.millis(), NAME, req.model, tenant, t.tier,
        hit ? 1.0 : Double.NaN, false, tokens, 0, account, latency, 0, t.lookupNanos,
        t.upstreamNanos, t.upstreamStatus, false, t.error, null, null,
        dev.bound.gateway.ApiPrices.Cost.none("USD"), Outcome.Explanation.NONE, false, false);
    for (Outcome.Observer obs : observers) {
      obs.observe(o);
    }
  }

  private void commit() {
    try {
      if (!store.reopen()) { // true at once while the store can be written
        return; // said when a write failed; tried again at the next tick
      }
      store.commit();
      storeFailing.up();
    } catch (RuntimeException e) {
      // Said once with the store's other failures, not as a stack trace at every tick.
      storeFailing.down(failed("committed", e));
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
