package dev.bound.gateway;

/**
 * Why a request was not answered from storage: the code that {@code X-Bound-Reason}, the decision
 * line ({@code reason_code}) and the dashboard carry on every {@code BYPASS} and {@code MISS}.
 * The README lists them all.
 */
public enum Reason {
  DISABLED("cache.enabled is false"),
  CLIENT_OFF("the request said X-Bound-Cache: off"),
  NO_CACHE("the request said Cache-Control: no-cache; the fresh answer is stored"),
  UPSTREAM_STATE("the request refers to state the upstream keeps (previous_response_id, "
      + "conversation, a stored prompt, background)"),
  N("n > 1 asks for several different answers"),
  TEMPERATURE("the temperature (given, or assumed when absent) is above cache.max-temperature"),
  VARIANT_POOL_FILLING("the request asks for novelty and its pool of different answers is not "
      + "full yet; the fresh answer joins it if it differs from those there"),
  TOOL_RESULT_TURN("the last message is a tool result, for the model to act on"),
  NO_USER_TEXT("the last message is not a user message with text (completions: not one text "
      + "prompt)"),
  NO_CANDIDATE("nothing stored in the request's scope was near enough to consider"),
  LANGUAGE_GUARD("the semantic tier does not judge prompts in this language or script"),
  CONTROL_CHARACTERS("the prompt holds control characters (a NUL, an escape) that the embedding "
      + "does not see, so only the exact tier serves it"),
  VERIFIER_REFUSED("the matcher judged the nearest stored prompt to mean something else"),
  ERROR_BOUND("the error bound kept a candidate the matcher would have served"),
  VERIFY_SAMPLE("a would-be hit sent upstream to check it (cache.verify-sample-rate)"),
  MODEL_VERSION("the stored answer came from an older model version"),
  TOKEN_LIMIT("the stored answer is longer than the request's token limit"),
  TOOL_CALLS_OFF("the stored answer calls tools and cache.tool-calls is false"),
  KEY_UNCONFIRMED("the upstream could not confirm the client's key, so it judges it itself"),
  KEY_REFUSED("the upstream refused the client's key"),
  OVERLOADED("the semantic tier had no room within cache.semantic-budget (its queue was full, "
      + "the work queued ahead and its own lookup would have outlasted it, or the lookup did not "
      + "start early enough to end in time), or the tenant's recent lookups had found too little "
      + "to be worth the wait for a thread or, with more requests in flight than cores, the CPU "
      + "(see \"Admission\"), so only the exact tier was consulted"),
  LOOKED_UP_BESIDE("next to none of the tenant's recent lookups had found something, so the "
      + "exact tier was consulted and the semantic lookup ran beside the upstream call instead of "
      + "before it; it found nothing to serve before the upstream answered (see \"Admission\")"),
  STORAGE_UNAVAILABLE("the answer storage (the SolrCloud collection) could not be reached; the "
      + "upstream answered, and the answer is kept in the journal until storage returns");

  /** What the code means, for the README's table. */
  public final String meaning;

  Reason(String meaning) {
    this.meaning = meaning;
  }

  /** The code as it appears in headers and logs, e.g. {@code verifier_refused}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
