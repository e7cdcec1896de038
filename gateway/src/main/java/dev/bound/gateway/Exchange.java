package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.observe.Outcome;

/**
 * What happened to one request on a cached endpoint, filled in as it goes through the pipeline.
 * The decision line and the {@link Outcome} are each built from it once, at the end.
 */
final class Exchange {
  final long startNanos = System.nanoTime();
  final String ts;
  final String path;
  final String api;
  final String model;
  final String tenant;
  final boolean stream;
  /** dashboard.show-prompts: whether the prompts below may be kept at all. */
  private final boolean showPrompts;

  /** HIT-EXACT, HIT-SEMANTIC, HIT-BOUND, MISS or BYPASS. */
  String tier = "BYPASS";
  /** Why nothing stored was served, on BYPASS and MISS. */
  Reason code;
  String reason;
  Double score;
  String matcher;
  Double similarity;
  /** The cosine similarity of the best candidate judged, served or not. */
  Double nearest;
  /** The request's prompt and the stored prompt it was matched with; null unless shown. */
  private String prompt;
  private String matchedPrompt;
  /** The entry id, or document@version, that was served. */
  String entry;
  /** The document's canonical question that matched. */
  String question;
  String semanticSkipped;
  String explore;
  /** Why a found entry was not served. */
  String skipped;
  int upstreamStatus;
  long upstreamNanos;
  String stored;
  String notStored;
  String error;
  boolean aborted;
  Long promptTokens;
  Long completionTokens;
  /** Whether the prompt was embedded and searched for (the timings below are then set). */
  boolean probed;
  long embedNanos;
  long searchNanos;
  EnergyAccounting.Account account;
  /** What a hit kept off the API bill; set with the account. */
  ApiPrices.Cost apiCost;
  long latencyNanos;

  Exchange(String ts, String path, String api, String model, String tenant, boolean stream,
      boolean showPrompts) {
    this.ts = ts;
    this.path = path;
    this.api = api;
    this.model = model;
    this.tenant = tenant;
    this.stream = stream;
    this.showPrompts = showPrompts;
  }

  /** Keeps the request's prompt for the dashboard, if prompts may be shown. */
  void prompt(String text) {
    prompt = showPrompts ? text : null;
  }

  /** Keeps the stored prompt the request was matched with, if prompts may be shown. */
  void matched(String text) {
    matchedPrompt = showPrompts ? text : null;
  }

  /** Takes the token counts from an answer's chat-shaped usage. */
  void usage(JsonNode answer) {
    JsonNode u = answer.path("usage");
    if (u.isObject()) {
      promptTokens = u.path("prompt_tokens").asLong();
      completionTokens = u.path("completion_tokens").asLong();
    }
  }

  /** Sets why nothing stored was served, keeping a reason found earlier. */
  void because(Reason why, String words) {
    if (code == null) {
      code = why;
      reason = words;
    }
  }

  boolean hit() {
    return tier.startsWith("HIT");
  }

  /** The JSON line the decision log writes. */
  ObjectNode decisionLine(String currency) {
    ObjectNode log = Json.object();
    log.put("ts", ts);
    log.put("path", path);
    log.put("model", model);
    log.put("tenant", tenant);
    log.put("stream", stream);
    log.put("tier", tier);
    if (code != null) {
      log.put("reason_code", code.code());
    }
    putIf(log, "reason", reason);
    if (score != null) {
      log.put("score", round4(score));
    }
    putIf(log, "matcher", matcher);
    if (similarity != null) {
      log.put("similarity", round4(similarity));
    }
    putIf(log, "entry", entry);
    putIf(log, "question", question);
    putIf(log, "semantic_skipped", semanticSkipped);
    putIf(log, "explore", explore);
    putIf(log, "skipped", skipped);
    if (upstreamStatus != 0) {
      log.put("upstream_status", upstreamStatus);
    }
    putIf(log, "stored", stored);
    putIf(log, "not_stored", notStored);
    putIf(log, "error", error);
    if (aborted) {
      log.put("aborted", true);
    }
    if (promptTokens != null) {
      log.put("prompt_tokens", promptTokens);
      log.put("completion_tokens", completionTokens);
    }
    if (probed) {
      log.put("embed_ms", millis(embedNanos));
      log.put("search_ms", millis(searchNanos));
    }
    account.into(log, currency);
    if (hit()) {
      ObjectNode bill = log.putObject("api_bill");
      if (apiCost.priced()) {
        bill.put("saved", EnergyAccounting.round(apiCost.amount()));
        bill.put("currency", apiCost.currency());
        bill.put("source", apiCost.price().source());
      } else {
        bill.put("note", "no API price known for this model");
      }
    }
    log.put("latency_ms", millis(latencyNanos));
    if (upstreamNanos > 0) {
      log.put("upstream_ms", millis(upstreamNanos));
    }
    return log;
  }

  Outcome outcome(long atMillis) {
    return new Outcome(atMillis, api, model, tenant, tier,
        similarity == null ? Double.NaN : similarity, stream,
        promptTokens == null ? 0 : promptTokens, completionTokens == null ? 0 : completionTokens,
        account, latencyNanos, embedNanos, searchNanos, upstreamNanos, upstreamStatus,
        error != null ? error : aborted ? "aborted" : null, entry,
        code == null ? null : code.code(), apiCost,
        new Outcome.Explanation(score == null ? Double.NaN : score, score == null ? null : matcher,
            nearest == null ? Double.NaN : nearest, prompt, matchedPrompt));
  }

  private static void putIf(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
