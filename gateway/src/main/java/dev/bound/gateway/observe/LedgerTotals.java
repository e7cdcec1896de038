package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.EnergyAccounting;
import dev.bound.gateway.Json;

/**
 * Sums over a set of requests in the savings ledger; the energy fields are net of Bound's own
 * use, the API bill is what hits kept off it at list prices.
 */
final class LedgerTotals {
  long requests;
  long hitExact;
  long hitSemantic;
  long hitBound;
  long hitPartial;
  long hitVariant;
  long miss;
  long bypass;
  long promptTokensAvoided;
  long completionTokensAvoided;
  /** What hits kept off the API bill at list prices, in the price table's currency. */
  double apiCostAvoided;
  /** Hits on models without a known API price, so not in {@link #apiCostAvoided}. */
  long apiUnpricedHits;
  final double[] energy = new double[10];
  /** Requests that asked for novelty (a temperature above cache.max-temperature). */
  long novelty;
  /** Net Wh saved by each kind of hit, in the order of {@link #HIT_TIERS}. */
  final double[] whByTier = new double[HIT_TIERS.length];

  private static final String[] HIT_TIERS = {"exact", "semantic", "bound", "partial", "variant"};

  private static final String[] ENERGY = {"wh", "wh_low", "wh_high", "gco2e", "gco2e_low",
      "gco2e_high", "money", "money_low", "money_high", "bound_wh"};

  void add(SavingsLedger.Entry e) {
    requests++;
    switch (e.tier()) {
      case "HIT-EXACT" -> hitExact++;
      case "HIT-SEMANTIC" -> hitSemantic++;
      case "HIT-BOUND" -> hitBound++;
      case "HIT-PARTIAL" -> hitPartial++;
      case "HIT-VARIANT" -> hitVariant++;
      case "MISS" -> miss++;
      default -> bypass++;
    }
    if (e.tier().startsWith("HIT")) {
      promptTokensAvoided += e.promptTokens();
      completionTokensAvoided += e.completionTokens();
      apiCostAvoided += e.apiCost();
      if (!e.apiPriced()) {
        apiUnpricedHits++;
      }
    }
    if (e.novelty()) {
      novelty++;
    }
    int tier = java.util.Arrays.asList(HIT_TIERS).indexOf(
        e.tier().replace("HIT-", "").toLowerCase(java.util.Locale.ROOT));
    if (tier >= 0) {
      whByTier[tier] += e.account().wh();
    }
    EnergyAccounting.Account a = e.account();
    double[] v = {a.wh(), a.whLow(), a.whHigh(), a.gco2e(), a.gco2eLow(), a.gco2eHigh(),
        a.money(), a.moneyLow(), a.moneyHigh(), a.boundWh()};
    for (int i = 0; i < v.length; i++) {
      energy[i] += v[i];
    }
  }

  void add(LedgerTotals o) {
    requests += o.requests;
    hitExact += o.hitExact;
    hitSemantic += o.hitSemantic;
    hitBound += o.hitBound;
    hitPartial += o.hitPartial;
    hitVariant += o.hitVariant;
    miss += o.miss;
    bypass += o.bypass;
    promptTokensAvoided += o.promptTokensAvoided;
    completionTokensAvoided += o.completionTokensAvoided;
    apiCostAvoided += o.apiCostAvoided;
    apiUnpricedHits += o.apiUnpricedHits;
    novelty += o.novelty;
    for (int i = 0; i < energy.length; i++) {
      energy[i] += o.energy[i];
    }
    for (int i = 0; i < whByTier.length; i++) {
      whByTier[i] += o.whByTier[i];
    }
  }

  ObjectNode json() {
    ObjectNode n = Json.object();
    n.put("requests", requests);
    ObjectNode hits = n.putObject("hits");
    hits.put("exact", hitExact);
    hits.put("semantic", hitSemantic);
    hits.put("bound", hitBound);
    hits.put("partial", hitPartial);
    hits.put("variant", hitVariant);
    n.put("misses", miss);
    n.put("bypasses", bypass);
    long hitCount = hitExact + hitSemantic + hitBound + hitPartial + hitVariant;
    n.put("hit_rate", requests == 0 ? 0 : Math.round(1e4 * hitCount / requests) / 1e4);
    n.put("prompt_tokens_avoided", promptTokensAvoided);
    n.put("completion_tokens_avoided", completionTokensAvoided);
    n.put("api_cost_avoided", EnergyAccounting.round(apiCostAvoided));
    n.put("api_unpriced_hits", apiUnpricedHits);
    for (int i = 0; i < ENERGY.length; i++) {
      n.put(ENERGY[i], EnergyAccounting.round(energy[i]));
    }
    ObjectNode byTier = n.putObject("wh_by_tier");
    for (int i = 0; i < HIT_TIERS.length; i++) {
      byTier.put(HIT_TIERS[i], EnergyAccounting.round(whByTier[i]));
    }
    ObjectNode mix = n.putObject("temperature_mix");
    mix.put("novelty_requests", novelty);
    mix.put("served_from_pools", hitVariant);
    mix.put("share_served_from_pools",
        novelty == 0 ? 0 : Math.round(1e4 * hitVariant / novelty) / 1e4);
    return n;
  }

  static LedgerTotals fromJson(JsonNode n) {
    LedgerTotals t = new LedgerTotals();
    t.requests = n.path("requests").asLong();
    t.hitExact = n.path("hits").path("exact").asLong();
    t.hitSemantic = n.path("hits").path("semantic").asLong();
    t.hitBound = n.path("hits").path("bound").asLong();
    t.hitPartial = n.path("hits").path("partial").asLong();
    t.hitVariant = n.path("hits").path("variant").asLong();
    t.miss = n.path("misses").asLong();
    t.bypass = n.path("bypasses").asLong();
    t.promptTokensAvoided = n.path("prompt_tokens_avoided").asLong();
    t.completionTokensAvoided = n.path("completion_tokens_avoided").asLong();
    t.apiCostAvoided = n.path("api_cost_avoided").asDouble();
    t.apiUnpricedHits = n.path("api_unpriced_hits").asLong();
    for (int i = 0; i < ENERGY.length; i++) {
      t.energy[i] = n.path(ENERGY[i]).asDouble();
    }
    for (int i = 0; i < HIT_TIERS.length; i++) {
      t.whByTier[i] = n.path("wh_by_tier").path(HIT_TIERS[i]).asDouble();
    }
    t.novelty = n.path("temperature_mix").path("novelty_requests").asLong();
    return t;
  }
}
