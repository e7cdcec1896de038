package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

  /**
   * The pre-generation account: what dreams cost at their own slots' intensity and at the slot
   * their pool was last asked in, and variant hits credited at the intensity they were served in.
   */
  long dreams;
  long dreamsStored;
  double dreamWh;
  double dreamGco2e;
  double dreamGco2eAtDemand;
  /** Of those, the dreams whose answer joined its pool: the only energy that was shifted. */
  double storedWh;
  double storedGco2eAtDemand;
  long creditedHits;
  double creditedWh;
  double creditedGco2e;

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
    // Weighed by the energy the hit kept from the upstream, before Bound's own lookup: a hit
    // whose lookup cost more than a tiny answer would weigh the mean intensity negatively.
    double avoided = a.wh() + a.boundWh();
    if (e.tier().equals("HIT-VARIANT") && !Double.isNaN(e.servingIntensity()) && avoided > 0) {
      creditedHits++;
      creditedWh += avoided;
      creditedGco2e += avoided / 1000 * e.servingIntensity();
    }
    double[] v = {a.wh(), a.whLow(), a.whHigh(), a.gco2e(), a.gco2eLow(), a.gco2eHigh(),
        a.money(), a.moneyLow(), a.moneyHigh(), a.boundWh()};
    for (int i = 0; i < v.length; i++) {
      energy[i] += v[i];
    }
  }

  void add(SavingsLedger.Dream d) {
    dreams++;
    dreamsStored += d.stored() ? 1 : 0;
    dreamWh += d.wh();
    dreamGco2e += d.gco2e();
    dreamGco2eAtDemand += d.gco2eAtDemand();
    if (d.stored()) {
      storedWh += d.wh();
      storedGco2eAtDemand += d.gco2eAtDemand();
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
    dreams += o.dreams;
    dreamsStored += o.dreamsStored;
    dreamWh += o.dreamWh;
    dreamGco2e += o.dreamGco2e;
    dreamGco2eAtDemand += o.dreamGco2eAtDemand;
    storedWh += o.storedWh;
    storedGco2eAtDemand += o.storedGco2eAtDemand;
    creditedHits += o.creditedHits;
    creditedWh += o.creditedWh;
    creditedGco2e += o.creditedGco2e;
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
    n.set("carbon_shifted", shifted());
    return n;
  }

  /**
   * Carbon shifted by pre-generation: the energy of the dreams whose answers were kept, priced at
   * the mean intensity variant hits were served at (when there were any; else at the slots their
   * pools were last asked in), less what every dream emitted in its own slot; a dream whose
   * answer was thrown away shifted nothing and still emitted.
   */
  private ObjectNode shifted() {
    ObjectNode c = Json.object();
    c.put("pregenerated", dreams);
    c.put("pregenerated_stored", dreamsStored);
    c.put("pregeneration_wh", EnergyAccounting.round(dreamWh));
    c.put("pregeneration_gco2e", EnergyAccounting.round(dreamGco2e));
    c.put("pregeneration_gco2e_at_demand_hours", EnergyAccounting.round(storedGco2eAtDemand));
    c.put("variant_hits", creditedHits);
    c.put("variant_hits_wh", EnergyAccounting.round(creditedWh));
    c.put("variant_hits_gco2e_at_serving_hours", EnergyAccounting.round(creditedGco2e));
    boolean served = creditedWh > 0;
    double atServing = served ? storedWh * creditedGco2e / creditedWh : 0;
    if (served) {
      c.put("serving_intensity_gco2e_per_kwh",
          EnergyAccounting.round(1000 * creditedGco2e / creditedWh));
      c.put("pregeneration_gco2e_at_serving_hours", EnergyAccounting.round(atServing));
    } else {
      c.putNull("serving_intensity_gco2e_per_kwh");
      c.putNull("pregeneration_gco2e_at_serving_hours");
    }
    c.put("shift_priced_at", served ? "serving_hours" : "demand_hours");
    c.put("pregeneration_discarded_wh", EnergyAccounting.round(dreamWh - storedWh));
    c.put("wh_shifted", EnergyAccounting.round(storedWh));
    c.put("gco2e_shifted", EnergyAccounting.round(
        difference(served ? atServing : storedGco2eAtDemand, dreamGco2e)));
    return c;
  }

  /** {@code a - b}, with 0 where they differ only by the rounding of their sums. */
  private static double difference(double a, double b) {
    double d = a - b;
    return Math.abs(d) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : d;
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
    JsonNode c = n.path("carbon_raw");
    t.dreams = c.path(0).asLong();
    t.dreamsStored = c.path(1).asLong();
    t.dreamWh = c.path(2).asDouble();
    t.dreamGco2e = c.path(3).asDouble();
    t.dreamGco2eAtDemand = c.path(4).asDouble();
    t.creditedHits = c.path(5).asLong();
    t.creditedWh = c.path(6).asDouble();
    t.creditedGco2e = c.path(7).asDouble();
    if (c.has(8)) {
      t.storedWh = c.path(8).asDouble();
      t.storedGco2eAtDemand = c.path(9).asDouble();
    } else if (t.dreams > 0) { // a snapshot from before the two were kept apart: by the counts
      double share = (double) t.dreamsStored / t.dreams;
      t.storedWh = t.dreamWh * share;
      t.storedGco2eAtDemand = t.dreamGco2eAtDemand * share;
    }
    return t;
  }

  /**
   * The pre-generation account unrounded, for the ledger's snapshot: the shift is a small
   * difference of two sums, so it is kept exact across restarts.
   */
  ArrayNode carbonRaw() {
    ArrayNode a = Json.MAPPER.createArrayNode();
    a.add(dreams).add(dreamsStored).add(dreamWh).add(dreamGco2e).add(dreamGco2eAtDemand)
        .add(creditedHits).add(creditedWh).add(creditedGco2e).add(storedWh)
        .add(storedGco2eAtDemand);
    return a;
  }
}
