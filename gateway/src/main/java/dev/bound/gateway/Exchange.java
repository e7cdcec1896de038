package dev.bound.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.observe.Outcome;
import java.io.IOException;

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
  /**
   * Whether the request asked for novelty (a temperature above cache.max-temperature) though
   * its reason says something else, as a hot request with Cache-Control: no-cache does.
   */
  boolean novelty;
  int upstreamStatus;
  long upstreamNanos;
  /** Time spent waiting for an identical miss ahead of this one ({@link Coalescer}); 0: none. */
  long coalescedNanos;
  /** Whether an upstream call was cut short because the lookup beside it found an answer. */
  boolean upstreamCancelled;
  /** The lookup running beside the upstream call, or null when it ran before it. */
  StoredAnswers.Beside beside;
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
      // Read as the energy account reads them: never negative, and none past belief.
      TokenUsage t = TokenUsage.of(u);
      promptTokens = t.prompt();
      completionTokens = t.completion();
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

  /**
   * The JSON line the decision log writes. Written field by field rather than built as a tree:
   * every request writes one, and the tree and its text were 8 % of an exact hit's Java samples.
   */
  String decisionLine(String currency) {
    return Json.written(g -> {
      g.writeStartObject();
      g.writeStringField("ts", ts);
      g.writeStringField("path", path);
      g.writeStringField("model", model);
      g.writeStringField("tenant", tenant);
      g.writeBooleanField("stream", stream);
      g.writeStringField("tier", tier);
      if (code != null) {
        g.writeStringField("reason_code", code.code());
      }
      stringIf(g, "reason", reason);
      if (score != null) {
        g.writeNumberField("score", round4(score));
      }
      stringIf(g, "matcher", matcher);
      if (similarity != null) {
        g.writeNumberField("similarity", round4(similarity));
      }
      stringIf(g, "entry", entry);
      stringIf(g, "question", question);
      stringIf(g, "semantic_skipped", semanticSkipped);
      stringIf(g, "explore", explore);
      stringIf(g, "skipped", skipped);
      if (upstreamStatus != 0) {
        g.writeNumberField("upstream_status", upstreamStatus);
      }
      if (upstreamCancelled) {
        g.writeBooleanField("upstream_cancelled", true);
      }
      if (coalescedNanos > 0) {
        g.writeNumberField("waited_for_identical_ms", millis(coalescedNanos));
      }
      stringIf(g, "stored", stored);
      stringIf(g, "not_stored", notStored);
      stringIf(g, "error", error);
      if (aborted) {
        g.writeBooleanField("aborted", true);
      }
      if (promptTokens != null) {
        g.writeNumberField("prompt_tokens", promptTokens);
        g.writeNumberField("completion_tokens", completionTokens);
      }
      if (probed) {
        g.writeNumberField("embed_ms", millis(embedNanos));
        g.writeNumberField("search_ms", millis(searchNanos));
      }
      account.write(g, currency);
      if (hit()) {
        g.writeObjectFieldStart("api_bill");
        if (apiCost.priced()) {
          g.writeNumberField("saved", EnergyAccounting.round(apiCost.amount()));
          g.writeStringField("currency", apiCost.currency());
          g.writeStringField("source", apiCost.price().source());
        } else {
          g.writeStringField("note", "no API price known for this model");
        }
        g.writeEndObject();
      }
      g.writeNumberField("latency_ms", millis(latencyNanos));
      if (upstreamNanos > 0) {
        g.writeNumberField("upstream_ms", millis(upstreamNanos));
      }
      g.writeEndObject();
    });
  }

  Outcome outcome(long atMillis) {
    return new Outcome(atMillis, api, model, tenant, tier,
        similarity == null ? Double.NaN : similarity, stream,
        promptTokens == null ? 0 : promptTokens, completionTokens == null ? 0 : completionTokens,
        account, latencyNanos, embedNanos, searchNanos, upstreamNanos, upstreamStatus,
        upstreamCancelled, error != null ? error : aborted ? "aborted" : null, entry,
        code == null ? null : code.code(), apiCost,
        new Outcome.Explanation(score == null ? Double.NaN : score, score == null ? null : matcher,
            nearest == null ? Double.NaN : nearest, prompt, matchedPrompt),
        novelty || code == Reason.TEMPERATURE || code == Reason.VARIANT_POOL_FILLING
            || "HIT-VARIANT".equals(tier),
        coalescedNanos > 0 && hit());
  }

  private static void stringIf(JsonGenerator g, String key, String value) throws IOException {
    if (value != null) {
      g.writeStringField(key, value);
    }
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
