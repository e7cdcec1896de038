package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.config.BoundConfig;
import org.junit.jupiter.api.Test;

/** Every provider's way of reporting its prefix cache, and what the energy account makes of it. */
class TokenUsageTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void of_openAiAndVllm_cachedTokensInDetails() throws Exception {
    assertEquals(new TokenUsage(1000, 900, 0, 50), TokenUsage.of(json("{\"prompt_tokens\":1000,"
        + "\"completion_tokens\":50,\"prompt_tokens_details\":{\"cached_tokens\":900}}")));
  }

  @Test
  void of_anthropicInChatUsage_readAndWrite() throws Exception {
    // As Bound's own translation keeps it: prompt_tokens counts reads and writes, and the read
    // count appears twice; it is one set of tokens.
    assertEquals(new TokenUsage(1300, 1000, 200, 20), TokenUsage.of(json("{\"prompt_tokens\":1300,"
        + "\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":1000},"
        + "\"cache_read_input_tokens\":1000,\"cache_creation_input_tokens\":200}")));
    // A proxy that passes Anthropic's fields through without OpenAI's details.
    assertEquals(new TokenUsage(1300, 1000, 200, 20), TokenUsage.of(json("{\"prompt_tokens\":1300,"
        + "\"completion_tokens\":20,\"cache_read_input_tokens\":1000,"
        + "\"cache_creation_input_tokens\":200}")));
  }

  @Test
  void of_nativeAnthropic_inputLeavesOutTheCache() throws Exception {
    assertEquals(new TokenUsage(1300, 1000, 200, 20), TokenUsage.of(json("{\"input_tokens\":100,"
        + "\"output_tokens\":20,\"cache_read_input_tokens\":1000,"
        + "\"cache_creation_input_tokens\":200}")));
  }

  @Test
  void of_deepSeek_hitAndMissCounts() throws Exception {
    assertEquals(new TokenUsage(1000, 960, 0, 10), TokenUsage.of(json("{\"prompt_tokens\":1000,"
        + "\"completion_tokens\":10,\"prompt_cache_hit_tokens\":960,"
        + "\"prompt_cache_miss_tokens\":40}")));
    assertEquals(new TokenUsage(1000, 960, 0, 10), TokenUsage.of(json("{\"completion_tokens\":10,"
        + "\"prompt_cache_hit_tokens\":960,\"prompt_cache_miss_tokens\":40}")));
  }

  @Test
  void of_responsesApi_inputDetails() throws Exception {
    assertEquals(new TokenUsage(500, 400, 0, 7), TokenUsage.of(json("{\"input_tokens\":500,"
        + "\"output_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":400}}")));
  }

  @Test
  void of_nonsense_isClampedNotTrusted() throws Exception {
    assertEquals(new TokenUsage(10, 10, 0, 0), TokenUsage.of(json("{\"prompt_tokens\":10,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":99},\"cache_creation_input_tokens\":5}")));
    assertEquals(TokenUsage.NONE, TokenUsage.of(null));
    assertEquals(TokenUsage.NONE, TokenUsage.of(json("[1]")));
  }

  /**
   * A long chat whose provider read nearly all of it from its prefix cache: costed as a full
   * recompute it looked many times larger than what the provider really did, whatever the field
   * the provider reported the cache in.
   */
  @Test
  void account_creditsOnlyWhatTheProviderComputed() throws Exception {
    EnergyAccounting e = new EnergyAccounting(BoundConfig.defaults().energy());
    double full = e.account("llama3.1:8b", json("{\"prompt_tokens\":50000,"
        + "\"completion_tokens\":100}"), 0).wh();
    String[] cached = {
        "{\"prompt_tokens\":50000,\"completion_tokens\":100,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":49000}}",
        "{\"prompt_tokens\":50000,\"completion_tokens\":100,\"cache_read_input_tokens\":49000}",
        "{\"prompt_tokens\":50000,\"completion_tokens\":100,\"prompt_cache_hit_tokens\":49000,"
            + "\"prompt_cache_miss_tokens\":1000}",
        "{\"input_tokens\":1000,\"output_tokens\":100,\"cache_read_input_tokens\":49000}"};
    double first = e.account("llama3.1:8b", json(cached[0]), 0).wh();
    assertTrue(first > 0 && full > 3 * first, "full " + full + " vs cached " + first);
    for (String c : cached) {
      assertEquals(first, e.account("llama3.1:8b", json(c), 0).wh(), first * 1e-12, c);
    }
  }

  /**
   * A hit served after its upstream call was cut short: the provider may have read the prompt
   * already, so only the generation counts as avoided, in energy and on the bill.
   */
  @Test
  void aCallCutShort_isCreditedWithItsGenerationOnly() throws Exception {
    TokenUsage u = TokenUsage.of(json("{\"prompt_tokens\":50000,\"completion_tokens\":100,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":1000}}"));
    assertEquals(new TokenUsage(50000, 50000, 0, 100), u.promptAlreadyRead());
    assertEquals(new TokenUsage(0, 0, 0, 100), u.completionOnly());
    EnergyAccounting e = new EnergyAccounting(BoundConfig.defaults().energy());
    double full = e.account("llama3.1:8b", u, 0).wh();
    double cut = e.account("llama3.1:8b", u.promptAlreadyRead(), 0).wh();
    assertTrue(cut > 0 && cut < full / 3, "full " + full + " vs cut short " + cut);
  }

  @Test
  void of_countsPastBelief_readAsNone_negativesAsZero() throws Exception {
    assertEquals(TokenUsage.NONE, TokenUsage.of(json("{\"prompt_tokens\":1000000000000000,"
        + "\"completion_tokens\":5}")));
    assertEquals(TokenUsage.NONE, TokenUsage.of(json("{\"prompt_tokens\":1e308,"
        + "\"completion_tokens\":1e308}")));
    // Two huge halves whose sum would overflow a long.
    assertEquals(TokenUsage.NONE, TokenUsage.of(json("{\"prompt_cache_hit_tokens\":"
        + "9000000000000000000,\"prompt_cache_miss_tokens\":9000000000000000000}")));
    assertEquals(new TokenUsage(100_000_000, 0, 0, 1), TokenUsage.of(json(
        "{\"prompt_tokens\":100000000,\"completion_tokens\":1}")));
    assertEquals(new TokenUsage(0, 0, 0, 0), TokenUsage.of(json("{\"prompt_tokens\":-1000,"
        + "\"completion_tokens\":-5000}")));
  }
}
