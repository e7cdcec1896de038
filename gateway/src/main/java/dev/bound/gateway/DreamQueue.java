package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.protocol.Protocol;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The variant pools live traffic has asked for, with what a pre-generation needs to ask the
 * upstream again: the request body, its protocol and the few headers that shape the answer
 * (never the client's key). Saved beside the index every minute and on shutdown, replaced
 * whole, so a restart keeps the demand that decides what to pre-generate; a crash loses at most
 * the asks of the last minute.
 */
final class DreamQueue {
  /** Pools remembered at most; the least asked is forgotten first. */
  static final int MAX = 10_000;

  /** One pool's demand and what replays its request. */
  static final class Wish {
    final Scope scope;
    final String prompt;
    final String model;
    final Protocol protocol;
    final byte[] body;
    final Map<String, List<String>> headers;
    final double temperature;
    long asks;
    long lastAskedMillis;
    int variants;
    int target;
    double variety;
    long pregenerated;
    long failures;
    /** Dreams the upstream answered whose answer the pool could not keep (cut short, say). */
    long discarded;
    /** Failures and discarded dreams in a row; each doubles the wait before the next try. */
    int setbacks;
    /** No dream for this pool before this time (epoch millis), after a setback. */
    long retryAtMillis;
    boolean inFlight;
    /** Ids of the variants pre-generated for this pool, kept across restarts. */
    final List<String> stored = new java.util.ArrayList<>();
    /** Tokens of the largest answer this pool has seen, to reserve against the day's budget. */
    long largestTokens;

    Wish(Scope scope, String prompt, String model, Protocol protocol, byte[] body,
        Map<String, List<String>> headers, double temperature) {
      this.scope = scope;
      this.prompt = prompt;
      this.model = model;
      this.protocol = protocol;
      this.body = body.clone();
      this.headers = Map.copyOf(headers);
      this.temperature = temperature;
    }

    String key() {
      return key(scope, prompt);
    }

    static String key(Scope scope, String prompt) {
      return scope.key() + '\u0000' + Scope.normalize(prompt);
    }

    synchronized boolean full() {
      return variants >= target;
    }
  }

  private final Map<String, Wish> wishes = new ConcurrentHashMap<>();
  /** Where the queue is kept; null keeps it in memory only. */
  private final StateFile file;
  /** The gate's pause and budgets as the file held them at start; null when it held none. */
  JsonNode gateAtStart;
  /** The gate's pause and budgets now, written with the pools. */
  volatile java.util.function.Supplier<ObjectNode> gate;

  DreamQueue(StateFile file) {
    this.file = file;
  }

  /** The queue saved in {@code path}, or an empty one when there is none. */
  static DreamQueue open(Path path) {
    DreamQueue q = new DreamQueue(new StateFile(path));
    q.file.read((name, n) -> {
      if (name.equals("pools")) {
        n.forEach(w -> q.restore(w));
      } else if (name.equals("gate") && n.isObject()) {
        q.gateAtStart = n;
      }
    });
    return q;
  }

  private void restore(JsonNode n) {
    Protocol protocol = Protocol.all().stream()
        .filter(p -> p.path().equals(n.path("endpoint").asText())).findFirst().orElse(null);
    if (protocol == null) {
      return; // written by a Bound that knew an API this one does not
    }
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
    n.path("headers").properties().forEach(h -> {
      List<String> values = new java.util.ArrayList<>();
      h.getValue().forEach(v -> values.add(v.asText()));
      headers.put(h.getKey(), values);
    });
    Wish w = new Wish(new Scope(n.path("scope").asText(), n.path("tenant").asText()),
        n.path("prompt").asText(), n.path("model").asText(), protocol,
        Base64.getDecoder().decode(n.path("body").asText()), headers,
        n.path("temperature").asDouble());
    w.asks = n.path("asks").asLong();
    w.lastAskedMillis = n.path("last_asked").asLong();
    w.variants = n.path("variants").asInt();
    w.target = n.path("target").asInt();
    w.variety = n.path("variety").asDouble();
    w.pregenerated = n.path("pregenerated").asLong();
    w.failures = n.path("failures").asLong();
    w.discarded = n.path("discarded").asLong();
    w.setbacks = n.path("setbacks").asInt();
    w.retryAtMillis = n.path("retry_at").asLong();
    w.largestTokens = n.path("largest_tokens").asLong();
    n.path("pregenerated_ids").forEach(id -> w.stored.add(id.asText()));
    wishes.put(w.key(), w);
  }

  /**
   * Writes every pool's demand and request, and the gate's pause and budgets, replacing the file
   * whole; no-op in memory. Called from the timer, dreams and the admin routes at once.
   */
  synchronized void save() {
    if (file == null) {
      return;
    }
    ObjectNode root = Json.object();
    var g = gate;
    if (g != null) {
      root.set("gate", g.get());
    }
    ArrayNode pools = root.putArray("pools");
    for (Wish w : wishes.values()) {
      synchronized (w) {
        ObjectNode n = pools.addObject();
        n.put("scope", w.scope.key());
        n.put("tenant", w.scope.tenant());
        n.put("prompt", w.prompt);
        n.put("model", w.model);
        n.put("endpoint", w.protocol.path());
        n.put("body", Base64.getEncoder().encodeToString(w.body));
        ObjectNode h = n.putObject("headers");
        w.headers.forEach((name, values) -> values.forEach(h.withArrayProperty(name)::add));
        n.put("temperature", w.temperature);
        n.put("asks", w.asks);
        n.put("last_asked", w.lastAskedMillis);
        n.put("variants", w.variants);
        n.put("target", w.target);
        n.put("variety", w.variety);
        n.put("pregenerated", w.pregenerated);
        n.put("failures", w.failures);
        n.put("discarded", w.discarded);
        n.put("setbacks", w.setbacks);
        n.put("retry_at", w.retryAtMillis);
        n.put("largest_tokens", w.largestTokens);
        w.stored.forEach(n.withArrayProperty("pregenerated_ids")::add);
      }
    }
    file.write(root);
  }

  /**
   * Counts a live request for a pool, remembering how to replay it when the pool is new.
   *
   * @param fresh makes the wish to remember if the pool is new
   */
  Wish asked(String key, java.util.function.Supplier<Wish> fresh, long nowMillis) {
    Wish w = wishes.computeIfAbsent(key, k -> fresh.get());
    synchronized (w) {
      w.asks++;
      w.lastAskedMillis = nowMillis;
    }
    if (wishes.size() > MAX) {
      wishes.values().stream().filter(x -> x != w).min(Comparator.comparingLong(x -> x.asks))
          .ifPresent(x -> wishes.remove(x.key(), x));
    }
    return w;
  }

  /** Every pool, most asked first. */
  List<Wish> all() {
    return wishes.values().stream()
        .sorted(Comparator.comparingLong((Wish w) -> w.asks).reversed()).toList();
  }

  /** Pools worth pre-generating for: asked at least {@code minAsks} times, not full, most asked
   * first. */
  List<Wish> queue(int minAsks) {
    return all().stream().filter(w -> w.asks >= minAsks && !w.full()).toList();
  }
}
