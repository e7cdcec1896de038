package dev.bound.models.energy;

/**
 * The token counts of one model call.
 *
 * @param promptTokens new tokens sent in this turn (0 to 1e8)
 * @param contextTokens tokens of the conversation already present before them (0 to 1e8)
 * @param completionTokens tokens the model generates (0 to 1e8)
 * @param reuseContextKv whether the server still holds the KV cache of the context; if not, the
 *     context is prefilled again together with the new tokens
 */
public record Request(long promptTokens, long contextTokens, long completionTokens, boolean reuseContextKv) {

    static final long MAX_TOKENS = 100_000_000L;

    public Request {
        Check.integer("Request.promptTokens", promptTokens, 0, MAX_TOKENS);
        Check.integer("Request.contextTokens", contextTokens, 0, MAX_TOKENS);
        Check.integer("Request.completionTokens", completionTokens, 0, MAX_TOKENS);
    }

    /**
     * A request from an OpenAI-style {@code usage}: {@code cachedTokens}
     * ({@code prompt_tokens_details.cached_tokens}, 0 when absent) were served from the provider's
     * prefix cache, the rest of {@code promptTokens} was prefilled.
     */
    public static Request fromUsage(long promptTokens, long cachedTokens, long completionTokens) {
        Check.integer("Request.promptTokens", promptTokens, 0, MAX_TOKENS);
        Check.integer("Request.cachedTokens", cachedTokens, 0, promptTokens);
        return new Request(promptTokens - cachedTokens, cachedTokens, completionTokens, cachedTokens > 0);
    }
}
