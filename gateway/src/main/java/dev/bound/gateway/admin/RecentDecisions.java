package dev.bound.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.EnergyAccounting;
import dev.bound.gateway.Json;
import dev.bound.gateway.observe.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard lists: the latest decisions with their reasons and scores, and the most-hit
 * entries and documents, both kept in memory since start and bounded. Prompts appear only when
 * {@code dashboard.show-prompts} let the pipeline keep them.
 */
final class RecentDecisions implements Outcome.Observer {
  static final int MAX_DECISIONS = 200;
  static final int MAX_TRACKED = 1000;

  private final ArrayDeque<Outcome> decisions = new ArrayDeque<>(MAX_DECISIONS);
  private final Map<String, Hits> top = new HashMap<>();
  private final TenantNames tenants;
  private final boolean showPrompts;

  /** Hits on one entry or document since start. */
  private static final class Hits {
    final String id;
    final boolean document;
    long count;
    long lastAt;
    String model;
    String tenant;
    String version;
    String prompt;
    double wh;
    double api;

    Hits(String id, boolean document) {
      this.id = id;
      this.document = document;
    }

    Hits copy() {
      Hits c = new Hits(id, document);
      c.count = count;
      c.lastAt = lastAt;
      c.model = model;
      c.tenant = tenant;
      c.version = version;
      c.prompt = prompt;
      c.wh = wh;
      c.api = api;
      return c;
    }
  }

  RecentDecisions(TenantNames tenants, boolean showPrompts) {
    this.tenants = tenants;
    this.showPrompts = showPrompts;
  }

  @Override
  public void observe(Outcome o) {
    synchronized (decisions) {
      if (decisions.size() == MAX_DECISIONS) {
        decisions.removeLast();
      }
      decisions.addFirst(o);
    }
    if (!o.hit() || o.served() == null) {
      return;
    }
    boolean document = o.tier().equals("HIT-BOUND");
    String id = o.served();
    String version = null;
    int at = id.lastIndexOf('@');
    if (document && at > 0) {
      version = id.substring(at + 1);
      id = id.substring(0, at);
    }
    synchronized (top) {
      String key = (document ? "d " : "e ") + id;
      Hits h = top.get(key);
      if (h == null) {
        if (top.size() >= MAX_TRACKED) {
          evictLeastHit();
        }
        h = new Hits(id, document);
        top.put(key, h);
      }
      h.count++;
      h.lastAt = o.at();
      h.model = o.model();
      h.tenant = o.tenant();
      h.version = version;
      h.prompt = o.explanation() == null ? null : o.explanation().matched();
      h.wh += o.account().wh();
      h.api += o.apiCost() != null && o.apiCost().priced() ? o.apiCost().amount() : 0;
    }
  }

  /** Drops the entry with the fewest hits, the longest unhit among equals, to make room. */
  private void evictLeastHit() {
    Iterator<Map.Entry<String, Hits>> it = top.entrySet().iterator();
    Map.Entry<String, Hits> least = null;
    while (it.hasNext()) {
      Map.Entry<String, Hits> e = it.next();
      if (least == null || e.getValue().count < least.getValue().count
          || (e.getValue().count == least.getValue().count
              && e.getValue().lastAt < least.getValue().lastAt)) {
        least = e;
      }
    }
    if (least != null) {
      top.remove(least.getKey());
    }
  }

  /** The latest {@code limit} decisions, newest first, into {@code body.decisions}. */
  void decisions(ObjectNode body, int limit) {
    List<Outcome> latest;
    synchronized (decisions) {
      latest = new ArrayList<>(decisions).subList(0, Math.min(limit, decisions.size()));
    }
    body.put("show_prompts", showPrompts);
    ArrayNode arr = body.putArray("decisions");
    for (Outcome o : latest) {
      ObjectNode d = arr.addObject();
      d.put("at", o.at());
      d.put("endpoint", o.endpoint());
      d.put("model", o.model());
      tenant(d, o.tenant());
      d.put("tier", o.tier());
      d.put("reason", o.reason());
      number(d, "similarity", o.similarity());
      explain(d, o.explanation());
      d.put("stream", o.stream());
      d.put("latency_ms", Math.round(o.latencyNanos() / 1e4) / 100.0);
      d.put("prompt_tokens", o.promptTokens());
      d.put("completion_tokens", o.completionTokens());
      d.put("wh", EnergyAccounting.round(o.account().wh()));
      d.put("wh_low", EnergyAccounting.round(o.account().whLow()));
      d.put("wh_high", EnergyAccounting.round(o.account().whHigh()));
      if (o.hit() && o.apiCost() != null) {
        d.put("api_priced", o.apiCost().priced());
        d.put("api_saved", EnergyAccounting.round(o.apiCost().amount()));
        d.put("api_currency", o.apiCost().currency());
      }
      d.put("served", o.served());
      d.put("error", o.error());
    }
  }

  private void explain(ObjectNode d, Outcome.Explanation e) {
    Outcome.Explanation x = e == null ? Outcome.Explanation.NONE : e;
    number(d, "score", x.score());
    d.put("matcher", x.matcher());
    number(d, "nearest_similarity", x.nearest());
    if (x.prompt() != null) {
      d.put("prompt", x.prompt());
    }
    if (x.matched() != null) {
      d.put("matched_prompt", x.matched());
    }
  }

  /** The most-hit entries and documents, {@code limit} of each, into {@code body}. */
  void top(ObjectNode body, int limit) {
    List<Hits> all;
    synchronized (top) {
      all = new ArrayList<>(top.size());
      top.values().forEach(h -> all.add(h.copy()));
    }
    all.sort(Comparator.comparingLong((Hits h) -> h.count).reversed()
        .thenComparing(Comparator.comparingLong((Hits h) -> h.lastAt).reversed()));
    body.put("show_prompts", showPrompts);
    ArrayNode entries = body.putArray("entries");
    ArrayNode documents = body.putArray("documents");
    for (Hits h : all) {
      ArrayNode into = h.document ? documents : entries;
      if (into.size() >= limit) {
        continue;
      }
      ObjectNode n = into.addObject();
      n.put("id", h.id);
      if (h.document) {
        // A number, as the admin API gives it; the served id's text after '@' otherwise.
        if (h.version != null && h.version.matches("[1-9][0-9]{0,8}")) {
          n.put("version", Integer.parseInt(h.version));
        } else {
          n.put("version", h.version);
        }
      }
      n.put("hits", h.count);
      n.put("last_hit", h.lastAt);
      n.put("model", h.model);
      tenant(n, h.tenant);
      if (h.prompt != null) {
        n.put("prompt", h.prompt);
      }
      n.put("wh", EnergyAccounting.round(h.wh));
      n.put("api_saved", EnergyAccounting.round(h.api));
    }
  }

  private void tenant(ObjectNode n, String tenant) {
    n.put("tenant", tenant);
    String name = tenants.name(tenant);
    if (name != null) {
      n.put("tenant_name", name);
    }
  }

  /** A finite number, or null for NaN and infinities (JSON has neither). */
  static void number(ObjectNode n, String field, double v) {
    if (Double.isFinite(v)) {
      n.put(field, v);
    } else {
      n.putNull(field);
    }
  }
}
