package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The token counts of one answer, read from whichever fields its provider reports them in, so
 * that a hit is credited only with the work the provider really did: prompt tokens it read from
 * its own prefix cache were neither recomputed nor billed at the full input price.
 *
 * @param prompt every prompt token, cached or not
 * @param cacheRead prompt tokens the provider read from its prefix cache (at most {@code prompt})
 * @param cacheWrite prompt tokens computed and written to an Anthropic-style cache, billed at the
 *     cache-write price (at most {@code prompt - cacheRead})
 * @param completion generated tokens
 */
public record TokenUsage(long prompt, long cacheRead, long cacheWrite, long completion) {
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

  public TokenUsage {
    if (prompt < 0 || cacheRead < 0 || cacheWrite < 0 || completion < 0
        || cacheRead + cacheWrite > prompt) {
      throw new IllegalArgumentException("token counts out of range: prompt " + prompt
          + ", cache read " + cacheRead + ", cache write " + cacheWrite + ", completion "
          + completion);
    }
  }

  /**
   * Reads a {@code usage} object. Chat usage ({@code prompt_tokens}, which includes cached
   * tokens) is the canonical form; the cached share is the largest of OpenAI's and vLLM's
   * {@code prompt_tokens_details.cached_tokens}, the Responses API's
   * {@code input_tokens_details.cached_tokens}, Anthropic's {@code cache_read_input_tokens} and
   * DeepSeek's {@code prompt_cache_hit_tokens}: they name the same tokens where a translation
   * keeps several. Native Anthropic usage, whose {@code input_tokens} leaves out cache reads and
   * writes, and DeepSeek's hit and miss counts without a total are understood too.
   *
   * @param usage an answer's usage; null or not an object reads as no tokens, and so does one
   *     that reports more than {@link #MAX_COUNT} tokens; negative counts read as 0
   */
  public static TokenUsage of(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return NONE;
    }
    long read = Math.max(Math.max(count(usage.path("prompt_tokens_details"), "cached_tokens"),
        count(usage.path("input_tokens_details"), "cached_tokens")),
        Math.max(count(usage, "cache_read_input_tokens"), count(usage, "prompt_cache_hit_tokens")));
    long write = count(usage, "cache_creation_input_tokens");
    long prompt;
    if (usage.has("prompt_tokens")) {
      prompt = count(usage, "prompt_tokens");
    } else if (usage.has("prompt_cache_miss_tokens")) {
      prompt = count(usage, "prompt_cache_hit_tokens") + count(usage, "prompt_cache_miss_tokens");
    } else if (usage.has("cache_read_input_tokens") || usage.has("cache_creation_input_tokens")) {
      prompt = count(usage, "input_tokens") + count(usage, "cache_read_input_tokens") + write;
    } else {
      prompt = count(usage, "input_tokens");
    }
    long completion = usage.has("completion_tokens") ? count(usage, "completion_tokens")
        : count(usage, "output_tokens");
    if (prompt > MAX_COUNT || completion > MAX_COUNT) {
      return NONE; // a count nothing could have used: no credit, and never a failed hit
    }
    read = Math.min(read, prompt);
    write = Math.min(write, prompt - read);
    return new TokenUsage(prompt, read, write, completion);
  }

  /**
   * These counts for an answer served after its request's upstream call was cut short (a lookup
   * beside the call found it first): the provider may already have read the whole prompt, so it
   * counts as read from its cache.
   */
  public TokenUsage promptAlreadyRead() {
    return new TokenUsage(prompt, prompt, 0, completion);
  }

  /** Only the generated tokens: what a cut-short call surely kept off the bill. */
  public TokenUsage completionOnly() {
    return new TokenUsage(0, 0, 0, completion);
  }

  /** Prompt tokens the provider had to compute: all but those read from its cache. */
  public long computedPrompt() {
    return prompt - cacheRead;
  }

  public boolean isEmpty() {
    return prompt + completion == 0;
  }

  /**
   * A count no answer reaches (a hundred million tokens, the energy model's own bound); an
   * upstream that reports more is not believed, and its usage reads as none.
   */
  static final long MAX_COUNT = 100_000_000L;

  /** A field's count: 0 when absent or negative, at most one past {@link #MAX_COUNT}. */
  private static long count(JsonNode n, String field) {
    return Math.min(MAX_COUNT + 1, Math.max(0, n.path(field).asLong(0)));
  }
}
